"""Factories for requests: a category per limit shape."""

import factory

from onewindow.complaints.models import Category, WebhookSubscription


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"测试类别{n}")
    response_limit = 24
    response_unit = "hours"
    closing_limit = 7
    closing_unit = "working_days"


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookSubscription

    name = "12345热线"
    url = "http://127.0.0.1:9/hook"
    secret = "s3cret"
