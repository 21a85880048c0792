"""Filing, dispatch, accept, answer, send back, re-dispatch, helpers, nudges, extensions."""

import datetime as dt

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.cases import services as case_services
from onewindow.complaints import services
from onewindow.complaints.enums import AssignmentState, Channel, RequestState
from onewindow.complaints.errors import (
    IllegalTransition,
    RequestForbidden,
    RequestInputError,
)
from onewindow.complaints.models import ProgressNote, ServiceRequest
from onewindow.feedback.models import RatingInvitation
from onewindow.feedback.services import rating_submit
from tests.complaints.conftest import MONDAY_9, TZ, file, reload
from tests.complaints.factories import CategoryFactory
from tests.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


def audit_actions(request):
    return list(AuditEvent.objects.filter(object_type="complaints.servicerequest",
                                          object_id=str(request.pk))
                .order_by("id").values_list("action", flat=True))


# --- filing and limits --------------------------------------------------------------------------
def test_request_file_signed_in_sets_number_code_and_clocks(zone, clock):
    request = file(zone)
    assert request.state == RequestState.SUBMITTED
    assert request.number == f"SQ2026{request.pk:07d}"
    assert len(request.query_code) == 6 and request.requester == zone.requester
    # ordinary: response 24 h, closing 7 working days (Mon 2 Mar → Wed 11 Mar, end of day)
    assert request.response_due == MONDAY_9 + dt.timedelta(hours=24)
    assert request.closing_due == dt.datetime(2026, 3, 11, 23, 59, 59, tzinfo=TZ)
    assert audit_actions(request) == ["request.file"]


def test_request_file_emergency_limits_are_hours(zone, clock):
    request = file(zone, category=zone.emergency)
    assert request.response_due == MONDAY_9 + dt.timedelta(hours=1)
    assert request.closing_due == MONDAY_9 + dt.timedelta(hours=2)


def test_request_file_complex_limit_is_fifteen_working_days(zone, clock):
    request = file(zone, category=zone.complex)
    # 15 working days after Mon 2 Mar 2026: Mon 23 Mar
    assert request.closing_due.date() == dt.date(2026, 3, 23)


def test_request_file_working_days_skip_holidays(zone, clock):
    clock.set(dt.datetime(2026, 9, 29, 10, 0, tzinfo=TZ))  # Tue before National Day week
    request = file(zone, category=CategoryFactory(code="three", closing_limit=3))
    # 30 Sep is a working day, 1–8 Oct holidays; the third working day is after them.
    assert request.closing_due.date() > dt.date(2026, 10, 8)


def test_request_file_category_limit_edit_applies_to_new_requests(zone, clock):
    zone.ordinary.closing_limit = 2
    zone.ordinary.save()
    assert file(zone).closing_due.date() == dt.date(2026, 3, 4)


def test_request_file_anonymous_needs_contact(zone, clock):
    with pytest.raises(RequestInputError, match="联系电话"):
        file(zone, actor=None, contact_name="李四")
    assert not ServiceRequest.objects.exists()


def test_request_file_anonymous_with_contact(zone, clock):
    request = file(zone, actor=None, contact_name="李四", contact_phone="13800000000")
    assert request.requester is None and request.contact_name == "李四"


def test_request_file_by_phone_only_staff(zone, clock):
    with pytest.raises(RequestForbidden):
        file(zone, channel=Channel.PHONE, contact_name="李四", contact_phone="138")
    request = file(zone, actor=zone.clerk, channel=Channel.PHONE, contact_name="李四",
                   contact_phone="13800000000")
    assert request.filed_by == zone.clerk and request.requester is None


def test_request_file_rejects_empty_and_long_text(zone, clock):
    with pytest.raises(RequestInputError):
        file(zone, title=" ")
    with pytest.raises(RequestInputError, match="4000"):
        file(zone, description="长" * 4001)


def test_request_file_inactive_category_refused(zone, clock):
    zone.ordinary.is_active = False
    zone.ordinary.save()
    with pytest.raises(RequestInputError, match="停用"):
        file(zone)


# --- dispatch, accept, answer -------------------------------------------------------------------
def test_request_dispatch_creates_lead_and_helper(zone, dispatched):
    parts = {(a.department.code, a.role, a.state) for a in dispatched.assignments.all()}
    assert parts == {("zjj", "lead", "pending"), ("scj", "helper", "pending")}
    assert dispatched.state == RequestState.DISPATCHED and dispatched.lead_department == zone.lead


