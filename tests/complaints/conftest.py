"""A small zone for request tests: two departments, staff in each, a dispatcher, a requester,
and a clock the tests move."""

import datetime as dt
import importlib
import zoneinfo

import pytest
from django.apps import apps

from onewindow.complaints import services
from onewindow.complaints.models import Category, ServiceRequest
from tests.factories import DepartmentFactory, UserFactory

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# A Monday in an ordinary week (2026-03-02 … 2026-03-06 are working days).
MONDAY_9 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


class Clock:
    def __init__(self, monkeypatch, start):
        self.at = start
        monkeypatch.setattr("onewindow.complaints.clocks.now", lambda: self.at)

    def set(self, at):
        self.at = at

    def advance(self, **kwargs):
        self.at += dt.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, MONDAY_9)


def ensure_default_categories() -> None:
    """A transactional test starts from a flushed database: put back the migration's data."""
    migration = importlib.import_module("onewindow.complaints.migrations.0002_default_categories")
    migration.create(apps, None)


@pytest.fixture
def zone(db):
    ensure_default_categories()
    lead = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    helper = DepartmentFactory(code="scj", name="高新区市场监督管理局")
    return type("Zone", (), {
        "lead": lead, "helper": helper,
        "requester": UserFactory(username="requester", role="applicant"),
        "stranger": UserFactory(username="stranger", role="applicant"),
        "dispatcher": UserFactory(username="dispatcher", role="supervisor"),
        "clerk": UserFactory(username="clerk", role="window_clerk"),
        "lead_staff": UserFactory(username="leadstaff", role="reviewer", department=lead),
        "helper_staff": UserFactory(username="helperstaff", role="reviewer", department=helper),
        "ordinary": Category.objects.get(code="ordinary"),
        "emergency": Category.objects.get(code="emergency"),
        "complex": Category.objects.get(code="complex"),
    })


REQUESTER = object()


def file(zone, *, category=None, actor=REQUESTER, **kwargs):
    fields = {"kind": "complaint", "title": "道路施工噪音扰民",
              "description": "夜间施工噪音很大，影响员工休息。"} | kwargs
    return services.request_file(actor=zone.requester if actor is REQUESTER else actor,
                                 category=category or zone.ordinary, **fields)


@pytest.fixture
def filed(zone, clock):
    return file(zone)


@pytest.fixture
def dispatched(zone, filed):
    return services.request_dispatch(actor=zone.dispatcher, request_id=filed.pk,
                                     lead=zone.lead, helpers=[zone.helper])


@pytest.fixture
def answered(zone, dispatched):
    services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)
    return services.request_answer(actor=zone.lead_staff, request_id=dispatched.pk,
                                   text="已协调施工单位，夜间停止施工。")


def reload(request) -> ServiceRequest:
    return ServiceRequest.objects.get(pk=request.pk)
