"""Random legal and illegal steps on rectification tasks; the invariants hold after each."""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.feedback import services
from onewindow.feedback.enums import RectificationState as R
from onewindow.feedback.errors import FeedbackError
from onewindow.feedback.models import Rectification
from onewindow.feedback.services.rectification import MOVES
from tests.feedback.factories import CompletedCaseFactory


def steps(zone):
    """name: (the move it is, the call). Some are by the wrong person: always refused."""
    def by(user, fn):
        return lambda pk: fn(user, pk)

    return {
        "call": ("record_call", by(zone.reviewer, lambda u, pk: services.rectification_record_call(
            actor=u, task_id=pk, called_at=timezone.now(), outcome="understood", note="回访"))),
        "report": ("report", by(zone.reviewer, lambda u, pk: services
                                .rectification_submit_report(actor=u, task_id=pk, report="整改"))),
        "accept": ("accept", by(zone.supervisor, lambda u, pk: services.rectification_accept(
            actor=u, task_id=pk))),
        "return": ("return", by(zone.supervisor, lambda u, pk: services.rectification_return(
            actor=u, task_id=pk, reason="不够"))),
        "appeal": ("appeal", by(zone.applicant, lambda u, pk: services.rectification_appeal(
            actor=u, task_id=pk, reason="不服"))),
        "uphold": ("uphold_appeal", by(zone.supervisor, lambda u, pk: services
                                       .rectification_decide_appeal(actor=u, task_id=pk,
                                                                    upheld=True, decision="成立"))),
        "dismiss": ("dismiss_appeal", by(zone.supervisor, lambda u, pk: services
                                         .rectification_decide_appeal(actor=u, task_id=pk,
                                                                      upheld=False,
                                                                      decision="不成立"))),
        "other_dept_calls": (None, by(zone.other_reviewer, lambda u, pk: services
                                      .rectification_record_call(
                                          actor=u, task_id=pk, called_at=timezone.now(),
                                          outcome="understood", note="x"))),
        "department_accepts": (None, by(zone.reviewer, lambda u, pk: services
                                        .rectification_accept(actor=u, task_id=pk))),
        "stranger_appeals": (None, by(zone.stranger, lambda u, pk: services
                                      .rectification_appeal(actor=u, task_id=pk, reason="x"))),
    }


@pytest.mark.django_db
def test_rectification_random_steps_keep_invariants(zone, rate):
    table = steps(zone)

    class TaskMachine(RuleBasedStateMachine):
        @initialize()
        def bad_review(self):
            case = CompletedCaseFactory(applicant=zone.applicant, item__department=zone.dept,
                                        claimed_by=zone.clerk)
            self.pk = rate(1, "很差", case=case).rectification.pk
            self.returns = 0
            self.appealed = False

        @rule(name=st.sampled_from(sorted(table)))
        def act(self, name):
            move, call = table[name]
            before = Rectification.objects.get(pk=self.pk)
            events = AuditEvent.objects.count()
            try:
                call(self.pk)
            except FeedbackError:
                again = Rectification.objects.get(pk=self.pk)
                assert (again.state, again.updated_at) == (before.state, before.updated_at)
                assert AuditEvent.objects.count() == events
                return
            assert move is not None, f"{name} by the wrong person was allowed"
            sources, target, _perm = MOVES[move]
            after = Rectification.objects.get(pk=self.pk)
            assert before.state in sources
            assert after.state == (target or before.state)
            self.returns += move == "return"
            self.appealed |= move == "appeal"
            assert AuditEvent.objects.count() == events + 1

        @invariant()
        def consistent(self):
            if not hasattr(self, "pk"):
                return
            task = Rectification.objects.get(pk=self.pk)
            assert task.state in R.values and task.return_count == self.returns
            if task.state in (R.SUBMITTED, R.ACCEPTED):
                assert task.report and task.calls.exists()
            assert (task.appealed_at is not None) == self.appealed
            if task.state in (R.APPEALED, R.CLOSED):
                assert task.appealed_at is not None

        def teardown(self):
            assert audit_verify()[1] is None

    TaskMachine.TestCase.settings = settings(
        max_examples=15, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    TaskMachine.TestCase().runTest()
