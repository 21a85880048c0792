"""Reads of bid evaluation. Fetch-and-authorise in one call: missing and forbidden are one 404."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from onewindow.bidding import scoring, signing
from onewindow.bidding.enums import (
    SEATED_STATUSES,
    Compliance,
    MemberStatus,
    TenderState,
)
from onewindow.bidding.models import (
    Bid,
    CommitteeMember,
    Criterion,
    Lot,
    Report,
    Score,
    Tender,
)

CLOSED_STATES = frozenset({TenderState.SCORED, TenderState.REPORTED})


def member_for(*, user, tender) -> CommitteeMember | None:
    """The user's seat on the tender's committee (invited or confirmed), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (CommitteeMember.objects.select_related("venue", "user")
            .filter(tender=tender, user=user, status__in=SEATED_STATUSES).first())


def seated_members(*, tender) -> QuerySet[CommitteeMember]:
    return (CommitteeMember.objects.filter(tender=tender, status__in=SEATED_STATUSES)
            .select_related("user", "venue", "speciality", "expert").order_by("pk"))


def scoring_bids(*, tender) -> QuerySet[Bid]:
    """The bids the experts score: every bid not rejected in the compliance review."""
    return Bid.objects.filter(tender=tender).exclude(compliance=Compliance.FAILED)


def progress(*, tender) -> dict[int, dict]:
    """Per seated member: how many cells they scored of how many; never the points."""
    criteria = Criterion.objects.filter(tender=tender).count()
    bids = scoring_bids(tender=tender)
    total = criteria * bids.count()
    counts = dict(Score.objects.filter(bid__in=bids, member__tender=tender)
                  .values_list("member").annotate(n=Count("pk")).values_list("member", "n"))
    return {
        m.pk: {"member_id": m.pk, "name": str(m.user), "venue": m.venue.name,
               "confirmed": m.status == MemberStatus.CONFIRMED,
               "is_chair": m.pk == tender.chair_id,
               "scored": counts.get(m.pk, 0), "total": total}
        for m in seated_members(tender=tender)
    }


def member_progress(*, tender, member) -> dict:
    """One member's scored / total cells: what a score entry pushes to every screen."""
    bids = scoring_bids(tender=tender)
    total = Criterion.objects.filter(tender=tender).count() * bids.count()
    scored = Score.objects.filter(member=member, bid__in=bids).count()
    return {"member_id": member.pk, "scored": scored, "total": total}


def scores_visible_to(*, user, tender) -> QuerySet[Score]:
    """A member sees their own scores while scoring is open, everyone's after it closed;
    staff who may watch the tender see all only after the close."""
    scores = Score.objects.filter(member__tender=tender).select_related(
        "member__user", "bid", "criterion")
    if tender.state in CLOSED_STATES and (
            member_for(user=user, tender=tender) is not None
            or user.has_perm("bidding.watch_tender", tender)):
        return scores
    member = member_for(user=user, tender=tender)
    if member is None:
        return scores.none()
    return scores.filter(member=member)


def tenders_for_staff(user) -> QuerySet[Tender]:
    tenders = Tender.objects.select_related("main_venue")
    if not user.is_authenticated:
        return tenders.none()
    if user.has_perm("bidding.manage") and (user.is_superuser or user.role == "system_admin"):
        return tenders
    return tenders.filter(Q(main_venue__operators=user) | Q(sub_venues__operators=user)).distinct()


def tender_get_for_staff(*, user, pk: int) -> Tender:
    tender = tenders_for_staff(user).filter(pk=pk).first()
    if tender is None or not user.has_perm("bidding.watch_tender", tender):
        raise Http404(_("招标项目不存在。"))
    return tender


def tenders_for_member(user) -> QuerySet[Tender]:
    if not user.is_authenticated:
        return Tender.objects.none()
    return Tender.objects.filter(members__user=user, members__status__in=SEATED_STATUSES) \
        .select_related("main_venue").distinct()


def tender_get_for_member(*, user, pk: int) -> tuple[Tender, CommitteeMember]:
    tender = Tender.objects.select_related("main_venue").filter(pk=pk).first()
    member = member_for(user=user, tender=tender) if tender is not None else None
    if member is None:
        raise Http404(_("招标项目不存在。"))
    return tender, member


