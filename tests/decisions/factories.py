"""Factories for the decision tables (kept here, beside their tests, rather than in the shared
tests/factories.py that several changes append to at once)."""

import factory

from onewindow.decisions.models import DecisionTable, DecisionTableVersion
from tests.factories import ServiceItemFactory

INPUTS = [
    {"name": "amount", "label": "金额", "type": "number", "source": "form:amount"},
    {"name": "credit", "source": "enterprise.credit_status"},
]
ROWS = [
    {"when": {"credit": "blacklist"}, "outcome": "refer", "reason": "失信企业转人工"},
    {"when": {"credit": ["!=", "blacklist"], "amount": ["<", 100]}, "outcome": "approve",
     "reason": "小额秒批"},
]


class DecisionTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionTable

    name = factory.Sequence(lambda n: f"测试决策表{n}")
    item = factory.SubFactory(ServiceItemFactory, instant_approval=True)


class DecisionTableVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionTableVersion

    table = factory.SubFactory(DecisionTableFactory)
    number = factory.Sequence(lambda n: n + 1)
    hit_policy = "unique"
    inputs = factory.LazyFunction(lambda: [dict(i) for i in INPUTS])
    rows = factory.LazyFunction(lambda: [dict(r) for r in ROWS])

