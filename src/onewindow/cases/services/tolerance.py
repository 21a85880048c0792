"""容缺受理 (tolerance acceptance): accept a case while secondary materials follow by a deadline.

The rules (domain/service-quality.md; issue 4 point 3):
- only materials the catalog marks tolerable may be missing, and at least one is;
- an applicant on the credit blacklist is refused;
- the applicant has signed a pledge (`TolerancePledge`), online or on paper entered by the clerk;
- one notice (容缺受理告知书) says what is missing, in what form, by when, and what follows if it
  does not come; the deadline is no later than the promised limit;
- each missing material has its own clock (`ToleratedMaterial.due`); the case may be reviewed
  meanwhile but not decided (`tolerance_require_all_received`, called by `case_decide`);
- a deadline missed ends the case (`case_tolerance_lapse`, run by the clock job) as the item's
  rule (`ServiceItem.tolerance_lapse`) says: terminated, or denied with a decision letter; or
  revoked when it was decided already.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from onewindow.cases import clocks, documents, uploads
from onewindow.cases.enums import (
    CLOSED_STATES,
    DEFAULT_REMEDY,
    DENIABLE_STATES,
    PRE_ACCEPTANCE_STATES,
    REVOCABLE_STATES,
    TERMINABLE_STATES,
    Decision,
    DocumentKind,
    PauseKind,
    PledgeChannel,
    ToleratedMaterialStatus,
)
from onewindow.cases.errors import CaseInputError, IllegalTransition
from onewindow.cases.models import Case, TolerancePledge, ToleratedMaterial
from onewindow.cases.services.applying import blacklisted, material_record, missing_materials
from onewindow.cases.services.commitment import outcome_documents_revoke
from onewindow.cases.services.core import lock_case, record, require, transition
from onewindow.cases.services.intake import _check_claim, refuse_after_pre_review
from onewindow.catalog.enums import ToleranceLapse
from onewindow.catalog.guide import material_counts_text
from onewindow.catalog.models import MaterialRequirement
from onewindow.core.db import Prepared

PENDING = ToleratedMaterialStatus.PENDING
# A case whose tolerated material lapses is ended from these states (a withdrawn one is over).
LAPSABLE_STATES = TERMINABLE_STATES | REVOCABLE_STATES


class NothingLapsed(CaseInputError):
    """Under the lock no tolerated material of the case is overdue (it arrived meanwhile)."""


# --- reads --------------------------------------------------------------------------------------
def tolerable_requirements(item) -> list[MaterialRequirement]:
    return [m for m in item.materials.all() if m.tolerance_allowed]


def pending_tolerated(case) -> list[ToleratedMaterial]:
    """The tolerated materials still owed (read on every decision: compiled once)."""
    return _PENDING.all(case.pk)


_PENDING = Prepared(lambda case_id: ToleratedMaterial.objects.filter(
    case_id=case_id, status=PENDING).select_related("requirement").order_by("pk"))


def tolerance_blocks_decision(case) -> list[ToleratedMaterial]:
    """The tolerated materials still owed: a decision waits until this is empty."""
    return pending_tolerated(case)


def tolerance_require_all_received(case) -> None:
    """Refuse a decision while a tolerated material is owed. Call from `case_decide` while
    holding the case row lock."""
    owed = tolerance_blocks_decision(case)
    if owed:
        names = "、".join(m.requirement.name for m in owed)
        raise CaseInputError(_("容缺材料尚未补齐（%(names)s），补齐前不能作出决定。")
                             % {"names": names})


def pledge_text(case) -> str:
    """What the applicant promises. Fixed in the pledge row when signed."""
    names = "、".join(m.name for m in tolerable_requirements(case.item)) or _("（无）")
    return _("本人/本单位申请对“%(item)s”（办件编号%(number)s）予以容缺受理，并郑重承诺：一、已提交"
             "的申请材料真实、合法、有效；二、对窗口一次性告知的所缺材料（本事项可容缺的材料为：%(names)s），"
             "按告知的形式在告知的期限内（不晚于承诺办结期限）补交齐全；三、逾期未补交的，同意%(then)s；"
             "已作出行政许可决定的，同意依法撤销该决定，并承担由此产生的一切后果。") % {
        "item": case.item.name, "number": case.number or "—", "names": names,
        "then": case.item.tolerance_lapse_consequence()}


def form_text(requirement) -> str:
    """In what form a tolerated material is to be brought (the notice's second column)."""
    counts = material_counts_text(requirement)
    return _("%(form)s（%(counts)s），可网上上传%(types)s文件或到窗口提交") % {
        "form": requirement.get_form_display(), "counts": counts,
        "types": uploads.allowed_types_text(requirement)}


# --- the pledge ---------------------------------------------------------------------------------
def tolerance_pledge_sign(*, actor, case_id: int) -> TolerancePledge:
    """The applicant signs the pledge online on the case page, before acceptance."""

    def apply(case):
        pledge = _new_pledge(case, channel=PledgeChannel.ONLINE, signed_by=actor,
                             signer_name=actor.get_full_name() or actor.get_username(),
                             signed_at=timezone.now())
        return {"pledge": pledge.pk, "channel": pledge.channel}

    case = record(case_id=case_id, action="tolerance_pledge", actor=actor, perm="cases.apply",
                  apply=apply)
    return case.tolerance_pledges.latest("id")


def tolerance_pledge_record(*, actor, case_id: int, signer_name: str, signed_on: dt.date,
                            paper_reference: str = "") -> TolerancePledge:
    """The clerk enters a pledge the applicant signed on paper at the counter."""
    if not signer_name.strip():
        raise CaseInputError(_("请填写在纸质承诺书上签字的人员姓名。"))
    if signed_on > clocks.today():
        raise CaseInputError(_("签署日期不能晚于今天。"))

    def apply(case):
        _check_claim(case, actor)
        signed_at = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12)))
        pledge = _new_pledge(case, channel=PledgeChannel.PAPER, signed_by=None,
                             signer_name=signer_name.strip(), signed_at=signed_at,
                             recorded_by=actor, paper_reference=paper_reference.strip())
        return {"pledge": pledge.pk, "channel": pledge.channel, "signer": pledge.signer_name}

    case = record(case_id=case_id, action="tolerance_pledge", actor=actor, perm="cases.intake",
                  apply=apply)
    return case.tolerance_pledges.latest("id")


