"""The session services: chair election, compliance review, scoring, close, messages, and
every refusal audited with nothing saved changing."""

from decimal import Decimal

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.bidding import selectors, services
from onewindow.bidding.errors import (
    BiddingForbidden,
    BiddingInputError,
    BiddingStateError,
)
from onewindow.bidding.models import Score
from tests.bidding.conftest import EXAMPLE1, close_with_example1
from tests.factories import UserFactory

D = Decimal


def refusals(tender):
    return list(AuditEvent.objects.for_object(tender).filter(action="bidding.refused"))


def test_chair_elect_majority_opens_session(evaluation):
    evaluation.draw(seed="s1")
    members = evaluation.members()
    for member in members:
        services.member_answer(actor=member.user, member=member, accept=True)
    services.chair_elect(actor=members[0].user, tender=evaluation.tender, member=members[1])
    services.chair_elect(actor=members[1].user, tender=evaluation.tender, member=members[1])
    evaluation.tender.refresh_from_db()
    assert evaluation.tender.chair_id is None and evaluation.tender.state == "committee"
    services.chair_elect(actor=members[2].user, tender=evaluation.tender, member=members[1])
    evaluation.tender.refresh_from_db()
    assert evaluation.tender.chair_id == members[1].pk
    assert evaluation.tender.state == "evaluating"


def test_chair_elect_second_vote_refused(evaluation):
    evaluation.draw(seed="s1")
    members = evaluation.members()
    for member in members:
        services.member_answer(actor=member.user, member=member, accept=True)
    services.chair_elect(actor=members[0].user, tender=evaluation.tender, member=members[1])
    with pytest.raises(BiddingStateError):
        services.chair_elect(actor=members[0].user, tender=evaluation.tender, member=members[2])
    assert len(refusals(evaluation.tender)) == 1


def test_chair_elect_unconfirmed_member_refused(evaluation):
    evaluation.draw(seed="s1")
    members = evaluation.members()
    with pytest.raises(BiddingForbidden, match="尚未确认"):
        services.chair_elect(actor=members[0].user, tender=evaluation.tender, member=members[0])


def test_score_enter_saves_and_audits(seated):
    member, bid, criterion = seated.seated_members[1], seated.bids[0], seated.criteria[0]
    score = services.score_enter(actor=member.user, bid=bid, criterion=criterion,
                                 points=D("33.5"))
    assert score.points == D("33.50")
    changed = services.score_enter(actor=member.user, bid=bid, criterion=criterion,
                                   points=D("34"))
    assert changed.pk == score.pk and Score.objects.count() == 1
    event = AuditEvent.objects.for_object(score).last()
    assert (event.action, event.old_value, event.new_value) == ("bidding.score", "33.50", "34.00")


@pytest.mark.parametrize("points", ["40.01", "-1", "12.345", "abc", "NaN"])
def test_score_enter_out_of_bounds_refused_nothing_changes(seated, points):
    member, bid, criterion = seated.seated_members[1], seated.bids[0], seated.criteria[0]
    services.score_enter(actor=member.user, bid=bid, criterion=criterion, points=D("20"))
    with pytest.raises(BiddingInputError) as exc:
        services.score_enter(actor=member.user, bid=bid, criterion=criterion, points=points)
    assert Score.objects.get().points == D("20")
    refused = refusals(seated.tender)
    assert len(refused) == 1 and refused[0].note == exc.value.message
    assert refused[0].new_value["action"] == "score_enter"


def test_score_enter_bounds_message_names_criterion(seated):
    member = seated.seated_members[1]
    with pytest.raises(BiddingInputError, match="“技术方案”的分值应在 0.00 至 40.00 分之间"):
        services.score_enter(actor=member.user, bid=seated.bids[0],
                             criterion=seated.criteria[0], points=D("41"))


def test_score_enter_by_non_member_refused(seated):
    stranger = UserFactory(role="expert")
    with pytest.raises(BiddingForbidden, match="不是本项目评标委员会成员"):
        services.score_enter(actor=stranger, bid=seated.bids[0], criterion=seated.criteria[0],
                             points=D("10"))
    assert not Score.objects.exists()
    assert refusals(seated.tender)[0].actor_id == stranger.pk


def test_score_enter_after_close_refused_nothing_changes(seated):
    close_with_example1(seated)
    member = seated.seated_members[2]
    before = list(Score.objects.order_by("pk").values_list("pk", "points"))
    with pytest.raises(BiddingStateError, match="已结束评分"):
        services.score_enter(actor=member.user, bid=seated.bids[0],
                             criterion=seated.criteria[0], points=D("1"))
    assert list(Score.objects.order_by("pk").values_list("pk", "points")) == before
    assert len(refusals(seated.tender)) == 1


def test_score_enter_before_chair_refused(evaluation):
    evaluation.draw(seed="s1")
    member = evaluation.members()[0]
    services.member_answer(actor=member.user, member=member, accept=True)
    with pytest.raises(BiddingStateError, match="推选评标委员会主任"):
        services.score_enter(actor=member.user, bid=evaluation.bids[0],
                             criterion=evaluation.criteria[0], points=D("1"))


def test_score_enter_rejected_bid_refused(seated):
    chair = seated.seated_members[0]
    services.compliance_record(actor=chair.user, bid=seated.bids[0], passed=False,
                               reason="未提供有效的资格证明")
    with pytest.raises(BiddingInputError, match="未通过符合性审查"):
        services.score_enter(actor=chair.user, bid=seated.bids[0],
                             criterion=seated.criteria[0], points=D("1"))


