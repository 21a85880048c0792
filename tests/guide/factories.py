import factory

from onewindow.guide.models import QueryLog, Scenario, ScenarioStep, Synonym


class SynonymFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Synonym

    phrase = factory.Sequence(lambda n: f"说法{n}")
    expansion = ""


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    name = factory.Sequence(lambda n: f"情景{n}")
    phrases = factory.LazyAttribute(lambda o: o.name)


class ScenarioStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScenarioStep

    scenario = factory.SubFactory(ScenarioFactory)
    order = factory.Sequence(lambda n: n + 1)


class QueryLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QueryLog

    query = factory.Sequence(lambda n: f"问题{n}")
    normalized = factory.LazyAttribute(lambda o: o.query)