def _new_pledge(case, **fields) -> TolerancePledge:
    if case.state not in PRE_ACCEPTANCE_STATES:
        raise IllegalTransition(case, "tolerance_pledge")
    if not tolerable_requirements(case.item):
        raise CaseInputError(_("该事项没有可容缺的材料，不适用容缺受理。"))
    _refuse_blacklisted(case)
    signed = case.tolerance_pledges.first()
    if signed is not None:
        raise CaseInputError(_("该办件已由%(name)s于%(day)s签署容缺承诺，无需重复签署。") % {
            "name": signed.signer_name, "day": timezone.localdate(signed.signed_at).isoformat()})
    pledge = TolerancePledge(case=case, text=pledge_text(case), **fields)
    pledge.full_clean()
    pledge.save()
    return pledge


def _refuse_blacklisted(case) -> None:
    if not blacklisted(case):
        return
    who = (_("申请企业“%(name)s”") % {"name": case.enterprise.name} if case.enterprise_id
           else _("申请人“%(name)s”") % {"name": case.applicant})
    raise CaseInputError(_("%(who)s已被列入失信黑名单，依规不适用容缺受理，"
                           "请补齐全部材料后按一般程序办理。") % {"who": who})


# --- acceptance ---------------------------------------------------------------------------------
def case_accept_with_tolerance(*, actor, case_id: int, missing: list[int],
                               due: dt.date | None = None,
                               dues: dict[int, dt.date] | None = None, note: str = "") -> Case:
    """Accept with the materials `missing` (requirement ids) to follow by `due` (default and
    latest: the promised due date, or the legal one if the item has no promised limit), or
    each by its own date in `dues` (requirement id → date, within the same bounds): a document
    another authority issues may take longer than one the applicant has at hand."""

    def apply(case):
        _check_claim(case, actor)
        refuse_after_pre_review(case, _("容缺受理"))
        owed = _owed_requirements(case, missing)
        _refuse_blacklisted(case)
        pledge = case.tolerance_pledges.order_by("-signed_at", "-id").first()
        if pledge is None:
            raise CaseInputError(_("容缺受理须先由申请人签署容缺承诺书（网上签署，或在窗口签署纸质"
                                   "承诺书后由窗口录入）。"))
        own = dues or {}
        owed_ids = {r.pk for r in owed}
        strays = [pk for pk in own if pk not in owed_ids]
        if strays:
            raise CaseInputError(_("补交期限所指的材料（编号 %(ids)s）不在本次容缺的材料之中。")
                                 % {"ids": "、".join(str(pk) for pk in strays)})
        case.accepted_on = clocks.today()
        clocks.compute_dues(case)
        catch_up = _catch_up_due(case, due)
        by = {r.pk: _catch_up_due(case, own[r.pk]) if own.get(r.pk) else catch_up for r in owed}
        ToleratedMaterial.objects.bulk_create(
            ToleratedMaterial(case=case, requirement=r, pledge=pledge, form_text=form_text(r),
                              due=by[r.pk]) for r in owed)
        documents.issue(case=case, kind=DocumentKind.TOLERANCE_NOTICE, actor=actor,
                        source=pledge)
        return {"accepted_on": case.accepted_on, "legal_due": case.legal_due,
                "promised_due": case.promised_due, "tolerance_due": max(by.values()),
                "missing": [r.name for r in owed], "pledge": pledge.pk,
                "dues": {r.name: by[r.pk] for r in owed}}

    return transition(case_id=case_id, action="accept_with_tolerance", actor=actor,
                      perm="cases.intake", note=note, apply=apply)