def test_request_dispatch_only_by_dispatcher(zone, filed):
    with pytest.raises(RequestForbidden):
        services.request_dispatch(actor=zone.lead_staff, request_id=filed.pk, lead=zone.lead)
    assert reload(filed).state == RequestState.SUBMITTED


def test_request_accept_by_lead_is_first_response(zone, clock, dispatched):
    clock.advance(hours=2)
    request = services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)
    assert request.state == RequestState.ACCEPTED
    assert request.responded_at == MONDAY_9 + dt.timedelta(hours=2)


def test_request_accept_by_helper_does_not_move(zone, dispatched):
    request = services.request_accept(actor=zone.helper_staff, request_id=dispatched.pk)
    assert request.state == RequestState.DISPATCHED
    assert request.assignments.get(department=zone.helper).state == AssignmentState.ACCEPTED


def test_request_accept_by_other_department_refused(zone, filed, dispatched):
    outsider = type(zone.lead_staff).objects.create(username="x", role="reviewer",
                                                    department=None)
    with pytest.raises(RequestForbidden):
        services.request_accept(actor=outsider, request_id=dispatched.pk)


def test_request_accept_twice_is_illegal(zone, dispatched):
    services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)
    with pytest.raises(IllegalTransition, match="办理中"):
        services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk)


def test_request_answer_by_lead_answers(zone, answered):
    assert answered.state == RequestState.ANSWERED
    assert answered.answer.startswith("已协调") and answered.answered_by == zone.lead_staff


