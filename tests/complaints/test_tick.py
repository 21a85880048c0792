"""The clock job: response and closing escalations (idempotent), closing after the reopen
period; and reopening after a bad rating."""

import datetime as dt

import pytest
from django.core.management import call_command

from onewindow.cases.models import Notification
from onewindow.complaints import jobs, services
from onewindow.complaints.enums import RequestState
from onewindow.complaints.errors import IllegalTransition, RequestForbidden, RequestInputError
from onewindow.complaints.models import ProgressNote
from onewindow.feedback.services import rating_submit
from tests.complaints.conftest import MONDAY_9, TZ, file, reload

pytestmark = pytest.mark.django_db


def test_tick_escalates_late_response_once(zone, clock, filed,
                                           django_capture_on_commit_callbacks):
    clock.advance(hours=23)
    assert jobs.tick().response_escalated == []
    clock.advance(hours=2)  # 25 h after filing, no response: late
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.response_escalated == [filed.number]
    assert reload(filed).response_overdue_at == MONDAY_9 + dt.timedelta(hours=25)
    assert Notification.objects.filter(user=zone.dispatcher, verb="request_overdue").count() == 1
    assert jobs.tick().response_escalated == []  # idempotent
    assert ProgressNote.objects.filter(request=filed, action="escalate_response").count() == 1


def test_tick_emergency_escalates_after_two_hours(zone, clock):
    request = file(zone, category=zone.emergency)
    services.request_dispatch(actor=zone.dispatcher, request_id=request.pk, lead=zone.lead)
    services.request_accept(actor=zone.lead_staff, request_id=request.pk)
    clock.advance(hours=1, minutes=59)
    assert jobs.tick().closing_escalated == []
    clock.advance(minutes=2)
    summary = jobs.tick()
    assert summary.closing_escalated == [request.number] and summary.response_escalated == []


def test_tick_response_in_time_is_not_escalated(zone, clock, dispatched):
    clock.advance(hours=1)
    services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)
    clock.advance(hours=30)
    assert jobs.tick().response_escalated == []


def test_tick_closing_escalation_after_working_days(zone, clock, dispatched):
    services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)
    clock.set(dt.datetime(2026, 3, 11, 23, 0, tzinfo=TZ))  # day 7, before its end
    assert jobs.tick().closing_escalated == []
    clock.set(dt.datetime(2026, 3, 12, 0, 1, tzinfo=TZ))
    assert jobs.tick().closing_escalated == [dispatched.number]
    assert jobs.tick().closing_escalated == []


def test_tick_extension_after_escalation_allows_a_new_one(zone, clock, dispatched):
    clock.set(dt.datetime(2026, 3, 12, 9, 0, tzinfo=TZ))
    jobs.tick()
    services.extension_request(actor=zone.lead_staff, request_id=dispatched.pk, amount=2,
                               unit="working_days", reason="需补充调查")
    request = services.extension_decide(actor=zone.dispatcher, request_id=dispatched.pk,
                                        approve=True)
    assert request.closing_overdue_at is None
    clock.set(dt.datetime(2026, 3, 16, 9, 0, tzinfo=TZ))  # past 13 Mar (11 Mar + 2)
    assert jobs.tick().closing_escalated == [dispatched.number]


def test_tick_answered_request_not_escalated(zone, clock, answered):
    clock.advance(days=30)
    summary = jobs.tick()
    assert summary.closing_escalated == [] and summary.response_escalated == []


def test_tick_closes_after_reopen_period(zone, clock, answered):
    clock.set(dt.datetime(2026, 3, 11, 12, 0, tzinfo=TZ))  # 7 working days after 2 Mar: 11th
    assert jobs.tick().closed == []
    clock.set(dt.datetime(2026, 3, 12, 0, 5, tzinfo=TZ))
    assert jobs.tick().closed == [answered.number]
    assert reload(answered).state == RequestState.CLOSED


def test_tick_command_prints_summary(zone, clock, filed, capsys):
    clock.advance(days=3)
    call_command("complaints", "tick")
    out = capsys.readouterr().out
    assert f"response overdue: {filed.number}" in out and "1 response escalations" in out


# --- reopen -------------------------------------------------------------------------------------
def rate(zone, request, level):
    return rating_submit(actor=zone.requester, subject=request, level=level,
                         comment="夜间施工仍未停止")


def test_reopen_needs_a_bad_rating(zone, clock, answered):
    with pytest.raises(RequestInputError, match="评价"):
        services.request_reopen(actor=zone.requester, request_id=answered.pk, reason="没解决")
    rate(zone, answered, 4)
    with pytest.raises(RequestInputError):
        services.request_reopen(actor=zone.requester, request_id=answered.pk, reason="没解决")


def test_reopen_after_bad_rating_once(zone, clock, answered):
    rate(zone, answered, 1)
    clock.advance(days=1)
    request = services.request_reopen(actor=zone.requester, request_id=answered.pk,
                                      reason="施工仍在夜间进行")
    assert request.state == RequestState.DISPATCHED and request.reopen_count == 1
    assert request.cycle == 2 and request.answered_at is None
    assert request.clock_start == MONDAY_9 + dt.timedelta(days=1)
    assert {a.department.code for a in request.assignments.filter(cycle=2)} == {"zjj", "scj"}
    services.request_answer(actor=zone.lead_staff, request_id=request.pk, text="已再次处理")
    with pytest.raises(RequestInputError, match="重新办理过"):
        services.request_reopen(actor=zone.requester, request_id=request.pk, reason="还是不行")


def test_reopen_only_by_the_requester(zone, clock, answered):
    with pytest.raises(RequestForbidden):
        services.request_reopen(actor=zone.stranger, request_id=answered.pk, reason="x")


def test_reopen_after_period_refused(zone, clock, answered):
    rate(zone, answered, 2)
    clock.set(dt.datetime(2026, 3, 20, 9, 0, tzinfo=TZ))
    with pytest.raises(RequestInputError, match="期限"):
        services.request_reopen(actor=zone.requester, request_id=answered.pk, reason="x")


def test_reopen_before_answer_is_illegal(zone, clock, dispatched):
    with pytest.raises(IllegalTransition):
        services.request_reopen(actor=zone.requester, request_id=dispatched.pk, reason="x")
