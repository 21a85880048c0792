"""Random legal and illegal steps on a request; the invariants hold after each step."""

import contextlib

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.complaints import jobs, services
from onewindow.complaints.enums import ANSWERED_STATES, ASSIGNMENT_ACTIVE
from onewindow.complaints.enums import RequestState as S
from onewindow.complaints.errors import ComplaintError
from onewindow.complaints.models import ServiceRequest
from onewindow.feedback.errors import FeedbackError
from onewindow.feedback.services import rating_submit
from tests.complaints.conftest import MONDAY_9, file

# Every state change the machine may make; anything else is a bug.
EDGES = {
    (S.SUBMITTED, S.DISPATCHED), (S.RETURNED, S.DISPATCHED), (S.DISPATCHED, S.ACCEPTED),
    (S.DISPATCHED, S.ANSWERED), (S.ACCEPTED, S.ANSWERED), (S.DISPATCHED, S.RETURNED),
    (S.ACCEPTED, S.RETURNED), (S.ANSWERED, S.DISPATCHED), (S.CLOSED, S.DISPATCHED),
    (S.ANSWERED, S.CLOSED), (S.SUBMITTED, S.WITHDRAWN), (S.DISPATCHED, S.WITHDRAWN),
    (S.RETURNED, S.WITHDRAWN), (S.SUBMITTED, S.DISMISSED), (S.RETURNED, S.DISMISSED),
}


def steps(zone):
    """name: (may it ever succeed, the call)."""
    s = services
    return {
        "dispatch": (True, lambda pk: s.request_dispatch(
            actor=zone.dispatcher, request_id=pk, lead=zone.lead, helpers=[zone.helper])),
        "lead_accepts": (True, lambda pk: s.request_accept(actor=zone.lead_staff, request_id=pk)),
        "helper_accepts": (True, lambda pk: s.request_accept(actor=zone.helper_staff,
                                                             request_id=pk)),
        "lead_answers": (True, lambda pk: s.request_answer(actor=zone.lead_staff,
                                                           request_id=pk, text="答复")),
        "helper_opinion": (True, lambda pk: s.request_answer(actor=zone.helper_staff,
                                                             request_id=pk, text="意见")),
        "lead_sends_back": (True, lambda pk: s.request_send_back(
            actor=zone.lead_staff, request_id=pk, reason="非本局职责")),
        "nudge": (True, lambda pk: s.request_nudge(actor=zone.dispatcher, request_id=pk,
                                                   text="催办")),
        "extension": (True, lambda pk: s.extension_request(
            actor=zone.lead_staff, request_id=pk, amount=1, unit="working_days", reason="调查")),
        "approve": (True, lambda pk: s.extension_decide(actor=zone.dispatcher, request_id=pk,
                                                        approve=True)),
        "withdraw": (True, lambda pk: s.request_withdraw(actor=zone.requester, request_id=pk)),
        "dismiss": (True, lambda pk: s.request_dismiss(actor=zone.dispatcher, request_id=pk,
                                                       reason="重复")),
        "close": (True, lambda pk: s.request_close(actor=zone.requester, request_id=pk)),
        "reopen": (True, lambda pk: s.request_reopen(actor=zone.requester, request_id=pk,
                                                     reason="不满意")),
        "requester_dispatches": (False, lambda pk: s.request_dispatch(
            actor=zone.requester, request_id=pk, lead=zone.lead)),
        "stranger_withdraws": (False, lambda pk: s.request_withdraw(actor=zone.stranger,
                                                                    request_id=pk)),
        "lead_reopens": (False, lambda pk: s.request_reopen(actor=zone.lead_staff,
                                                            request_id=pk, reason="x")),
    }


@pytest.mark.django_db
def test_request_random_steps_keep_invariants(zone, clock):
    table = steps(zone)

    class RequestMachine(RuleBasedStateMachine):
        @initialize()
        def filed(self):
            clock.set(MONDAY_9)  # each example starts on the same Monday
            self.pk = file(zone).pk

        @rule(name=st.sampled_from(sorted(table)))
        def act(self, name):
            may, call = table[name]
            before = ServiceRequest.objects.get(pk=self.pk)
            events = AuditEvent.objects.count()
            try:
                call(self.pk)
            except ComplaintError:
                again = ServiceRequest.objects.get(pk=self.pk)
                assert (again.state, again.updated_at) == (before.state, before.updated_at)
                assert AuditEvent.objects.count() == events
                return
            assert may, f"{name} was allowed"
            after = ServiceRequest.objects.get(pk=self.pk)
            assert after.state == before.state or (before.state, after.state) in EDGES
            assert AuditEvent.objects.count() == events + 1

        @rule(level=st.sampled_from([1, 5]))
        def rate(self, level):
            request = ServiceRequest.objects.get(pk=self.pk)
            with contextlib.suppress(FeedbackError):
                rating_submit(actor=zone.requester, subject=request, level=level,
                              comment="原因")

        @rule(hours=st.sampled_from([1, 30, 24 * 12]))
        def time_passes(self, hours):
            clock.advance(hours=hours)
            jobs.tick()

        @invariant()
        def consistent(self):
            if not hasattr(self, "pk"):
                return
            request = ServiceRequest.objects.get(pk=self.pk)
            active = request.assignments.filter(state__in=ASSIGNMENT_ACTIVE)
            if request.state in (S.DISPATCHED, S.ACCEPTED):
                assert active.filter(role="lead", cycle=request.cycle).count() == 1
            else:
                assert not active.exists()
            assert (request.answered_at is not None) == (request.state in ANSWERED_STATES)
            assert request.reopen_count <= 1
            assert request.response_due > request.clock_start
            assert request.closing_due > request.clock_start

        def teardown(self):
            assert audit_verify()[1] is None

    RequestMachine.TestCase.settings = settings(
        max_examples=15, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    RequestMachine.TestCase().runTest()