# --- results ------------------------------------------------------------------------------------
def tender_results(*, tender) -> list[tuple]:
    """[(lot, [BidResult …] in ranking order)], computed from the saved scores."""
    totals: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for bid_id, member_id, points in Score.objects.filter(bid__tender=tender).values_list(
            "bid", "member", "points"):
        totals[bid_id][member_id] += points
    out = []
    for lot in Lot.objects.filter(tender=tender).order_by("number"):
        inputs = [scoring.BidInput(
            key=str(bid.pk), price=bid.price, compliant=bid.compliance != Compliance.FAILED,
            expert_points=tuple(totals[bid.pk][m] for m in sorted(totals[bid.pk])))
            for bid in Bid.objects.filter(lot=lot).order_by("pk")]
        out.append((lot, scoring.evaluate(
            inputs, method=tender.method, price_weight=tender.price_weight,
            trimmed=tender.trimmed_mean, tie_on_exact=tender.tie_on_exact)))
    return out


def report_payload(*, tender) -> dict:
    """What every member signs: the tender, its criteria, bids, every score and the results,
    rebuilt from the database so that a changed score changes the payload."""
    bids = {b.pk: b for b in Bid.objects.filter(tender=tender).select_related("lot")}
    lots = []
    for lot, results in tender_results(tender=tender):
        ranked = [r for r in results if r.rank is not None]
        lots.append({
            "lot": lot.number, "name": lot.name,
            "results": [_result_json(r, bids[int(r.key)]) for r in results],
            "recommended": [int(r.key) for r in ranked[:tender.recommend_count]],
        })
    scores = Score.objects.filter(bid__tender=tender).order_by("member", "bid", "criterion")
    return {
        "tender": {"number": tender.number, "title": tender.title, "method": tender.method,
                   "price_weight": tender.price_weight, "trimmed_mean": tender.trimmed_mean,
                   "tie_on_exact": tender.tie_on_exact},
        "criteria": [{"id": c.pk, "name": c.name, "min": c.min_points, "max": c.max_points}
                     for c in Criterion.objects.filter(tender=tender)],
        "members": [{"id": m.pk, "name": str(m.user), "venue": m.venue.name, "kind": m.kind}
                    for m in seated_members(tender=tender)],
        "scores": [[s.member_id, s.bid_id, s.criterion_id, s.points]
                   for s in scores],
        "lots": lots,
    }


def _result_json(result, bid) -> dict:
    return {"bid": bid.pk, "bidder": bid.bidder, "uscc": bid.bidder_uscc, "price": bid.price,
            "compliant": result.compliant, "reason": bid.compliance_reason,
            "price_score": result.price_score, "technical_score": result.technical_score,
            "total": result.total, "rank": result.rank, "tied": result.tied}


def report_verify(*, report) -> dict:
    """Check the report against the database and every signature against the report.

    `payload_ok`: the scores and results saved now give the digest that was signed;
    each signature and the countersignature verify with their public keys."""
    report = Report.objects.select_related("tender").get(pk=report.pk)
    tender = report.tender
    stored_ok = signing.sha256_hex(report.payload.encode()) == report.digest
    current = signing.sha256_hex(signing.canonical_json(report_payload(tender=tender)))
    payload_ok = stored_ok and current == report.digest
    rows = []
    for sig in report.signatures.select_related("member__user", "member__venue"):
        statement = signing.member_statement(digest=current, kind=sig.kind, reasons=sig.reasons)
        rows.append({"member": str(sig.member.user), "venue": sig.member.venue.name,
                     "kind": sig.kind, "kind_label": sig.get_kind_display(),
                     "reasons": sig.reasons, "public_key": sig.public_key, "at": sig.at,
                     "valid": signing.verify(algorithm=sig.algorithm, public_key=sig.public_key,
                                             data=statement, signature=sig.signature)})
    countersign_ok = None
    if report.countersignature:
        statement = signing.countersign_statement(
            digest=current, signatures=[s.signature for s in report.signatures.all()])
        countersign_ok = signing.verify(algorithm=report.countersign_algorithm,
                                        public_key=report.countersign_public_key,
                                        data=statement, signature=report.countersignature)
    valid = payload_ok and all(r["valid"] for r in rows) and countersign_ok is True
    return {"payload_ok": payload_ok, "signatures": rows, "countersign_ok": countersign_ok,
            "valid": valid, "digest": report.digest, "current_digest": current}
