"""Venue recordings and their hand-over; complaints and re-checks routed to the main venue."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding.enums import RecheckKind, RecheckState
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError, BiddingStateError
from onewindow.bidding.models import Recheck, Recording, Tender, Venue
from onewindow.bidding.services.common import lock_tender, refusals_audited
from onewindow.cases.notify import notify_users
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.selectors import add_working_days


def handover_days() -> int:
    return settings.ONEWINDOW_BIDDING_HANDOVER_DAYS


def _tender_venues(tender: Tender) -> list[Venue]:
    return [tender.main_venue, *tender.sub_venues.order_by("pk")]


@refusals_audited("recording_register")
def recording_register(*, actor, tender: Tender, venue: Venue, name: str,
                       content: bytes | None = None, sha256: str = "",
                       size: int = 0) -> Recording:
    """A venue's operator registers its audio/video record: the file itself (hashed here) or,
    for a large file kept on the venue's own storage, its SHA-256 and size."""
    tender = lock_tender(tender.pk)
    if venue not in _tender_venues(tender):
        raise BiddingInputError(_("该场地不是本项目的评标场地。"))
    if not venue.operators.filter(pk=actor.pk).exists():
        raise BiddingForbidden(_("只有该场地的管理员可以登记录音录像。"))
    if content is not None:
        sha256, size = hashlib.sha256(content).hexdigest(), len(content)
    sha256 = (sha256 or "").strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise BiddingInputError(_("请上传录音录像文件或填写64位的SHA-256哈希值。"))
    if Recording.objects.filter(tender=tender, sha256=sha256).exists():
        raise BiddingInputError(_("该录音录像文件已登记过。"))
    try:
        due = add_working_days(tender.evaluation_date, handover_days()).date
    except CalendarNotCovered as exc:
        raise BiddingStateError(exc.message + _("，请联系管理员录入节假日安排。")) from None
    recording = Recording(tender=tender, venue=venue, name=name, sha256=sha256, size=size,
                          due_on=due, registered_by=actor)
    if content is not None:
        recording.file.save(sha256, ContentFile(content), save=False)
    if venue.pk == tender.main_venue_id:
        recording.handed_over_on, recording.received_by = dt.date.today(), actor
    recording.full_clean()
    recording.save()
    audit_record(actor=actor, action="bidding.recording_registered", obj=recording, new={
        "venue": venue.pk, "sha256": sha256, "size": size, "due_on": due})
    return recording


@refusals_audited("recording_receive")
def recording_receive(*, actor, recording: Recording, on: dt.date | None = None) -> Recording:
    """The main venue confirms it received a sub-venue's record (on time or late: recorded)."""
    tender = lock_tender(recording.tender_id)
    if not tender.main_venue.operators.filter(pk=actor.pk).exists():
        raise BiddingForbidden(_("只有主场管理员可以确认接收录音录像。"))
    recording = Recording.objects.get(pk=recording.pk)
    if recording.handed_over_on is not None:
        raise BiddingStateError(_("该录音录像已确认接收。"))
    recording.handed_over_on, recording.received_by = on or dt.date.today(), actor
    recording.save(update_fields=["handed_over_on", "received_by"])
    audit_record(actor=actor, action="bidding.recording_received", obj=recording, new={
        "handed_over_on": recording.handed_over_on,
        "late": recording.handed_over_on > recording.due_on})
    return recording


@refusals_audited("recheck_file")
def recheck_file(*, actor, tender: Tender, kind: str, text: str) -> Recheck:
    """A complaint or re-check request about an evaluation; it always goes to the main venue."""
    tender = lock_tender(tender.pk)
    text = (text or "").strip()
    if kind not in RecheckKind.values or not text:
        raise BiddingInputError(_("请选择类型并填写投诉或复核的内容。"))
    recheck = Recheck(tender=tender, kind=kind, text=text, filed_by=actor,
                      routed_to=tender.main_venue)
    recheck.full_clean()
    recheck.save()
    audit_record(actor=actor, action="bidding.recheck_filed", obj=recheck,
                 new={"kind": kind, "routed_to": tender.main_venue_id})
    notify_users(tender.main_venue.operators.all(), verb="bidding_recheck",
                 title=_("%(kind)s：%(number)s") % {"kind": recheck.get_kind_display(),
                                                    "number": tender.number},
                 body=text[:500], link=f"/bidding/tenders/{tender.pk}/")
    return recheck


@refusals_audited("recheck_answer")
def recheck_answer(*, actor, recheck: Recheck, answer: str) -> Recheck:
    tender = lock_tender(recheck.tender_id)
    if not tender.main_venue.operators.filter(pk=actor.pk).exists():
        raise BiddingForbidden(_("投诉与复核由主场处理。"))
    recheck = Recheck.objects.get(pk=recheck.pk)
    answer = (answer or "").strip()
    if recheck.state != RecheckState.OPEN:
        raise BiddingStateError(_("该投诉或复核已处理。"))
    if not answer:
        raise BiddingInputError(_("请填写处理结果。"))
    recheck.state, recheck.answer, recheck.answered_by = RecheckState.ANSWERED, answer, actor
    recheck.save(update_fields=["state", "answer", "answered_by"])
    audit_record(actor=actor, action="bidding.recheck_answered", obj=recheck,
                 old={"state": RecheckState.OPEN}, new={"state": recheck.state}, note=answer)
    notify_users([recheck.filed_by], verb="bidding_recheck_answer",
                 title=_("您的%(kind)s已处理") % {"kind": recheck.get_kind_display()},
                 body=answer[:500], link="")
    return recheck
