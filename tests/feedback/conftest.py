"""A small zone for feedback tests: a department with staff, a window with its clerk, an
applicant with a completed case, a supervisor."""

import dataclasses

import pytest
from django.conf import settings as django_settings

from onewindow.feedback.services import rating_submit
from onewindow.feedback.subjects import resolve
from tests.factories import DepartmentFactory, UserFactory, WindowFactory
from tests.feedback.factories import CompletedCaseFactory


@pytest.fixture
def zone(db):
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    other = DepartmentFactory(code="scj", name="高新区市场监督管理局")
    window = WindowFactory(number="7", name="住建综合窗口", departments=[dept])
    clerk = UserFactory(username="clerk", role="window_clerk", window=window, department=dept)
    applicant = UserFactory(username="applicant", role="applicant")
    case = CompletedCaseFactory(applicant=applicant, item__department=dept, claimed_by=clerk)
    return type("Zone", (), {
        "dept": dept, "other": other, "window": window, "clerk": clerk,
        "applicant": applicant, "case": case,
        "stranger": UserFactory(username="stranger", role="applicant"),
        "reviewer": UserFactory(username="reviewer", role="reviewer", department=dept),
        "other_reviewer": UserFactory(username="other", role="reviewer", department=other),
        "supervisor": UserFactory(username="supervisor", role="supervisor"),
    })


@pytest.fixture
def rate(zone):
    """Rate zone.case as its applicant through the resolver, as the rate page does."""
    def rate(level, comment="", user=None, case=None):
        user = user or zone.applicant
        subject = resolve("case", user, (case or zone.case).pk)
        assert subject is not None
        return rating_submit(actor=user, subject=subject, level=level, comment=comment,
                             kind="case")
    return rate


@pytest.fixture
def bad_task(zone, rate):
    return rate(2, "窗口让我跑了三次").rectification


@pytest.fixture
def feedback_config(settings):
    """Change a feedback setting for one test: feedback_config(rating_change_days=0)."""
    def change(**values):
        settings.CONFIG = dataclasses.replace(django_settings.CONFIG, **values)
    return change