def _owed_requirements(case, missing: list[int]) -> list[MaterialRequirement]:
    """The materials named missing, with any required one that has no upload at all; each
    must be tolerable."""
    materials = {m.pk: m for m in case.item.materials.all()}
    unknown = [pk for pk in missing if pk not in materials]
    if unknown:
        raise CaseInputError(_("材料编号 %(ids)s 不属于该事项。")
                             % {"ids": "、".join(str(pk) for pk in unknown)})
    owed = {pk: materials[pk] for pk in missing}
    owed.update({m.pk: m for m in missing_materials(case)})
    if not owed:
        raise CaseInputError(_("没有缺少的材料，请直接受理，无需容缺。"))
    refused = [m.name for m in owed.values() if not m.tolerance_allowed]
    if refused:
        raise CaseInputError(_("以下材料不可容缺，须补齐后才能受理：%(names)s。")
                             % {"names": "、".join(refused)})
    return sorted(owed.values(), key=lambda m: (m.order, m.pk))


def _catch_up_due(case, due: dt.date | None) -> dt.date:
    latest = case.promised_due or case.legal_due
    if latest is None:
        raise CaseInputError(_("该事项未设定办结时限，无法确定容缺材料的补交期限。"))
    if due is None:
        return latest
    if due > latest:
        raise CaseInputError(_("补交期限不能晚于承诺办结期限（%(latest)s）。")
                             % {"latest": latest.isoformat()})
    if due < case.accepted_on:
        raise CaseInputError(_("补交期限不能早于受理日期。"))
    return due


