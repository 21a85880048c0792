"""Random legal and illegal session actions on one tender; the invariants hold after every step:
a refusal changes nothing saved and is audited, scores stay within bounds and never change
after the close, the state only moves forward, the audit chain verifies."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.bidding import services
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import Bid, Report, ReportSignature, Score, Tender
from tests.factories import UserFactory

ORDER = ["draft", "committee", "evaluating", "scored", "reported"]
D = Decimal


def snapshot(tender_id):
    return (Tender.objects.filter(pk=tender_id).values_list("state", "chair").get(),
            sorted(Score.objects.filter(bid__tender_id=tender_id)
                   .values_list("member", "bid", "criterion", "points")),
            sorted(Bid.objects.filter(tender_id=tender_id)
                   .values_list("pk", "compliance", "compliance_reason")),
            list(Report.objects.filter(tender_id=tender_id).values_list("pk", "countersignature")),
            ReportSignature.objects.filter(report__tender_id=tender_id).count())


@pytest.mark.django_db
def test_session_state_machine_random_actions_keep_invariants(evaluation):
    ev = evaluation
    stranger = UserFactory(role="expert", username="stranger")
    numbers = itertools.count(2)

    class SessionMachine(RuleBasedStateMachine):
        @initialize()
        def new_tender(self):
            ev.tender = ev.make_tender(number=f"QDGX-SM-{next(numbers):04d}")
            ev.criteria = [services.criterion_add(actor=ev.main_op, tender=ev.tender,
                                                  name=n, max_points=p)
                           for n, p in (("技术", D("40")), ("服务", D("30")))]
            lot = ev.tender.lots.get()
            ev.bids = [services.bid_register(actor=ev.main_op, tender=ev.tender, lot=lot,
                                             bidder=f"公司{i}", bidder_uscc=u, price=D(p))
                       for i, (u, p) in enumerate(zip(
                           [b.bidder_uscc for b in Bid.objects.filter(
                               tender__number="QDGX-2026-0001")],
                           ["950000", "1000000", "1100000"], strict=True))]
            self.members = ev.seat()
            self.tender_id = ev.tender.pk
            self.closed_scores = None

        def attempt(self, call):
            before, events = snapshot(self.tender_id), AuditEvent.objects.count()
            try:
                call()
            except BiddingError as exc:
                assert snapshot(self.tender_id) == before, exc.message
                refused = AuditEvent.objects.order_by("-id").first()
                assert refused.action == "bidding.refused" and refused.note == exc.message
                assert AuditEvent.objects.count() == events + 1
                return
            assert AuditEvent.objects.count() > events

        @rule(m=st.integers(0, 4), b=st.integers(0, 2), c=st.integers(0, 1),
              points=st.decimals(min_value=-5, max_value=45, places=2))
        def score(self, m, b, c, points):
            self.attempt(lambda: services.score_enter(
                actor=self.members[m].user, bid=ev.bids[b], criterion=ev.criteria[c],
                points=points))

        @rule(m=st.integers(0, 4), b=st.integers(0, 2), passed=st.booleans(),
              reason=st.sampled_from(["", "资格证明缺失"]))
        def compliance(self, m, b, passed, reason):
            self.attempt(lambda: services.compliance_record(
                actor=self.members[m].user, bid=ev.bids[b], passed=passed, reason=reason))

        @rule()
        def fill_all(self):
            for bid in ev.bids:
                self.attempt(lambda bid=bid: services.compliance_record(
                    actor=self.members[0].user, bid=bid, passed=True))
                for member, criterion in itertools.product(self.members, ev.criteria):
                    self.attempt(lambda m=member, c=criterion, bid=bid: services.score_enter(
                        actor=m.user, bid=bid, criterion=c, points=D("20")))

        @rule(m=st.integers(0, 4))
        def close(self, m):
            self.attempt(lambda: services.scoring_close(actor=self.members[m].user,
                                                        tender=Tender(pk=self.tender_id)))

        @rule(by_chair=st.booleans())
        def report(self, by_chair):
            actor = self.members[0].user if by_chair else self.members[1].user
            self.attempt(lambda: services.report_create(actor=actor,
                                                        tender=Tender(pk=self.tender_id)))

        @rule(m=st.integers(0, 4), dissent=st.booleans())
        def sign(self, m, dissent):
            report = Report.objects.filter(tender_id=self.tender_id).first()
            if report is None:
                return
            user = self.members[m].user
            self.attempt(lambda: services.report_dissent(actor=user, report=report,
                                                         reasons="保留意见") if dissent
                         else services.report_sign(actor=user, report=report))

        @rule(main=st.booleans())
        def countersign(self, main):
            report = Report.objects.filter(tender_id=self.tender_id).first()
            if report is None:
                return
            actor = ev.main_op if main else ev.operators["yantai"]
            self.attempt(lambda: services.report_countersign(actor=actor, report=report))

        @rule()
        def stranger_acts(self):
            self.attempt(lambda: services.score_enter(actor=stranger, bid=ev.bids[0],
                                                      criterion=ev.criteria[0], points=1))

        @invariant()
        def scores_within_bounds_and_frozen_after_close(self):
            if not hasattr(self, "tender_id"):
                return
            tender = Tender.objects.get(pk=self.tender_id)
            for s in Score.objects.filter(bid__tender=tender).select_related("criterion"):
                assert s.criterion.min_points <= s.points <= s.criterion.max_points
            current = snapshot(self.tender_id)[1]
            if tender.state in ("scored", "reported"):
                if self.closed_scores is None:
                    self.closed_scores = current
                assert current == self.closed_scores
            assert ORDER.index(tender.state) >= ORDER.index("evaluating")

        def teardown(self):
            assert audit_verify()[1] is None

    SessionMachine.TestCase.settings = settings(
        max_examples=10, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    SessionMachine.TestCase().runTest()
