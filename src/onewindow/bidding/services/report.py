"""The evaluation report: generated after the close, signed by every member (or signed with
dissent and reasons), countersigned by the main venue.

Each signature covers the statement {"report": SHA-256 of the canonical report JSON, "kind",
"reasons"}; the report JSON holds every score, so a score changed afterwards changes the digest
and breaks every signature (see `selectors.report_verify`).
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding import selectors, signing
from onewindow.bidding.enums import MemberStatus, SignatureKind, TenderState
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError, BiddingStateError
from onewindow.bidding.models import Report, ReportSignature, SigningKey, Tender
from onewindow.bidding.services.common import (
    lock_tender,
    publish_on_commit,
    refusals_audited,
    require_state,
)


def signer_for(user) -> signing.Signer:
    """The user's platform-held Ed25519 key, created on first use."""
    key = SigningKey.objects.filter(user=user).first()
    if key is None:
        fresh = signing.Ed25519Signer.generate()
        key = SigningKey.objects.create(user=user, algorithm=fresh.algorithm,
                                        public_key=fresh.public_key(),
                                        private_key=fresh.private_b64())
    return signing.Ed25519Signer.from_private_b64(key.private_key)


@refusals_audited("report_create")
def report_create(*, actor, tender: Tender) -> Report:
    """The chair or the main venue's operator generates the report once scoring is closed."""
    tender = lock_tender(tender.pk)
    require_state(tender, {TenderState.SCORED}, _("评分结束后才能生成评标报告。"))
    member = selectors.member_for(user=actor, tender=tender)
    is_chair = member is not None and member.pk == tender.chair_id
    if not (is_chair or actor.has_perm("bidding.manage_tender", tender)):
        raise BiddingForbidden(_("只有评标委员会主任或主场管理员可以生成评标报告。"))
    if Report.objects.filter(tender=tender).exists():
        raise BiddingStateError(_("评标报告已经生成。"))
    payload = selectors.report_payload(tender=tender)
    body = signing.canonical_json(payload)
    report = Report(tender=tender, code=secrets.token_urlsafe(12), payload=body.decode(),
                    digest=signing.sha256_hex(body), created_by=actor,
                    recommended={str(lot["lot"]): lot["recommended"] for lot in payload["lots"]})
    report.full_clean()
    report.save()
    audit_record(actor=actor, action="bidding.report_created", obj=report,
                 new={"digest": report.digest, "recommended": report.recommended})
    publish_on_commit(tender_id=tender.pk, event="signed",
                      payload={"report": report.pk, "what": "created"})
    return report


def _sign(*, actor, report: Report, kind: str, reasons: str, signer) -> ReportSignature:
    tender = lock_tender(report.tender_id)
    require_state(tender, {TenderState.SCORED}, _("评标报告已由主场确认，不能再签署。"))
    member = selectors.member_for(user=actor, tender=tender)
    if member is None or member.status != MemberStatus.CONFIRMED:
        raise BiddingForbidden(_("您不是本项目评标委员会成员，不能签署评标报告。"))
    if ReportSignature.objects.filter(report=report, member=member).exists():
        raise BiddingStateError(_("您已经签署过评标报告。"))
    current = signing.sha256_hex(signing.canonical_json(selectors.report_payload(tender=tender)))
    if current != report.digest:
        raise BiddingStateError(_("评分数据与评标报告不一致，不能签署，请联系主场。"))
    signer = signer or signer_for(actor)
    statement = signing.member_statement(digest=report.digest, kind=kind, reasons=reasons)
    signature = ReportSignature(report=report, member=member, kind=kind, reasons=reasons,
                                algorithm=signer.algorithm, public_key=signer.public_key(),
                                signature=signer.sign(statement))
    signature.full_clean()
    signature.save()
    audit_record(actor=actor, action=f"bidding.report_{kind}", obj=report,
                 new={"member": member.pk, "public_key": signature.public_key}, note=reasons)
    publish_on_commit(tender_id=tender.pk, event="signed",
                      payload={"report": report.pk, "member_id": member.pk, "kind": kind})
    return signature


@refusals_audited("report_sign")
def report_sign(*, actor, report: Report, signer: signing.Signer | None = None):
    return _sign(actor=actor, report=report, kind=SignatureKind.SIGNED, reasons="",
                 signer=signer)


@refusals_audited("report_dissent")
def report_dissent(*, actor, report: Report, reasons: str,
                   signer: signing.Signer | None = None):
    reasons = (reasons or "").strip()
    if not reasons:
        raise BiddingInputError(_("持不同意见时必须写明理由。"))
    return _sign(actor=actor, report=report, kind=SignatureKind.DISSENT, reasons=reasons,
                 signer=signer)


@refusals_audited("report_countersign")
def report_countersign(*, actor, report: Report,
                       signer: signing.Signer | None = None) -> Report:
    """The main venue confirms the report; members who did not sign count as agreeing."""
    tender = lock_tender(report.tender_id)
    require_state(tender, {TenderState.SCORED}, _("当前阶段不能确认评标报告。"))
    if not actor.has_perm("bidding.manage_tender", tender) or \
            not tender.main_venue.operators.filter(pk=actor.pk).exists():
        raise BiddingForbidden(_("只有主场管理员可以确认评标报告。"))
    report = Report.objects.get(pk=report.pk)
    signatures = list(report.signatures.values_list("signature", flat=True))
    signed = set(report.signatures.values_list("member", flat=True))
    unsigned = [m.pk for m in selectors.seated_members(tender=tender) if m.pk not in signed]
    signer = signer or signer_for(actor)
    statement = signing.countersign_statement(digest=report.digest, signatures=signatures)
    report.countersigned_by = actor
    report.countersign_algorithm = signer.algorithm
    report.countersign_public_key = signer.public_key()
    report.countersignature = signer.sign(statement)
    report.countersigned_at = timezone.now()
    report.full_clean()
    report.save()
    tender.state = TenderState.REPORTED
    tender.save(update_fields=["state"])
    audit_record(actor=actor, action="bidding.report_countersigned", obj=report,
                 new={"signatures": len(signatures), "deemed_agreeing": unsigned})
    audit_record(actor=actor, action="bidding.reported", obj=tender,
                 old={"state": TenderState.SCORED}, new={"state": tender.state})
    publish_on_commit(tender_id=tender.pk, event="signed",
                      payload={"report": report.pk, "what": "countersigned"})
    return report
