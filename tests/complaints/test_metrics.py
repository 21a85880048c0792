"""Response, on-time, resolution and satisfaction rates per department and category,
computed from requests and feedback's ratings."""

import datetime as dt

import pytest

from onewindow.complaints import services
from onewindow.complaints.metrics import request_metrics
from onewindow.feedback.services import rating_submit
from tests.complaints.conftest import TZ, file

pytestmark = pytest.mark.django_db


def handle(zone, clock, *, category=None, lead=None, staff=None, answer_after=None):
    request = file(zone, category=category or zone.ordinary)
    services.request_dispatch(actor=zone.dispatcher, request_id=request.pk,
                              lead=lead or zone.lead)
    if answer_after is not None:
        clock.advance(**answer_after)
        services.request_answer(actor=staff or zone.lead_staff, request_id=request.pk,
                                text="已处理")
    return request


def test_metrics_rates_per_department_and_category(zone, clock):
    start = clock.at
    on_time = handle(zone, clock, answer_after={"hours": 2})
    clock.set(start)
    late = handle(zone, clock, answer_after={"days": 12})  # after 7 working days, response too
    clock.set(start)
    handle(zone, clock, lead=zone.helper)  # not answered, still in time
    rating_submit(actor=zone.requester, subject=on_time, level=5)
    rating_submit(actor=zone.requester, subject=late, level=1, comment="太慢")
    clock.set(start + dt.timedelta(days=3))  # the open one's response clock (24 h) has ended

    data = request_metrics()
    lead = next(r for r in data["departments"] if r.label == zone.lead.name)
    assert (lead.total, lead.response_rate, lead.on_time_rate) == (2, 50.0, 50.0)
    assert (lead.resolution_rate, lead.satisfaction) == (50.0, 50.0)
    helper = next(r for r in data["departments"] if r.label == zone.helper.name)
    assert helper.response_rate == 0.0 and helper.on_time_rate is None  # closing not due
    assert helper.resolution_rate is None and helper.satisfaction is None
    assert data["total"].total == 3
    ordinary = next(r for r in data["categories"] if r.label == zone.ordinary.name)
    assert ordinary.total == 3


def test_metrics_exclude_withdrawn_and_period(zone, clock):
    withdrawn = file(zone)
    services.request_withdraw(actor=zone.requester, request_id=withdrawn.pk)
    file(zone)
    assert request_metrics()["total"].total == 1
    assert request_metrics(start=dt.date(2026, 3, 3))["total"].total == 0
    assert request_metrics(end=dt.date(2026, 3, 2))["total"].total == 1
    assert clock.at.tzinfo == TZ


def test_metrics_empty_has_no_rates(db):
    total = request_metrics()["total"]
    assert total.total == 0 and total.response_rate is None