def test_compliance_record_rejection_needs_reason(seated):
    with pytest.raises(BiddingInputError, match="必须填写理由"):
        services.compliance_record(actor=seated.seated_members[1].user, bid=seated.bids[0],
                                   passed=False, reason="  ")
    seated.bids[0].refresh_from_db()
    assert seated.bids[0].compliance == "pending"


def test_compliance_record_saves_reason(seated):
    bid = services.compliance_record(actor=seated.seated_members[1].user, bid=seated.bids[1],
                                     passed=False, reason="报价超出预算")
    assert (bid.compliance, bid.compliance_reason) == ("failed", "报价超出预算")


def test_scoring_close_only_chair(seated):
    members = seated.seated_members
    for bid in seated.bids:
        services.compliance_record(actor=members[0].user, bid=bid, passed=True)
    seated.score_all(members, EXAMPLE1)
    with pytest.raises(BiddingForbidden, match="只有评标委员会主任"):
        services.scoring_close(actor=members[1].user, tender=seated.tender)
    seated.tender.refresh_from_db()
    assert seated.tender.state == "evaluating"


def test_scoring_close_refused_while_scores_missing(seated):
    members = seated.seated_members
    for bid in seated.bids:
        services.compliance_record(actor=members[0].user, bid=bid, passed=True)
    services.score_enter(actor=members[0].user, bid=seated.bids[0],
                         criterion=seated.criteria[0], points=D("30"))
    with pytest.raises(BiddingStateError, match="还有 29 项评分未完成"):
        services.scoring_close(actor=members[0].user, tender=seated.tender)


def test_scoring_close_refused_with_pending_compliance(seated):
    with pytest.raises(BiddingStateError, match="3 份投标文件未完成符合性审查"):
        services.scoring_close(actor=seated.seated_members[0].user, tender=seated.tender)


def test_progress_counts_without_points(seated):
    member = seated.seated_members[1]
    services.score_enter(actor=member.user, bid=seated.bids[0], criterion=seated.criteria[0],
                         points=D("30"))
    progress = selectors.progress(tender=seated.tender)
    assert progress[member.pk]["scored"] == 1 and progress[member.pk]["total"] == 6
    assert progress[seated.seated_members[0].pk]["is_chair"] is True
    # Counts only: no entry carries the points (points are Decimals; a generated name such as
    # "王测530" may well contain "30", so the text is not searched).
    assert not any(isinstance(value, D) or "point" in key
                   for entry in progress.values() for key, value in entry.items())


def test_scores_visible_to_own_while_open_all_after_close(seated):
    a, b = seated.seated_members[0], seated.seated_members[1]
    services.score_enter(actor=a.user, bid=seated.bids[0], criterion=seated.criteria[0],
                         points=D("30"))
    services.score_enter(actor=b.user, bid=seated.bids[0], criterion=seated.criteria[0],
                         points=D("31"))
    assert [s.points for s in selectors.scores_visible_to(user=b.user, tender=seated.tender)] \
        == [D("31")]
    assert not selectors.scores_visible_to(user=seated.main_op, tender=seated.tender).exists()
    assert not selectors.scores_visible_to(user=UserFactory(), tender=seated.tender).exists()
    Score.objects.all().delete()
    close_with_example1(seated)
    seated.tender.refresh_from_db()
    assert selectors.scores_visible_to(user=b.user, tender=seated.tender).count() == 30
    assert selectors.scores_visible_to(user=seated.main_op, tender=seated.tender).count() == 30


def test_message_post_by_member_and_operator(seated):
    message = services.message_post(actor=seated.seated_members[1].user, tender=seated.tender,
                                    text="  请各位专家注意第二包的技术参数。 ")
    assert message.text == "请各位专家注意第二包的技术参数。"
    assert message.venue == seated.seated_members[1].venue
    by_operator = services.message_post(actor=seated.operators["yantai"], tender=seated.tender,
                                        text="烟台副场网络已恢复")
    assert by_operator.venue == seated.venues["yantai"] and by_operator.member is None


def test_message_post_by_stranger_or_empty_refused(seated):
    with pytest.raises(BiddingForbidden):
        services.message_post(actor=UserFactory(), tender=seated.tender, text="你好")
    with pytest.raises(BiddingInputError):
        services.message_post(actor=seated.seated_members[0].user, tender=seated.tender,
                              text=" ")
    assert not seated.tender.messages.exists()
    assert len(refusals(seated.tender)) == 2


def test_live_publish_called_after_commit(seated, monkeypatch, django_capture_on_commit_callbacks):
    events = []
    monkeypatch.setattr("onewindow.bidding.live.publish",
                        lambda **kwargs: events.append((kwargs["event"], kwargs["payload"])))
    member = seated.seated_members[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.score_enter(actor=member.user, bid=seated.bids[0],
                             criterion=seated.criteria[0], points=D("30"))
    assert [e for e, _ in events] == ["score", "progress"]
    assert events[0][1]["points"] == "30.00" and events[1][1] == {
        "member_id": member.pk, "scored": 1, "total": 6}


def test_live_publish_not_called_on_refusal(seated, monkeypatch,
                                            django_capture_on_commit_callbacks):
    events = []
    monkeypatch.setattr("onewindow.bidding.live.publish", lambda **kw: events.append(kw))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(BiddingInputError):
        services.score_enter(actor=seated.seated_members[1].user, bid=seated.bids[0],
                             criterion=seated.criteria[0], points=D("99"))
    assert events == []
