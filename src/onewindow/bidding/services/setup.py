"""Setting up a tender: venues, the expert pool, the tender with its lots and criteria, bids."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding.enums import DRAW_STATES, Method, ProcurementKind
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError
from onewindow.bidding.models import (
    Bid,
    BidDocument,
    Criterion,
    Expert,
    ExpertRelation,
    Lot,
    Speciality,
    Tender,
    Venue,
)
from onewindow.bidding.services.common import lock_tender, refusals_audited, require_state

# 财政部令第87号 Art. 55: the lowest price weight allowed under comprehensive scoring.
MIN_PRICE_WEIGHT = {ProcurementKind.GOODS: Decimal("30"), ProcurementKind.SERVICES: Decimal("10")}


def _require(actor, perm: str, obj=None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise BiddingForbidden(_("您无权管理远程异地评标项目。"))


def _clean_and_save(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise BiddingInputError("；".join(exc.messages)) from None
    instance.save()


def _unique_save(instance, message: str) -> None:
    try:
        with transaction.atomic():
            _clean_and_save(instance)
    except IntegrityError:
        raise BiddingInputError(message) from None


def venue_create(*, actor, code: str, name: str, city: str, seats: int, address: str = "",
                 operators=()) -> Venue:
    _require(actor, "bidding.manage")
    venue = Venue(code=code, name=name, city=city, seats=seats, address=address)
    _clean_and_save(venue)
    venue.operators.set(operators)
    audit_record(actor=actor, action="bidding.venue_created", obj=venue,
                 new={"name": name, "city": city, "seats": seats})
    return venue


def speciality_create(*, actor, code: str, name: str) -> Speciality:
    _require(actor, "bidding.manage")
    speciality = Speciality(code=code, name=name)
    _clean_and_save(speciality)
    audit_record(actor=actor, action="bidding.speciality_created", obj=speciality,
                 new={"code": code, "name": name})
    return speciality


@transaction.atomic
def expert_create(*, actor, user, organisation: str, city: str, specialities,
                  organisation_uscc: str = "", department=None,
                  punished: bool = False) -> Expert:
    """Enter a person in the expert pool (the user gets the expert role)."""
    _require(actor, "bidding.manage")
    expert = Expert(user=user, organisation=organisation, city=city, department=department,
                    organisation_uscc=organisation_uscc.strip().upper(), punished=punished)
    _clean_and_save(expert)
    expert.specialities.set(specialities)
    if user.role != "expert":
        user.role = "expert"
        user.save(update_fields=["role"])
    audit_record(actor=actor, action="bidding.expert_created", obj=expert, new={
        "user": user.pk, "organisation": organisation, "city": city,
        "specialities": sorted(s.code for s in specialities)})
    return expert


def expert_relation_add(*, actor, expert: Expert, kind: str, party: str, party_uscc: str,
                        note: str = "") -> ExpertRelation:
    """Declare a tie between an expert and an enterprise (used by the avoidance checks)."""
    _require(actor, "bidding.manage")
    relation = ExpertRelation(expert=expert, kind=kind, party=party,
                              party_uscc=party_uscc.strip().upper(), note=note)
    _clean_and_save(relation)
    audit_record(actor=actor, action="bidding.relation_added", obj=expert,
                 new={"kind": kind, "party": party, "party_uscc": relation.party_uscc})
    return relation


def price_weight_problem(*, kind: str, method: str, weight: Decimal) -> str:
    minimum = MIN_PRICE_WEIGHT.get(kind)
    if method == Method.COMPREHENSIVE and minimum is not None and weight < minimum:
        return _("综合评分法下%(kind)s项目的价格分权重不得低于 %(min)s 分。") % {
            "kind": ProcurementKind(kind).label, "min": minimum}
    return ""


@transaction.atomic
def tender_create(*, actor, main_venue: Venue, sub_venues=(), lots=(), **fields) -> Tender:
    """`lots`: names of the lots (one lot named after the tender when empty)."""
    tender = Tender(main_venue=main_venue, created_by=actor, **fields)
    _require(actor, "bidding.manage_tender", tender)
    problem = price_weight_problem(kind=tender.kind, method=tender.method,
                                   weight=tender.price_weight)
    if problem:
        raise BiddingInputError(problem)
    _unique_save(tender, _("项目编号已存在。"))
    tender.sub_venues.set([v for v in sub_venues if v.pk != main_venue.pk])
    for number, name in enumerate(lots or [tender.title], start=1):
        _clean_and_save(Lot(tender=tender, number=number, name=name))
    audit_record(actor=actor, action="bidding.tender_created", obj=tender, new={
        "number": tender.number, "method": tender.method, "budget": str(tender.budget),
        "committee_size": tender.committee_size, "main_venue": main_venue.pk,
        "sub_venues": [v.pk for v in tender.sub_venues.all()]})
    return tender


@refusals_audited("criterion_add")
def criterion_add(*, actor, tender: Tender, name: str, max_points: Decimal,
                  min_points: Decimal = Decimal("0"), description: str = "") -> Criterion:
    tender = lock_tender(tender.pk)
    _require(actor, "bidding.manage_tender", tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能修改评分因素。"))
    if tender.method == Method.LOWEST_PRICE:
        raise BiddingInputError(_("最低评标价法不设评分因素。"))
    order = Criterion.objects.filter(tender=tender).count() + 1
    criterion = Criterion(tender=tender, order=order, name=name, description=description,
                          min_points=min_points, max_points=max_points)
    _clean_and_save(criterion)
    used = sum(Criterion.objects.filter(tender=tender).values_list("max_points", flat=True))
    if used > 100 - tender.price_weight:
        raise BiddingInputError(
            _("评分因素满分合计 %(used)s 分，超过了价格分以外的 %(left)s 分。") % {
                "used": used, "left": 100 - tender.price_weight})
    audit_record(actor=actor, action="bidding.criterion_added", obj=tender, new={
        "criterion": criterion.pk, "name": name, "min": str(min_points),
        "max": str(max_points)})
    return criterion


@refusals_audited("bid_register")
def bid_register(*, actor, tender: Tender, lot: Lot, bidder: str, bidder_uscc: str,
                 price: Decimal, documents=()) -> Bid:
    """Register a bid; `documents`: (file name, bytes) pairs, each stored with its SHA-256."""
    tender = lock_tender(tender.pk)
    _require(actor, "bidding.manage_tender", tender)
    require_state(tender, DRAW_STATES, _("评标已开始，不能再登记投标文件。"))
    bid = Bid(tender=tender, lot=lot, bidder=bidder.strip(),
              bidder_uscc=bidder_uscc.strip().upper(), price=price)
    _unique_save(bid, _("该投标人已在本标包登记过投标文件。"))
    hashes = [bid_document_store(bid=bid, name=name, content=content)
              for name, content in documents]
    audit_record(actor=actor, action="bidding.bid_registered", obj=bid, new={
        "bidder": bid.bidder, "uscc": bid.bidder_uscc, "price": str(bid.price),
        "lot": lot.number, "documents": hashes})
    return bid


def bid_document_store(*, bid: Bid, name: str, content: bytes) -> str:
    """Store one document of a bid under its SHA-256; returns the hash. Call inside the
    service that audits the bid."""
    digest = hashlib.sha256(content).hexdigest()
    document = BidDocument(bid=bid, name=name[:200], size=len(content), sha256=digest)
    document.file.save(digest, ContentFile(content), save=False)
    _clean_and_save(document)
    return digest