def test_request_answer_invites_requester_after_commit(zone, dispatched,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_answer(actor=zone.lead_staff, request_id=dispatched.pk, text="已处理")
    invitation = RatingInvitation.objects.get(kind="request", object_id=dispatched.pk)
    assert invitation.user == zone.requester


def test_request_answer_without_text_refused(zone, dispatched):
    with pytest.raises(RequestInputError, match="答复内容"):
        services.request_answer(actor=zone.lead_staff, request_id=dispatched.pk, text=" ")


def test_request_helper_answer_is_an_opinion(zone, dispatched):
    request = services.request_answer(actor=zone.helper_staff, request_id=dispatched.pk,
                                      text="我局已配合现场检查。")
    assert request.state == RequestState.DISPATCHED and request.answer == ""
    note = ProgressNote.objects.get(request=request, action="helper_opinion")
    assert note.public is False and note.department == zone.helper


def test_request_requester_cannot_answer(zone, dispatched):
    with pytest.raises(RequestForbidden):
        services.request_answer(actor=zone.requester, request_id=dispatched.pk, text="自己答")


# --- send back and re-dispatch ------------------------------------------------------------------
def test_request_send_back_by_lead_then_redispatch(zone, dispatched):
    request = services.request_send_back(actor=zone.lead_staff, request_id=dispatched.pk,
                                         reason="不属于本局职责，应由市场监管局主办。")
    assert request.state == RequestState.RETURNED
    assert request.assignments.get(department=zone.lead).state == AssignmentState.RETURNED
    assert request.assignments.get(department=zone.helper).state == AssignmentState.SUPERSEDED
    request = services.request_dispatch(actor=zone.dispatcher, request_id=request.pk,
                                        lead=zone.helper)
    assert request.state == RequestState.DISPATCHED and request.cycle == 2
    assert request.lead_department == zone.helper
    services.request_answer(actor=zone.helper_staff, request_id=request.pk, text="已处理。")
    assert reload(request).state == RequestState.ANSWERED
    # the old lead can no longer act
    with pytest.raises(IllegalTransition):
        services.request_accept(actor=zone.lead_staff, request_id=request.pk)


def test_request_send_back_needs_reason(zone, dispatched):
    with pytest.raises(RequestInputError, match="退回理由"):
        services.request_send_back(actor=zone.lead_staff, request_id=dispatched.pk, reason="")
    assert reload(dispatched).state == RequestState.DISPATCHED


def test_request_helper_send_back_leaves_request_with_lead(zone, dispatched):
    request = services.request_send_back(actor=zone.helper_staff, request_id=dispatched.pk,
                                         reason="与本局无关")
    assert request.state == RequestState.DISPATCHED
    assert request.assignments.get(department=zone.helper).state == AssignmentState.RETURNED


def test_request_send_back_after_answer_is_illegal(zone, answered):
    with pytest.raises(IllegalTransition):
        services.request_send_back(actor=zone.lead_staff, request_id=answered.pk, reason="x")


# --- nudges, extensions, withdraw, dismiss ------------------------------------------------------
def test_request_nudge_recorded_and_audited(zone, dispatched):
    services.request_nudge(actor=zone.dispatcher, request_id=dispatched.pk, text="请今日内答复")
    assert ProgressNote.objects.filter(request=dispatched, action="nudge").count() == 1
    assert "request.nudge" in audit_actions(dispatched)


def test_request_nudge_before_dispatch_is_illegal(zone, filed):
    with pytest.raises(IllegalTransition):
        services.request_nudge(actor=zone.dispatcher, request_id=filed.pk, text="快")


def test_extension_approved_moves_closing_due(zone, dispatched):
    before = dispatched.closing_due
    services.extension_request(actor=zone.lead_staff, request_id=dispatched.pk, amount=5,
                               unit="working_days", reason="需现场核查")
    with pytest.raises(RequestInputError, match="待审批"):
        services.extension_request(actor=zone.lead_staff, request_id=dispatched.pk, amount=1,
                                   unit="working_days", reason="再延")
    request = services.extension_decide(actor=zone.dispatcher, request_id=dispatched.pk,
                                        approve=True)
    assert request.closing_due.date() == dt.date(2026, 3, 18)  # 11 Mar + 5 working days
    assert request.closing_due > before
    extension = request.extensions.get()
    assert extension.old_due == before and extension.new_due == request.closing_due


def test_extension_refused_keeps_due(zone, dispatched):
    services.extension_request(actor=zone.lead_staff, request_id=dispatched.pk, amount=2,
                               unit="working_days", reason="x")
    request = services.extension_decide(actor=zone.dispatcher, request_id=dispatched.pk,
                                        approve=False)
    assert request.closing_due == dispatched.closing_due


def test_extension_only_by_lead_department(zone, dispatched):
    with pytest.raises(RequestForbidden):
        services.extension_request(actor=zone.helper_staff, request_id=dispatched.pk, amount=2,
                                   unit="working_days", reason="x")


def test_extension_bad_amount_refused(zone, dispatched):
    with pytest.raises(RequestInputError):
        services.extension_request(actor=zone.lead_staff, request_id=dispatched.pk, amount=0,
                                   unit="working_days", reason="x")


def test_request_withdraw_by_requester(zone, dispatched):
    with pytest.raises(RequestForbidden):
        services.request_withdraw(actor=zone.stranger, request_id=dispatched.pk)
    request = services.request_withdraw(actor=zone.requester, request_id=dispatched.pk)
    assert request.state == RequestState.WITHDRAWN
    assert not request.assignments.filter(state="pending").exists()


def test_request_dismiss_needs_reason(zone, filed):
    with pytest.raises(RequestInputError):
        services.request_dismiss(actor=zone.dispatcher, request_id=filed.pk, reason="")
    request = services.request_dismiss(actor=zone.dispatcher, request_id=filed.pk,
                                       reason="重复诉求")
    assert request.state == RequestState.DISMISSED


def test_request_every_transition_audited_and_chain_verifies(zone, answered):
    assert audit_actions(answered) == ["request.file", "request.dispatch", "request.accept",
                                       "request.answer"]
    assert audit_verify()[1] is None


def test_request_file_linked_to_own_rating_only(zone, answered):
    rating = rating_submit(actor=zone.requester, subject=answered, level=1, comment="没解决")
    linked = file(zone, kind="complaint", title="差评整改不到位", rating_id=rating.pk)
    assert linked.rating_id == rating.pk
    with pytest.raises(RequestInputError, match="评价"):
        file(zone, actor=zone.stranger, rating_id=rating.pk)


def test_request_file_linked_case_must_be_visible(zone, clock):
    item = ServiceItemFactory(department=zone.lead)
    case = case_services.case_create_draft(actor=zone.requester, item=item)
    case = case_services.case_submit(actor=zone.requester, case_id=case.pk)
    assert file(zone, case=case).case == case
    with pytest.raises(RequestInputError, match="办件"):
        file(zone, actor=zone.stranger, case=case)


def test_request_lead_answer_ends_helpers_parts(zone, answered):
    states = dict(answered.assignments.values_list("role", "state"))
    assert states == {"lead": AssignmentState.ANSWERED, "helper": AssignmentState.SUPERSEDED}
