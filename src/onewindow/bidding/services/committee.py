"""The committee: its size rules, the random draw with avoidance before and after, redraws,
buyer representatives, and the experts' confirmation.

Every draw is recorded (seed, needs, seats, candidates, exclusions, result) so that
`draw_replay` rebuilds it from the record alone.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding import draw as drawing
from onewindow.bidding.enums import (
    DRAW_STATES,
    SEATED_STATUSES,
    MemberKind,
    MemberStatus,
    TenderState,
)
from onewindow.bidding.errors import (
    BiddingForbidden,
    BiddingInputError,
    BiddingStateError,
    CommitteeRuleError,
    DrawShortage,
)
from onewindow.bidding.models import (
    Bid,
    ChairVote,
    CommitteeDraw,
    CommitteeMember,
    Expert,
    Speciality,
    Tender,
)
from onewindow.bidding.scoring import committee_problems
from onewindow.bidding.services.common import (
    lock_tender,
    publish_on_commit,
    refusals_audited,
    require_state,
)
from onewindow.cases.notify import notify_users


def require_manager(actor, tender: Tender) -> None:
    if actor is None or not actor.has_perm("bidding.manage_tender", tender):
        raise BiddingForbidden(_("只有主场管理员可以管理本项目的评标委员会。"))


def committee_check(tender: Tender) -> None:
    problems = committee_problems(size=tender.committee_size,
                                  experts=tender.committee_size - tender.buyer_reps,
                                  budget=tender.budget, complex_project=tender.is_complex)
    if problems:
        raise CommitteeRuleError("".join(problems))


# --- avoidance ----------------------------------------------------------------------------------
def avoidance_reasons(expert: Expert, tender: Tender, bidders: dict[str, str]) -> list[str]:
    """Why `expert` may not sit on `tender`'s committee (回避); `bidders`: USCC → name."""
    reasons = []
    if not expert.is_active:
        reasons.append(_("不在专家库中"))
    if expert.punished:
        reasons.append(_("曾因招标投标违法行为受过处罚"))
    if tender.supervising_department_id and \
            expert.department_id == tender.supervising_department_id:
        reasons.append(_("系本项目监督部门工作人员"))
    if expert.organisation_uscc and expert.organisation_uscc in bidders:
        reasons.append(_("与投标人%(name)s为同一单位") % {
            "name": bidders[expert.organisation_uscc]})
    for relation in expert.relations.all():
        if relation.party_uscc in bidders:
            reasons.append(_("与投标人%(name)s存在%(kind)s") % {
                "name": bidders[relation.party_uscc], "kind": relation.get_kind_display()})
    return reasons


def _bidders(tender: Tender) -> dict[str, str]:
    return dict(Bid.objects.filter(tender=tender).values_list("bidder_uscc", "bidder"))


def _venues_by_city(tender: Tender) -> dict:
    venues = {}
    for venue in [tender.main_venue, *tender.sub_venues.order_by("pk")]:
        venues.setdefault(venue.city, venue)
    return venues


def _free_seats(tender: Tender) -> dict[str, int]:
    seats: dict[str, int] = {}
    for venue in [tender.main_venue, *tender.sub_venues.order_by("pk")]:
        used = CommitteeMember.objects.filter(tender=tender, venue=venue,
                                              status__in=SEATED_STATUSES).count()
        seats[venue.city] = seats.get(venue.city, 0) + max(venue.seats - used, 0)
    return seats


def _pool(tender: Tender, cities, ever_seated: set[int]):
    bidders = _bidders(tender)
    candidates, exclusions = [], []
    experts = Expert.objects.filter(city__in=cities).prefetch_related(
        "specialities", "relations").order_by("pk")
    for expert in experts:
        specialities = tuple(sorted(s.code for s in expert.specialities.all()))
        candidates.append(drawing.Candidate(expert.pk, specialities, expert.city))
        reasons = avoidance_reasons(expert, tender, bidders)
        if expert.pk in ever_seated:
            reasons.append(_("已抽取过本项目"))
        if reasons:
            exclusions.append({"expert": expert.pk, "reasons": reasons})
    return candidates, exclusions


