"""Factories for feedback tests: a completed case made directly (its lifecycle is cases' to
test), ratings and rectifications made through the services."""

import datetime as dt

import factory
from django.utils import timezone

from onewindow.cases.models import Case
from tests.factories import DepartmentFactory, ServiceItemFactory, UserFactory


class CompletedCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"GX2026{n:08d}")
    item = factory.SubFactory(ServiceItemFactory,
                              department=factory.SubFactory(DepartmentFactory))
    department = factory.LazyAttribute(lambda o: o.item.department)
    applicant = factory.SubFactory(UserFactory)
    filed_by = factory.LazyAttribute(lambda o: o.applicant)
    state = "completed"
    submitted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=5))
    accepted_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=4))
    promised_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))
    legal_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    decided_at = factory.LazyFunction(timezone.now)
    completed_at = factory.LazyFunction(timezone.now)
    decision = "approved"
