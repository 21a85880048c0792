"""The demo tender: nine experts across three venues, a confirmed committee; idempotent."""

from onewindow.bidding.models import Tender
from onewindow.bidding.seeding import seed_demo_bidding
from onewindow.bidding.services import draw_replay


def test_seed_demo_bidding_idempotent(db):
    assert seed_demo_bidding() > 0
    tender = Tender.objects.get()
    members = tender.members.select_related("venue", "user")
    assert members.count() == 9 and {m.status for m in members} == {"confirmed"}
    assert sorted(m.user.username for m in members) == [f"expert{i}" for i in range(1, 10)]
    assert {m.venue.code for m in members} == {"qdgx", "yantai", "laoshan"}
    assert members[0].user.check_password("Demo@2026")
    draw = tender.draws.get()
    assert [d.expert_id for d in draw_replay(draw)] == [d["expert"] for d in draw.drawn]
    assert seed_demo_bidding() == 0


def test_seed_demo_bidding_skipped_without_demo_users(db, monkeypatch):
    monkeypatch.setenv("ONEWINDOW_NO_DEMO_USERS", "1")
    assert seed_demo_bidding() == 0
    assert not Tender.objects.exists()