# --- drawing ------------------------------------------------------------------------------------
def _check_needs(tender: Tender, needs: dict[str, int], wanted: int) -> dict[str, int]:
    try:
        clean = {str(code): int(n) for code, n in needs.items() if int(n) != 0}
    except (TypeError, ValueError, AttributeError):
        raise BiddingInputError(_("各专业抽取人数必须是整数。")) from None
    if any(n < 0 for n in clean.values()):
        raise BiddingInputError(_("各专业抽取人数不能为负数。"))
    known = set(Speciality.objects.filter(code__in=clean).values_list("code", flat=True))
    unknown = sorted(set(clean) - known)
    if unknown:
        raise BiddingInputError(_("未知的评标专业：%(codes)s。") % {"codes": "、".join(unknown)})
    if sum(clean.values()) != wanted:
        raise BiddingInputError(_("各专业抽取人数合计应为 %(n)d 人（评审专家人数）。") % {
            "n": wanted})
    return clean


def _run_draw(*, actor, tender: Tender, needs: dict[str, int], reason: str, seed: str | None,
              replaces: int | None = None) -> tuple[CommitteeDraw, list[CommitteeMember]]:
    venues = _venues_by_city(tender)
    ever = set(CommitteeMember.objects.filter(tender=tender, expert__isnull=False)
               .exclude(status=MemberStatus.REPLACED).values_list("expert", flat=True))
    candidates, exclusions = _pool(tender, venues, ever)
    seats = _free_seats(tender)
    seed = seed or drawing.new_seed()
    try:
        drawn = drawing.draw(seed=seed, needs=needs, candidates=candidates,
                             excluded={e["expert"] for e in exclusions}, seats=seats)
    except drawing.Shortage as exc:
        name = Speciality.objects.get(code=exc.speciality).name
        raise DrawShortage(_("专业“%(name)s”需抽取 %(wanted)d 人，符合回避要求且有空余席位的专家"
                             "只有 %(found)d 人，请扩大专家库或调整抽取方案。") % {
            "name": name, "wanted": exc.wanted, "found": exc.found}) from None
    number = CommitteeDraw.objects.filter(tender=tender).count() + 1
    record = CommitteeDraw(
        tender=tender, number=number, is_replacement=replaces is not None, replaces=replaces,
        seed=seed, reason=reason,
        needs=needs, seats=seats, actor=actor, exclusions=exclusions,
        candidates=[{"expert": c.expert_id, "specialities": list(c.specialities),
                     "city": c.city} for c in candidates],
        drawn=[{"expert": d.expert_id, "speciality": d.speciality, "city": d.city}
               for d in drawn])
    record.full_clean()
    record.save()
    members = [_seat(tender, record, d, venues) for d in drawn]
    return record, members


def _seat(tender, record, drawn, venues) -> CommitteeMember:
    expert = Expert.objects.select_related("user").get(pk=drawn.expert_id)
    member = CommitteeMember(
        tender=tender, user=expert.user, expert=expert, kind=MemberKind.EXPERT,
        venue=venues[drawn.city], speciality=Speciality.objects.get(code=drawn.speciality),
        draw=record, status=MemberStatus.INVITED)
    member.full_clean()
    member.save()
    return member


def _notify_drawn(tender: Tender, members: list[CommitteeMember]) -> None:
    for member in members:
        notify_users(
            [member.user], verb="bidding_invite",
            title=_("评标邀请：%(title)s") % {"title": tender.title},
            body=_("您被抽取为项目 %(number)s 的评标专家，评标日期 %(date)s，评标场地 %(venue)s。"
                   "请登录确认是否参加；如与投标人存在利害关系，请申请回避。") % {
                "number": tender.number, "date": tender.evaluation_date,
                "venue": member.venue},
            link=f"/bidding/expert/{tender.pk}/")


def _audit_draw(actor, tender, record, members) -> None:
    audit_record(actor=actor, action="bidding.committee_drawn", obj=record, new={
        "seed": record.seed, "needs": record.needs, "replacement": record.is_replacement,
        "drawn": [m.expert_id for m in members],
        "excluded": [e["expert"] for e in record.exclusions]}, note=record.reason)


