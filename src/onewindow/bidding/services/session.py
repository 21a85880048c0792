"""The evaluation session: chair election, compliance review, scoring, close, messages.

Every service locks the tender row first, checks who acts and in which state, writes, audits,
and publishes a live event after the commit. A refusal changes nothing and is audited
(`refusals_audited`). The live layer (live.py) pushes the events to every venue.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding import selectors
from onewindow.bidding.enums import SESSION_STATES, Compliance, MemberStatus, TenderState
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError, BiddingStateError
from onewindow.bidding.models import (
    Bid,
    ChairVote,
    CommitteeMember,
    Criterion,
    Message,
    Score,
    Tender,
)
from onewindow.bidding.services.common import (
    lock_tender,
    publish_on_commit,
    refusals_audited,
    require_state,
)

MESSAGE_MAX = 2000


def _confirmed_member(actor, tender: Tender) -> CommitteeMember:
    member = selectors.member_for(user=actor, tender=tender)
    if member is None:
        raise BiddingForbidden(_("您不是本项目评标委员会成员，不能执行此操作。"))
    if member.status != MemberStatus.CONFIRMED:
        raise BiddingForbidden(_("您尚未确认参加本项目评标，请先确认。"))
    return member


def _require_evaluating(tender: Tender) -> None:
    if tender.state in (TenderState.SCORED, TenderState.REPORTED):
        raise BiddingStateError(_("评标委员会主任已结束评分，不能再修改。"))
    if tender.state != TenderState.EVALUATING:
        raise BiddingStateError(_("评标尚未开始：请先推选评标委员会主任。"))


@refusals_audited("chair_elect")
def chair_elect(*, actor, tender: Tender, member: CommitteeMember) -> Tender:
    """One vote per confirmed member; the first candidate with votes from more than half of
    the committee (its set size) becomes chair and the session opens (state `evaluating`)."""
    tender = lock_tender(tender.pk)
    require_state(tender, SESSION_STATES, _("当前阶段不能推选评标委员会主任。"))
    if tender.chair_id is not None:
        raise BiddingStateError(_("评标委员会主任已经选出。"))
    voter = _confirmed_member(actor, tender)
    member = CommitteeMember.objects.select_related("user").get(pk=member.pk)
    if member.tender_id != tender.pk or member.status != MemberStatus.CONFIRMED:
        raise BiddingInputError(_("只能推选已确认参加的本项目评标委员会成员。"))
    if ChairVote.objects.filter(tender=tender, voter=voter).exists():
        raise BiddingStateError(_("您已经投过票。"))
    vote = ChairVote(tender=tender, voter=voter, candidate=member)
    vote.full_clean()
    vote.save()
    votes = ChairVote.objects.filter(tender=tender, candidate=member).count()
    audit_record(actor=actor, action="bidding.chair_vote", obj=tender,
                 new={"voter": voter.pk, "candidate": member.pk, "votes": votes})
    payload = {"candidate_id": member.pk, "votes": votes, "elected": False}
    if votes * 2 > tender.committee_size:
        tender.chair = member
        tender.state = TenderState.EVALUATING
        tender.full_clean()
        tender.save(update_fields=["chair", "state"])
        audit_record(actor=actor, action="bidding.chair_elected", obj=tender,
                     old={"state": TenderState.COMMITTEE},
                     new={"chair": member.pk, "state": tender.state, "votes": votes})
        payload.update(elected=True, name=str(member.user))
    publish_on_commit(tender_id=tender.pk, event="chair", payload=payload)
    return tender


@refusals_audited("compliance_record")
def compliance_record(*, actor, bid: Bid, passed: bool, reason: str = "") -> Bid:
    """Any confirmed member records the committee's compliance conclusion on a bid; a rejection
    needs its reason. May be changed (audited) until the chair closes scoring."""
    tender = lock_tender(bid.tender_id)
    _confirmed_member(actor, tender)
    _require_evaluating(tender)
    reason = (reason or "").strip()
    if not passed and not reason:
        raise BiddingInputError(_("判定投标文件未通过符合性审查时，必须填写理由。"))
    bid = Bid.objects.get(pk=bid.pk)
    old = {"compliance": bid.compliance, "reason": bid.compliance_reason}
    bid.compliance = Compliance.PASSED if passed else Compliance.FAILED
    bid.compliance_reason = "" if passed else reason
    bid.full_clean()
    bid.save(update_fields=["compliance", "compliance_reason"])
    audit_record(actor=actor, action="bidding.compliance", obj=bid, old=old,
                 new={"compliance": bid.compliance, "reason": bid.compliance_reason})
    publish_on_commit(tender_id=tender.pk, event="compliance", payload={
        "bid_id": bid.pk, "compliance": bid.compliance, "reason": bid.compliance_reason})
    return bid


def _points(points, criterion: Criterion) -> Decimal:
    try:
        value = Decimal(str(points))
    except (InvalidOperation, ValueError, TypeError):
        raise BiddingInputError(_("分值必须是数字。")) from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise BiddingInputError(_("分值最多保留两位小数。"))
    if not criterion.min_points <= value <= criterion.max_points:
        raise BiddingInputError(
            _("“%(name)s”的分值应在 %(low)s 至 %(high)s 分之间，您输入的是 %(value)s 分。") % {
                "name": criterion.name, "low": criterion.min_points,
                "high": criterion.max_points, "value": value})
    return value.quantize(Decimal("0.01"))


@refusals_audited("score_enter")
def score_enter(*, actor, bid: Bid, criterion: Criterion, points: Decimal) -> Score:
    """Enter or change the actor's own score on one bid and criterion, within its bounds,
    while scoring is open."""
    tender = lock_tender(bid.tender_id)
    member = _confirmed_member(actor, tender)
    _require_evaluating(tender)
    criterion = Criterion.objects.get(pk=criterion.pk)
    if criterion.tender_id != tender.pk:
        raise BiddingInputError(_("评分因素不属于该项目。"))
    bid = Bid.objects.get(pk=bid.pk)
    if bid.compliance == Compliance.FAILED:
        raise BiddingInputError(_("该投标文件未通过符合性审查，不进入评分。"))
    value = _points(points, criterion)
    score = Score.objects.filter(member=member, bid=bid, criterion=criterion).first()
    old = None if score is None else str(score.points)
    if score is None:
        score = Score(member=member, bid=bid, criterion=criterion, points=value)
    score.points = value
    score.full_clean()
    score.save()
    audit_record(actor=actor, action="bidding.score", obj=score, old=old, new=str(value))
    _publish_score(tender, member, score)
    return score


def _publish_score(tender: Tender, member: CommitteeMember, score: Score) -> None:
    """`score` carries the points and is meant for the author's own screens only (the live
    layer must not forward it to others while scoring is open); `progress` is for everyone."""
    publish_on_commit(tender_id=tender.pk, event="score", payload={
        "member_id": member.pk, "bid_id": score.bid_id, "criterion_id": score.criterion_id,
        "points": str(score.points), "score_id": score.pk})
    publish_on_commit(tender_id=tender.pk, event="progress",
                      payload=selectors.member_progress(tender=tender, member=member))


@refusals_audited("scoring_close")
def scoring_close(*, actor, tender: Tender) -> Tender:
    """The chair closes scoring once every bid has its compliance conclusion and every member
    has scored every compliant bid on every criterion."""
    tender = lock_tender(tender.pk)
    member = _confirmed_member(actor, tender)
    _require_evaluating(tender)
    if tender.chair_id != member.pk:
        raise BiddingForbidden(_("只有评标委员会主任可以结束评分。"))
    pending = Bid.objects.filter(tender=tender, compliance=Compliance.PENDING).count()
    if pending:
        raise BiddingStateError(_("还有 %(n)d 份投标文件未完成符合性审查。") % {"n": pending})
    missing = sum(p["total"] - p["scored"] for p in selectors.progress(tender=tender).values())
    if missing:
        raise BiddingStateError(_("还有 %(n)d 项评分未完成，不能结束评分。") % {"n": missing})
    tender.state = TenderState.SCORED
    tender.scoring_closed_at = timezone.now()
    tender.save(update_fields=["state", "scoring_closed_at"])
    audit_record(actor=actor, action="bidding.scoring_closed", obj=tender,
                 old={"state": TenderState.EVALUATING}, new={"state": tender.state})
    publish_on_commit(tender_id=tender.pk, event="closed",
                      payload={"closed_at": tender.scoring_closed_at.isoformat()})
    return tender


@refusals_audited("message_post")
def message_post(*, actor, tender: Tender, text: str) -> Message:
    """A discussion message from a committee member or an operator of one of the venues."""
    tender = lock_tender(tender.pk)
    member = selectors.member_for(user=actor, tender=tender)
    venue = member.venue if member is not None else _operated_venue(actor, tender)
    if venue is None:
        raise BiddingForbidden(_("您不是本项目评标委员会成员或场地管理员，不能发言。"))
    if tender.state == TenderState.REPORTED:
        raise BiddingStateError(_("评标报告已签署，讨论已结束。"))
    text = (text or "").strip()
    if not text or len(text) > MESSAGE_MAX:
        raise BiddingInputError(_("消息内容不能为空，且不超过 %(n)d 字。") % {"n": MESSAGE_MAX})
    message = Message(tender=tender, member=member, author=actor, venue=venue, text=text)
    message.full_clean()
    message.save()
    audit_record(actor=actor, action="bidding.message", obj=tender, new={"message": message.pk})
    publish_on_commit(tender_id=tender.pk, event="message", payload={
        "id": message.pk, "author": str(actor), "venue": venue.name, "text": text,
        "at": message.at.isoformat()})
    return message


def _operated_venue(actor, tender: Tender):
    if actor is None or not actor.is_authenticated:
        return None
    venues = [tender.main_venue, *tender.sub_venues.all()]
    return next((v for v in venues if v.operators.filter(pk=actor.pk).exists()), None)