# --- the material arrives -----------------------------------------------------------------------
@transaction.atomic
def case_tolerated_material_upload(*, actor, case_id: int, requirement_id: int,
                                   uploaded_file) -> ToleratedMaterial:
    """The applicant brings a tolerated material: checked and stored like any upload, recorded
    as the material's current version, and the tolerated material marked received."""
    case = lock_case(case_id)
    require(actor, "cases.apply", case, _("您无权为该办件上传材料。"))
    if case.state in CLOSED_STATES:
        raise IllegalTransition(case, "tolerance_material_received")
    owed = case.tolerated_materials.select_related("requirement") \
        .filter(requirement_id=requirement_id).first()
    if owed is None:
        raise CaseInputError(_("该材料不是本办件的容缺材料，请刷新页面后重试。"))
    if not owed.is_pending:
        raise CaseInputError(_("“%(material)s”%(status)s，无需再补交。") % {
            "material": owed.requirement.name, "status": owed.get_status_display()})
    if clocks.today() > owed.due:
        raise CaseInputError(_("“%(material)s”的补交期限（%(due)s）已过，不能再补交。") % {
            "material": owed.requirement.name, "due": owed.due.isoformat()})
    stored = uploads.check_and_store(requirement=owed.requirement, uploaded_file=uploaded_file)
    stored = uploads.reuse_stored_copy(case=case, stored=stored)
    material = material_record(actor=actor, case=case, requirement=owed.requirement,
                               stored=stored)

    def apply(locked):
        owed.status = ToleratedMaterialStatus.RECEIVED
        owed.received_at = timezone.now()
        owed.material = material
        owed.save(update_fields=["status", "received_at", "material"])
        return {"material": owed.requirement.name, "received_at": owed.received_at,
                "still_owed": len(pending_tolerated(locked))}

    record(case_id=case.pk, action="tolerance_material_received", actor=actor, perm=None,
           apply=apply)
    return owed


# --- the deadline passes ------------------------------------------------------------------------
def lapsed_tolerance_case_ids(*, on: dt.date) -> list[int]:
    return list(ToleratedMaterial.objects
                .filter(status=PENDING, due__lt=on, case__state__in=LAPSABLE_STATES)
                .values_list("case_id", flat=True).distinct().order_by("case_id"))


def case_tolerance_lapse(*, case_id: int) -> Case:
    """A tolerated material did not come by its deadline: end the case as the item's rule and
    the pledge say — terminated, or denied (不予许可, with its decision letter); when decided
    already, the decision revoked. Run by the clock job."""
    case = Case.objects.select_related("item").only("state", "item__tolerance_lapse").get(
        pk=case_id)
    if case.state in REVOCABLE_STATES:
        return _lapse(case_id, action="revoke", event="tolerance_lapsed_revoke")
    if case.item.tolerance_lapse == ToleranceLapse.DENY and case.state in DENIABLE_STATES:
        return _lapse(case_id, action="deny_on_lapse", event="tolerance_lapsed_deny")
    return _lapse(case_id, action="terminate", event="tolerance_lapsed")


LAPSE_OUTCOMES = {"revoke": _lazy("撤销许可决定"), "terminate": ToleranceLapse.TERMINATE.label,
                  "deny_on_lapse": ToleranceLapse.DENY.label}


def _lapse(case_id: int, *, action: str, event: str) -> Case:
    def apply(case):
        today = clocks.today()
        late = list(case.tolerated_materials.filter(status=PENDING, due__lt=today)
                    .select_related("requirement"))
        if not late:
            raise NothingLapsed(_("容缺材料未逾期。"))
        now = timezone.now()
        for owed in late:
            owed.status, owed.lapsed_at = ToleratedMaterialStatus.LAPSED, now
            owed.save(update_fields=["status", "lapsed_at"])
        names = "、".join(m.requirement.name for m in late)
        reason = _("容缺材料（%(names)s）逾期未补交（补交期限%(due)s），依照申请人的"
                   "容缺承诺%(what)s。") % {
            "names": names, "due": max(m.due for m in late).isoformat(),
            "what": LAPSE_OUTCOMES[action]}
        case.pauses.filter(kind=PauseKind.SPECIAL_PROCEDURE, ended_on__isnull=True) \
            .update(ended_on=today)
        revoked = []
        if action == "deny_on_lapse":  # a decision, with its letter and the remedy (Art. 38)
            case.decision, case.decision_reason = Decision.DENIED, reason
            case.remedy_text, case.decided_at = str(DEFAULT_REMEDY), timezone.now()
            documents.issue(case=case, kind=DocumentKind.DECISION_LETTER, actor=None)
        else:
            case.ended_reason = reason
        if action == "revoke":
            revoked = outcome_documents_revoke(case=case, actor=None, reason=reason)
        return {"lapsed": [m.requirement.name for m in late], "reason": reason,
                "revoked_documents": revoked}

    return transition(case_id=case_id, action=action, actor=None, perm=None, event=event,
                      note=_("容缺材料逾期未补交"), apply=apply)
