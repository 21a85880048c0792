"""The committee draw: size rules, avoidance before and after, redraws, replay from the seed,
audit and notification, the experts' answers."""

from decimal import Decimal

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.bidding import draw as drawing
from onewindow.bidding import services
from onewindow.bidding.errors import (
    BiddingForbidden,
    BiddingInputError,
    BiddingStateError,
    CommitteeRuleError,
    DrawShortage,
)
from onewindow.bidding.models import CommitteeDraw, CommitteeMember
from onewindow.cases.models import Notification
from tests.factories import DepartmentFactory, UserFactory, make_uscc

D = Decimal


def seated_experts(tender):
    return set(CommitteeMember.objects.filter(tender=tender, status__in=["invited", "confirmed"])
               .values_list("expert", flat=True))


def test_draw_seats_by_speciality_across_cities(evaluation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = evaluation.draw(seed="abc")
    members = evaluation.members()
    assert len(members) == 5
    assert sorted(m.speciality.code for m in members) == ["econ", "econ", "it", "it", "it"]
    for member in members:
        assert member.speciality in member.expert.specialities.all()
        assert member.venue.city == member.expert.city
    assert all(n <= 3 for n in
               [sum(m.venue_id == v.pk for m in members) for v in evaluation.venues.values()])
    assert record.seed == "abc" and len(record.candidates) == 9 and record.exclusions == []
    evaluation.tender.refresh_from_db()
    assert evaluation.tender.state == "committee"
    invites = Notification.objects.filter(verb="bidding_invite")
    assert sorted(invites.values_list("user", flat=True)) == sorted(m.user_id for m in members)
    assert "QDGX-2026-0001" in invites.first().body
    event = AuditEvent.objects.for_object(record).get()
    assert event.action == "bidding.committee_drawn" and event.new_value["seed"] == "abc"


def test_draw_replays_from_recorded_seed(evaluation):
    record = evaluation.draw(seed="replay-me")
    replayed = services.draw_replay(CommitteeDraw.objects.get(pk=record.pk))
    assert [d.expert_id for d in replayed] == [d["expert"] for d in record.drawn]
    assert {d.expert_id for d in replayed} == seated_experts(evaluation.tender)


def test_draw_order_follows_sha256_tickets():
    candidates = [drawing.Candidate(i, ("it",), "c") for i in range(1, 8)]
    drawn = drawing.draw(seed="s", needs={"it": 3}, candidates=candidates, excluded=set(),
                         seats={"c": 9})
    expected = sorted(range(1, 8), key=lambda i: drawing.ticket("s", "it", i))[:3]
    assert [d.expert_id for d in drawn] == expected


def test_draw_different_seeds_differ():
    candidates = [drawing.Candidate(i, ("it",), "c") for i in range(1, 40)]
    picks = {tuple(d.expert_id for d in drawing.draw(
        seed=seed, needs={"it": 5}, candidates=candidates, excluded=set(), seats={"c": 9}))
        for seed in ("a", "b", "c")}
    assert len(picks) == 3


def test_draw_respects_seats_per_city():
    candidates = [drawing.Candidate(i, ("it",), "full" if i < 6 else "free") for i in range(10)]
    drawn = drawing.draw(seed="x", needs={"it": 5}, candidates=candidates, excluded=set(),
                         seats={"full": 1, "free": 9})
    assert sum(d.city == "full" for d in drawn) <= 1


def test_avoidance_before_draw_excludes_related_experts(evaluation):
    bidder = evaluation.bids[0]
    relative, colleague, official, punished = evaluation.experts[:4]
    services.expert_relation_add(actor=evaluation.main_op, expert=relative, kind="relative",
                                 party=bidder.bidder, party_uscc=bidder.bidder_uscc)
    colleague.organisation_uscc = evaluation.bids[1].bidder_uscc
    colleague.save()
    department = DepartmentFactory(code="czj", name="高新区财政局")
    evaluation.tender.supervising_department = department
    evaluation.tender.save()
    official.department = department
    official.save()
    punished.punished = True
    punished.save()
    services.committee_draw(actor=evaluation.main_op, tender=evaluation.tender,
                            needs={"it": 5}, seed="avoid")
    record = CommitteeDraw.objects.get()
    excluded = {e["expert"]: e["reasons"] for e in record.exclusions}
    assert set(excluded) == {relative.pk, colleague.pk, official.pk, punished.pk}
    assert "与投标人青岛甲科技有限公司存在近亲属关系" in excluded[relative.pk]
    assert "与投标人青岛乙科技有限公司为同一单位" in excluded[colleague.pk]
    assert "系本项目监督部门工作人员" in excluded[official.pk]
    assert not seated_experts(evaluation.tender) & set(excluded)


def test_avoidance_after_draw_excludes_and_redraws(evaluation):
    record = evaluation.draw(seed="after")
    member = evaluation.members()[0]
    late_bid = services.bid_register(actor=evaluation.main_op, tender=evaluation.tender,
                                     lot=evaluation.lot, bidder="青岛丁科技有限公司",
                                     bidder_uscc=make_uscc(999), price=D("990000"))
    services.expert_relation_add(actor=evaluation.main_op, expert=member.expert,
                                 kind="economic", party=late_bid.bidder,
                                 party_uscc=late_bid.bidder_uscc)
    excluded = services.avoidance_check(actor=evaluation.main_op, tender=evaluation.tender)
    assert [m.pk for m in excluded] == [member.pk]
    member.refresh_from_db()
    assert member.status == "excluded" and "经济利益关系" in member.status_note
    replacement = CommitteeDraw.objects.exclude(pk=record.pk).get()
    assert replacement.is_replacement and replacement.replaces == member.pk
    assert "抽取后回避检查" in replacement.reason
    assert len(evaluation.members()) == 5
    assert member.expert_id not in seated_experts(evaluation.tender)
    new = CommitteeMember.objects.get(draw=replacement)
    assert new.speciality == member.speciality


def test_second_draw_without_reason_refused_and_audited(evaluation):
    evaluation.draw(seed="first")
    before = seated_experts(evaluation.tender)
    with pytest.raises(BiddingInputError, match="重新抽取必须记录理由"):
        evaluation.draw(seed="second")
    assert seated_experts(evaluation.tender) == before
    assert CommitteeDraw.objects.count() == 1
    refused = AuditEvent.objects.for_object(evaluation.tender).get(action="bidding.refused")
    assert refused.new_value["action"] == "committee_draw"


def test_second_draw_with_reason_replaces_experts(evaluation):
    first = evaluation.draw(seed="first")
    second = evaluation.draw(seed="second", reason="原定评标日期变更，专家时间冲突")
    assert second.number == 2 and second.reason.startswith("原定")
    assert CommitteeMember.objects.filter(draw=first, status="replaced").count() == 5
    assert CommitteeMember.objects.filter(draw=second, status="invited").count() == 5


def test_draw_refuses_invalid_committee(evaluation):
    evaluation.tender.committee_size = 6
    evaluation.tender.save()
    with pytest.raises(CommitteeRuleError, match="单数"):
        evaluation.draw(needs={"it": 6})
    assert not CommitteeDraw.objects.exists()


def test_draw_refuses_five_for_large_budget(evaluation):
    evaluation.tender.budget = D("12000000")
    evaluation.tender.save()
    with pytest.raises(CommitteeRuleError, match="7人以上"):
        evaluation.draw()


def test_draw_refuses_needs_not_matching_size(evaluation):
    with pytest.raises(BiddingInputError, match="合计应为 5 人"):
        evaluation.draw(needs={"it": 4})
    with pytest.raises(BiddingInputError, match="未知的评标专业"):
        evaluation.draw(needs={"law": 5})


def test_draw_shortage_names_speciality(evaluation):
    with pytest.raises(DrawShortage, match="经济"):
        evaluation.draw(needs={"econ": 5})


def test_draw_by_sub_venue_operator_refused(evaluation):
    with pytest.raises(BiddingForbidden):
        services.committee_draw(actor=evaluation.operators["yantai"], tender=evaluation.tender,
                                needs={"it": 5})


def test_member_decline_and_replace(evaluation):
    evaluation.draw(seed="decline")
    member = evaluation.members()[1]
    with pytest.raises(BiddingInputError):
        services.member_answer(actor=member.user, member=member, accept=False)
    services.member_answer(actor=member.user, member=member, accept=False, reason="当日出差")
    member.refresh_from_db()
    assert member.status == "declined"
    with pytest.raises(BiddingInputError, match="补抽必须记录理由"):
        services.member_replace(actor=evaluation.main_op, member=member, reason="")
    record = services.member_replace(actor=evaluation.main_op, member=member,
                                     reason="专家当日出差")
    assert record.is_replacement and len(record.drawn) == 1
    assert member.expert_id in {e["expert"] for e in record.exclusions}
    assert [d.expert_id for d in services.draw_replay(record)] == \
        [d["expert"] for d in record.drawn]
    with pytest.raises(BiddingStateError, match="已为该专家补抽过"):
        services.member_replace(actor=evaluation.main_op, member=member, reason="再来一次")


def test_member_conflict_declared_is_excluded(evaluation):
    evaluation.draw(seed="conflict")
    member = evaluation.members()[0]
    services.member_answer(actor=member.user, member=member, accept=False, conflict=True,
                           reason="本人配偶在投标单位任职")
    member.refresh_from_db()
    assert member.status == "excluded"


def test_member_answer_only_by_the_expert(evaluation):
    evaluation.draw(seed="own")
    member = evaluation.members()[0]
    with pytest.raises(BiddingForbidden):
        services.member_answer(actor=UserFactory(role="expert"), member=member, accept=True)


def test_buyer_rep_counts_against_expert_share(evaluation):
    evaluation.tender.buyer_reps = 1
    evaluation.tender.save()
    evaluation.draw(needs={"it": 2, "econ": 2}, seed="rep")
    rep = UserFactory(role="applicant", username="buyer_rep")
    member = services.buyer_rep_add(actor=evaluation.main_op, tender=evaluation.tender,
                                    user=rep, venue=evaluation.venues["main"])
    assert member.kind == "buyer_rep"
    with pytest.raises(CommitteeRuleError, match="名额"):
        services.buyer_rep_add(actor=evaluation.main_op, tender=evaluation.tender,
                               user=UserFactory(), venue=evaluation.venues["main"])
    evaluation.tender.buyer_reps = 2
    evaluation.tender.save()
    with pytest.raises(CommitteeRuleError, match="三分之二"):
        evaluation.draw(needs={"it": 3}, reason="调整采购人代表")
