"""Export an evaluation as OCDS 1.1 releases with the bids extension.

Two releases per tender: `tender` (the procedure and the bids as registered) and, once the
evaluation report exists, `award` (bids valid/disqualified with their rank, and one pending
award per recommended candidate, linked by `awards[].relatedBids`). The schemas are vendored in
data/ocds/ (see its README); `release_schema()` merges the extension into the core schema.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from onewindow.bidding import selectors
from onewindow.bidding.enums import Compliance, Method, TenderState
from onewindow.bidding.models import Bid, Report, Tender

SCHEMA_DIR = Path(__file__).parent / "data" / "ocds"
OCID_PREFIX = "ocds-ow0001"  # replace with the zone's registered prefix
BIDS_EXTENSION = ("https://raw.githubusercontent.com/open-contracting-extensions/"
                  "ocds_bid_extension/master/extension.json")
USCC_SCHEME = "CN-USCC"  # 统一社会信用代码
BID_STATUS = {Compliance.PENDING: "pending", Compliance.PASSED: "valid",
              Compliance.FAILED: "disqualified"}


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: how an OCDS extension's release-schema.json is applied."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def release_schema() -> dict:
    """The OCDS 1.1 release schema with the bids extension merged in (read-only: cached)."""
    core = json.loads((SCHEMA_DIR / "release-schema-1__1__4.json").read_text("utf-8"))
    patch = json.loads((SCHEMA_DIR / "bids-extension-release-schema.json").read_text("utf-8"))
    return merge_patch(core, patch)


def _amount(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _money(value: Decimal) -> dict:
    return {"amount": _amount(value), "currency": "CNY"}


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return dt.datetime.combine(value, dt.time(0), tzinfo=dt.UTC).isoformat().replace(
        "+00:00", "Z")


def _org_id(bid: Bid) -> str:
    return f"{USCC_SCHEME}-{bid.bidder_uscc}"


def _parties(tender: Tender, bids: list[Bid], recommended: set[int]) -> list[dict]:
    parties = [{"id": _buyer_id(tender), "name": tender.buyer, "roles": ["buyer"]},
               {"id": f"venue-{tender.main_venue.code}", "name": tender.main_venue.name,
                "roles": ["procuringEntity"]}]
    seen = set()
    for bid in bids:
        if bid.bidder_uscc in seen:
            continue
        seen.add(bid.bidder_uscc)
        roles = ["tenderer"] + (["supplier"] if bid.pk in recommended else [])
        parties.append({"id": _org_id(bid), "name": bid.bidder, "roles": roles,
                        "identifier": {"scheme": USCC_SCHEME, "id": bid.bidder_uscc,
                                       "legalName": bid.bidder}})
    return parties


def _buyer_id(tender: Tender) -> str:
    return f"buyer-{tender.number}"


def _tender_section(tender: Tender, status: str) -> dict:
    return {
        "id": tender.number, "title": tender.title, "status": status,
        "procurementMethod": "open", "procurementMethodDetails": tender.get_method_display(),
        "mainProcurementCategory": tender.kind,
        "awardCriteria": "ratedCriteria" if tender.method == Method.COMPREHENSIVE
        else "priceOnly",
        "awardCriteriaDetails": "; ".join(f"{c.name} {c.min_points}-{c.max_points}"
                                          for c in tender.criteria.all()),
        "value": _money(tender.budget),
        "procuringEntity": {"id": f"venue-{tender.main_venue.code}",
                            "name": tender.main_venue.name},
        "numberOfTenderers": len({b.bidder_uscc for b in tender.bids.all()}),
    }


def _bid_detail(bid: Bid, ranks: dict[int, int | None], evaluated: bool) -> dict:
    detail = {
        "id": str(bid.pk), "date": _when(bid.registered_at),
        "status": BID_STATUS[bid.compliance] if evaluated else "pending",
        "tenderers": [{"id": _org_id(bid), "name": bid.bidder}],
        "value": _money(bid.price), "relatedLots": [str(bid.lot.number)],
        "documents": [{"id": d.sha256, "documentType": "submissionDocuments", "title": d.name,
                       "description": f"SHA-256 {d.sha256}"} for d in bid.documents.all()],
    }
    if evaluated and bid.pk in ranks:
        detail["hasRank"] = ranks[bid.pk] is not None
        if ranks[bid.pk] is not None:
            detail["rank"] = ranks[bid.pk]
    return detail


def releases(tender: Tender) -> list[dict]:
    """The tender's releases, oldest first."""
    ocid = f"{OCID_PREFIX}-{tender.number}"
    bids = list(Bid.objects.filter(tender=tender).select_related("lot")
                .prefetch_related("documents").order_by("pk"))
    report = Report.objects.filter(tender=tender).first()
    common = {"ocid": ocid, "initiationType": "tender", "language": "zh",
              "buyer": {"id": _buyer_id(tender), "name": tender.buyer}}
    statistics = [{"id": "bids", "measure": "bids", "value": len(bids)}]
    out = [{**common, "id": f"{ocid}-tender", "date": _when(tender.created_at),
            "tag": ["tender"], "parties": _parties(tender, bids, set()),
            "tender": _tender_section(tender, "active"),
            "bids": {"statistics": statistics,
                     "details": [_bid_detail(b, {}, False) for b in bids]}}]
    if report is not None:
        out.append(_award_release(tender, report, bids, common, statistics))
    return out


def _award_release(tender, report, bids, common, statistics) -> dict:
    ranks, recommended, awards = {}, set(), []
    by_pk = {b.pk: b for b in bids}
    for lot, results in selectors.tender_results(tender=tender):
        for r in results:
            ranks[int(r.key)] = r.rank
        lot_recommended = report.recommended.get(str(lot.number), [])
        for position, bid_pk in enumerate(lot_recommended, start=1):
            bid = by_pk[bid_pk]
            recommended.add(bid_pk)
            awards.append({
                "id": f"{tender.number}-{lot.number}-{position}", "status": "pending",
                "title": f"{lot.name} 第{position}中标候选人",
                "date": _when(report.created_at), "value": _money(bid.price),
                "suppliers": [{"id": _org_id(bid), "name": bid.bidder}],
                "relatedBids": [str(bid_pk)]})
    ocid = common["ocid"]
    statistics = statistics + [{"id": "disqualified", "measure": "disqualifiedBids",
                                "value": sum(b.compliance == Compliance.FAILED for b in bids)}]
    status = "complete" if tender.state == TenderState.REPORTED else "active"
    return {**common, "id": f"{ocid}-award-{report.digest[:12]}",
            "date": _when(report.countersigned_at or report.created_at),
            "tag": ["award"], "parties": _parties(tender, bids, recommended),
            "tender": _tender_section(tender, status),
            "bids": {"statistics": statistics,
                     "details": [_bid_detail(b, ranks, True) for b in bids]},
            "awards": awards}


def release_package(tender: Tender) -> dict:
    return {
        "uri": f"{settings.SITE_URL}/api/bidding/tenders/{tender.pk}/ocds",
        "version": "1.1", "extensions": [BIDS_EXTENSION],
        "publishedDate": _when(timezone.now()),
        "publisher": {"name": tender.main_venue.name},
        "releases": releases(tender),
    }