@refusals_audited("committee_draw")
def committee_draw(*, actor, tender: Tender, needs: dict[str, int], reason: str = "",
                   seed: str | None = None) -> CommitteeDraw:
    """Draw the whole expert part of the committee. A second draw needs a recorded reason and
    replaces the experts of the previous one; it is refused once chair voting has begun."""
    tender = lock_tender(tender.pk)
    require_manager(actor, tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能重新抽取评标委员会。"))
    reason = (reason or "").strip()
    previous = CommitteeDraw.objects.filter(tender=tender).exists()
    if previous and not reason:
        raise BiddingInputError(_("已抽取过评标委员会，重新抽取必须记录理由。"))
    if ChairVote.objects.filter(tender=tender).exists():
        raise BiddingStateError(_("已开始推选评标委员会主任，不能重新抽取。"))
    committee_check(tender)
    needs = _check_needs(tender, needs, tender.committee_size - tender.buyer_reps)
    if previous:
        CommitteeMember.objects.filter(tender=tender, kind=MemberKind.EXPERT).update(
            status=MemberStatus.REPLACED, status_note=reason)
    record, members = _run_draw(actor=actor, tender=tender, needs=needs, reason=reason,
                                seed=seed)
    old_state = tender.state
    tender.state = TenderState.COMMITTEE
    tender.save(update_fields=["state"])
    _audit_draw(actor, tender, record, members)
    if old_state != tender.state:
        audit_record(actor=actor, action="bidding.state", obj=tender,
                     old={"state": old_state}, new={"state": tender.state})
    _notify_drawn(tender, members)
    return record


@refusals_audited("member_replace")
def member_replace(*, actor, member: CommitteeMember, reason: str,
                   seed: str | None = None) -> CommitteeDraw:
    """Draw one expert of the same speciality for a member who declined or was excluded."""
    tender = lock_tender(member.tender_id)
    require_manager(actor, tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能补抽专家。"))
    member = CommitteeMember.objects.get(pk=member.pk)
    if member.status not in (MemberStatus.DECLINED, MemberStatus.EXCLUDED) or \
            member.speciality is None:
        raise BiddingStateError(_("只能为拒绝参加或回避的专家补抽。"))
    if CommitteeDraw.objects.filter(tender=tender, replaces=member.pk).exists():
        raise BiddingStateError(_("已为该专家补抽过。"))
    reason = (reason or "").strip()
    if not reason:
        raise BiddingInputError(_("补抽必须记录理由。"))
    record, members = _run_draw(actor=actor, tender=tender,
                                needs={member.speciality.code: 1}, reason=reason, seed=seed,
                                replaces=member.pk)
    _audit_draw(actor, tender, record, members)
    _notify_drawn(tender, members)
    return record


def draw_replay(record: CommitteeDraw) -> list[drawing.Drawn]:
    """Rebuild a recorded draw from its record alone (seed, needs, seats, candidates,
    exclusions): anyone can check that the result was not chosen."""
    candidates = [drawing.Candidate(c["expert"], tuple(c["specialities"]), c["city"])
                  for c in record.candidates]
    return drawing.draw(seed=record.seed, needs=record.needs, candidates=candidates,
                        excluded={e["expert"] for e in record.exclusions}, seats=record.seats)


# --- after the draw -----------------------------------------------------------------------------
@refusals_audited("avoidance_check")
def avoidance_check(*, actor, tender: Tender) -> list[CommitteeMember]:
    """Check the seated experts again (a bid or a relation declared after the draw): each
    conflicting one is excluded with the reasons and an expert of the same speciality is
    drawn for them. Returns the excluded members."""
    tender = lock_tender(tender.pk)
    require_manager(actor, tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能再做回避检查。"))
    bidders = _bidders(tender)
    excluded = []
    for member in CommitteeMember.objects.filter(
            tender=tender, expert__isnull=False, status__in=SEATED_STATUSES).select_related(
            "expert").order_by("pk"):
        reasons = avoidance_reasons(member.expert, tender, bidders)
        if reasons:
            excluded.append(_exclude(actor, member, "；".join(reasons)))
    for member in excluded:
        member_replace(actor=actor, member=member,
                       reason=_("抽取后回避检查：%(why)s") % {"why": member.status_note})
    return excluded


def _exclude(actor, member: CommitteeMember, reason: str) -> CommitteeMember:
    old = member.status
    member.status = MemberStatus.EXCLUDED
    member.status_note = reason
    member.save(update_fields=["status", "status_note"])
    audit_record(actor=actor, action="bidding.member_excluded", obj=member,
                 old={"status": old}, new={"status": member.status}, note=reason)
    publish_on_commit(tender_id=member.tender_id, event="progress",
                      payload={"member_id": member.pk, "status": member.status})
    return member


@refusals_audited("member_answer")
def member_answer(*, actor, member: CommitteeMember, accept: bool, reason: str = "",
                  conflict: bool = False) -> CommitteeMember:
    """The drawn expert confirms (declaring no conflict), declines, or asks to be avoided
    (`conflict`, with the reason)."""
    tender = lock_tender(member.tender_id)
    member = CommitteeMember.objects.select_related("user").get(pk=member.pk)
    if member.user_id != getattr(actor, "pk", None):
        raise BiddingForbidden(_("只能确认本人的评标邀请。"))
    if member.status != MemberStatus.INVITED:
        raise BiddingStateError(_("该邀请已处理（%(status)s）。") % {
            "status": member.get_status_display()})
    reason = (reason or "").strip()
    if not accept and not reason:
        raise BiddingInputError(_("拒绝参加或申请回避时请填写理由。"))
    if accept:
        member.status, member.confirmed_at = MemberStatus.CONFIRMED, timezone.now()
        member.status_note = _("已声明与投标人无利害关系")
    else:
        member.status = MemberStatus.EXCLUDED if conflict else MemberStatus.DECLINED
        member.status_note = reason
    member.save(update_fields=["status", "status_note", "confirmed_at"])
    audit_record(actor=actor, action="bidding.member_answer", obj=member,
                 old={"status": MemberStatus.INVITED}, new={"status": member.status},
                 note=member.status_note)
    if not accept:
        managers = tender.main_venue.operators.all()
        notify_users(managers, verb="bidding_declined",
                     title=_("评标专家%(name)s不能参加 %(number)s") % {
                         "name": member.user, "number": tender.number},
                     body=member.status_note, link=f"/bidding/tenders/{tender.pk}/")
    publish_on_commit(tender_id=tender.pk, event="progress",
                      payload={"member_id": member.pk, "status": member.status})
    return member


@refusals_audited("buyer_rep_add")
def buyer_rep_add(*, actor, tender: Tender, user, venue) -> CommitteeMember:
    """Seat one of the buyer's representatives (采购人代表), up to the tender's number."""
    tender = lock_tender(tender.pk)
    require_manager(actor, tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能增加采购人代表。"))
    reps = CommitteeMember.objects.filter(tender=tender, kind=MemberKind.BUYER_REP,
                                          status__in=SEATED_STATUSES)
    if reps.count() >= tender.buyer_reps:
        raise CommitteeRuleError(_("本项目的采购人代表名额（%(n)d 人）已满。") % {
            "n": tender.buyer_reps})
    if venue.pk != tender.main_venue_id and not tender.sub_venues.filter(pk=venue.pk).exists():
        raise BiddingInputError(_("该场地不是本项目的评标场地。"))
    if CommitteeMember.objects.filter(tender=tender, user=user,
                                      status__in=SEATED_STATUSES).exists():
        raise BiddingInputError(_("该人员已是本项目评标委员会成员。"))
    member = CommitteeMember(tender=tender, user=user, kind=MemberKind.BUYER_REP, venue=venue,
                             status=MemberStatus.INVITED)
    member.full_clean()
    member.save()
    audit_record(actor=actor, action="bidding.buyer_rep_added", obj=member,
                 new={"user": user.pk, "venue": venue.pk})
    return member
