"""Two venues act at the same moment: the tender row lock orders them (PostgreSQL only)."""

from decimal import Decimal

import pytest
from django.db import connection

from onewindow.audit.selectors import audit_verify
from onewindow.bidding import services
from onewindow.bidding.errors import BiddingInputError, BiddingStateError
from onewindow.bidding.models import ChairVote, CommitteeDraw, Score, Tender
from tests.bidding.conftest import EXAMPLE1, Evaluation
from tests.cases.conftest import race


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing for a row lock: run on PostgreSQL")


@pytest.fixture
def seated_tx(postgres_only, transactional_db):
    ev = Evaluation()
    ev.seated_members = ev.seat()
    return ev


@pytest.mark.django_db(transaction=True)
def test_first_draw_race_one_wins_other_needs_reason(postgres_only):
    ev = Evaluation()
    other = ev.operators["main"]
    outcomes = race(lambda: ev.draw(seed="a"),
                    lambda: services.committee_draw(actor=other, tender=ev.tender,
                                                    needs={"it": 3, "econ": 2}, seed="b"))
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(losers) == 1 and isinstance(losers[0], BiddingInputError)
    assert "重新抽取必须记录理由" in losers[0].message
    assert CommitteeDraw.objects.count() == 1
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_score_change_and_close_race_never_changes_after_close(seated_tx):
    ev = seated_tx
    members = ev.seated_members
    for bid in ev.bids:
        services.compliance_record(actor=members[0].user, bid=bid, passed=True)
    ev.score_all(members, EXAMPLE1)
    outcomes = race(
        lambda: services.score_enter(actor=members[3].user, bid=ev.bids[0],
                                     criterion=ev.criteria[0], points=Decimal("1")),
        lambda: services.scoring_close(actor=members[0].user, tender=ev.tender))
    tender = Tender.objects.get(pk=ev.tender.pk)
    assert tender.state == "scored"
    changed = Score.objects.get(member=members[3], bid=ev.bids[0], criterion=ev.criteria[0])
    if isinstance(outcomes[0], Exception):
        assert isinstance(outcomes[0], BiddingStateError)
        assert changed.points == Decimal("35")
    else:
        assert changed.points == Decimal("1")
        assert changed.updated_at <= tender.scoring_closed_at
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_double_chair_vote_race_counts_once(postgres_only):
    ev = Evaluation()
    ev.draw(seed="vote")
    members = ev.members()
    for member in members:
        services.member_answer(actor=member.user, member=member, accept=True)
    outcomes = race(*[lambda m=m: services.chair_elect(actor=members[0].user, tender=ev.tender,
                                                       member=m) for m in members[1:3]])
    assert sum(isinstance(o, Exception) for o in outcomes) == 1
    assert ChairVote.objects.filter(voter=members[0]).count() == 1
