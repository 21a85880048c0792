"""Random legal and illegal actions on one case; the invariants hold after every step."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.cases import clocks, services
from onewindow.cases.enums import CaseState, PauseKind
from onewindow.cases.errors import CaseError
from onewindow.cases.models import Case
from onewindow.workdays.selectors import working_days_between
from tests.cases.conftest import upload_all

# (from state, fsm method) → to state, read from the model's own transition table.
TABLE = {
    (src, t.name): t.target
    for t in Case._meta.get_field("state").get_all_transitions(Case)
    for src in ([t.source] if isinstance(t.source, str) else t.source)
}


def actions(zone):
    """Each action: (fsm method it moves by, or None for a non-move; the call)."""
    req = zone.item.materials.first()
    return {
        "submit": ("submit", lambda c: services.case_submit(actor=zone.applicant, case_id=c)),
        "claim": ("start_pre_review", lambda c: services.case_claim(actor=zone.clerk, case_id=c)),
        "return": ("return_for_correction", lambda c: services.case_return(
            actor=zone.clerk, case_id=c, items=[(req, "请补正")])),
        "help": (None, lambda c: services.case_offer_help(
            actor=zone.clerk, case_id=c, reason_told="原因", help_offered="帮助")),
        "not_accept": ("not_accept", lambda c: services.case_not_accept(
            actor=zone.clerk, case_id=c, reason="不符合条件")),
        "accept": ("accept", lambda c: services.case_accept(actor=zone.clerk, case_id=c)),
        "review": ("start_review", lambda c: services.case_start_review(
            actor=zone.reviewer, case_id=c)),
        "suspend": ("suspend", lambda c: services.case_suspend(
            actor=zone.reviewer, case_id=c, procedure="testing", reason="检验")),
        "resume": ("resume", lambda c: services.case_resume(actor=zone.reviewer, case_id=c)),
        "extend": (None, lambda c: services.case_extend(
            actor=zone.approver, case_id=c, days=5, reason="复杂")),
        "opinion": (None, lambda c: services.case_review_step(
            actor=zone.reviewer, case_id=c, kind="review", outcome="agree", opinion="同意")),
        "approve": ("decide", lambda c: services.case_decide(
            actor=zone.approver, case_id=c, decision="approved")),
        "deny": ("decide", lambda c: services.case_decide(
            actor=zone.approver, case_id=c, decision="denied", reason="不符合")),
        "complete": ("complete", lambda c: services.case_complete(actor=zone.clerk, case_id=c)),
        "deliver": ("deliver", lambda c: services.case_deliver(
            actor=zone.clerk, case_id=c, method="download")),
        "withdraw": ("withdraw", lambda c: services.case_withdraw(
            actor=zone.applicant, case_id=c)),
        "stranger_withdraws": ("withdraw", lambda c: services.case_withdraw(
            actor=zone.stranger, case_id=c)),
        "other_dept_reviews": ("start_review", lambda c: services.case_start_review(
            actor=zone.other_reviewer, case_id=c)),
    }


RELATED = ("documents", "pauses", "corrections", "notifications", "review_steps",
           "help_offers", "notes", "escalations", "materials", "tolerance_pledges",
           "tolerated_materials", "provided_materials", "verification_tasks")


def everything_written(case_id: int) -> dict:
    """The case's row, the count of each kind of row about it in `RELATED`, and of audit
    events."""
    case = Case.objects.get(pk=case_id)
    return {"row": Case.objects.filter(pk=case_id).values().get(),
            **{name: getattr(case, name).count() for name in RELATED},
            "audit events": AuditEvent.objects.count()}


@pytest.mark.django_db
def test_case_state_machine_random_actions_keep_invariants(zone, monkeypatch):
    calendar_day = {"today": dt.date(2026, 3, 2)}
    monkeypatch.setattr("onewindow.cases.clocks.today", lambda: calendar_day["today"])
    table = actions(zone)

    class CaseMachine(RuleBasedStateMachine):
        @initialize()
        def new_case(self):
            calendar_day["today"] = dt.date(2026, 3, 2)
            case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                              enterprise=zone.enterprise)
            upload_all(case, zone.applicant)
            self.case_id = case.pk

        @rule(name=st.sampled_from(sorted(table)))
        def act(self, name):
            method, call = table[name]
            before = Case.objects.get(pk=self.case_id)
            written = everything_written(self.case_id)
            try:
                after = call(self.case_id)
            except CaseError:
                # Refused: nothing changed, not a field of the case, not a row about it.
                assert everything_written(self.case_id) == written
                return
            events = written["audit events"]
            if method is None:
                assert after.state == before.state
            else:
                assert TABLE[(before.state, method)] == after.state
            assert AuditEvent.objects.count() > events

        @rule(days=st.integers(min_value=0, max_value=9))
        def time_passes(self, days):
            calendar_day["today"] += dt.timedelta(days=days)

        @invariant()
        def clocks_never_negative(self):
            if not hasattr(self, "case_id"):
                return
            case = Case.objects.get(pk=self.case_id)
            assert case.state in CaseState.values
            for clock in clocks.clocks(case):
                assert clock.used >= 0 and clock.remaining >= 0
            # The counts before the clocks clamp them: time runs forward only.
            on = calendar_day["today"]
            if case.received_on:
                assert working_days_between(case.received_on, on) >= 0
            for kind in (PauseKind.WITH_APPLICANT, PauseKind.SPECIAL_PROCEDURE):
                for start, end in clocks.pause_spans(case, kind, until=on):
                    assert working_days_between(start, end) >= 0
            if case.accepted_on:
                assert case.received_on <= case.accepted_on <= case.promised_due \
                    <= case.legal_due
                assert working_days_between(case.accepted_on, on, clocks.pause_spans(
                    case, PauseKind.SPECIAL_PROCEDURE, until=on)) >= 0

        def teardown(self):
            assert audit_verify()[1] is None

    CaseMachine.TestCase.settings = settings(
        max_examples=20, stateful_step_count=25, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture,
                               HealthCheck.too_slow])
    CaseMachine.TestCase().runTest()
