"""一件事 (bundles): one form, one parent case, one child case per item, handled in parallel.

The applicant fills one form and uploads each document once (`selectors_bundles.
bundle_form_spec`) on a draft parent case. `bundle_submit` submits the parent (one number, one
clock) and opens one child case per chosen item, routed to the item's department and
submitted, in one transaction: the departments then work in parallel, each on its own case.

The parent decides nothing itself. Its state follows its children (`bundle_refresh_parent`),
through the Case moves that fit: submitted → accepted → in_review once any child is accepted
(the bundle's clocks start then; they stand still while every open child waits on the
applicant or a special procedure, `_sync_clock`) → decided → completed once every child is
completed or delivered (or ended) → delivered once every result is delivered; or
terminated. A refused child (denied, not accepted, revoked) is shown with its reason; when the
bundle's rule says the others stop (`continue_on_denial` False), the other open children are
terminated, then the parent. The parent's moves are audited as `case_bundle_<move>`: the
single case's notifications name the item, which a parent does not have.

This module reaches `core` and `applying` through their modules (`core.transition`), not by
name, so that `core` may import it to call `bundle_part_moved` without an import cycle failing.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.cases import clocks
from onewindow.cases import uploads as files_check
from onewindow.cases.enums import (
    CLOSED_STATES,
    DECISION_CLOCK_STATES,
    PRE_ACCEPTANCE_STATES,
    TERMINABLE_STATES,
    CaseState,
    Decision,
    DocumentKind,
    PauseKind,
)
from onewindow.cases.errors import CaseInputError, IllegalTransition
from onewindow.cases.models import Case, ClockPause, ProvidedMaterial, SubmittedMaterial
from onewindow.cases.selectors_bundles import (
    DONE_STATES,
    ENDED_STATES,
    OPTIONAL_FIELD,
    BundleFormSpec,
    bundle_entries,
    bundle_form_spec,
    current_uploads,
    family_form_spec,
    is_accepted,
    parent_form_spec,
    provided_materials,
    refusal,
)
from onewindow.cases.services import applying, core
from onewindow.catalog.enums import OnlineDepth
from onewindow.catalog.models import ServiceItem
from onewindow.core.db import insert_all

logger = logging.getLogger("onewindow.cases.bundles")
S = CaseState
FINISHED_STATES = DONE_STATES | ENDED_STATES
WAITING_STATES = frozenset({S.RETURNED, S.SUSPENDED})  # a part with the applicant, or Art. 45


# --- the draft: one form, each document once ----------------------------------------------------

@transaction.atomic
def bundle_create_draft(*, actor, bundle, enterprise=None, idempotency_key: str = "") -> Case:
    """A draft parent case of `bundle` by `actor` (for `enterprise` if given). With an
    idempotency key, a second call with the same key returns the first draft."""
    if idempotency_key:
        existing = _parent_by_key(actor, bundle, idempotency_key)
        if existing is not None:
            return existing
    applicant = _check_may_apply(actor, bundle, enterprise)
    parent = Case(item=None, bundle=bundle, department=bundle.lead_department, applicant=applicant,
                  enterprise=enterprise, filed_by=actor, title=bundle.name,
                  idempotency_key=idempotency_key, legal_limit_days=bundle.legal_limit_days,
                  promised_limit_days=bundle.promised_limit_days)
    parent, created = applying.save_new_draft(parent)
    if created:
        audit_record(actor=actor, action="case_create", obj=parent,
                     new={"state": parent.state, "bundle": bundle.code})
    return parent


def _parent_by_key(actor, bundle, key: str) -> Case | None:
    existing = Case.objects.filter(filed_by=actor, idempotency_key=key).first()
    if existing is not None and (existing.bundle_id != bundle.pk or existing.item_id):
        raise CaseInputError(_("页面已过期，请刷新后重新提交。"))
    return existing


def _check_may_apply(actor, bundle, enterprise):
    """The parent's applicant, once `actor` may apply for this bundle for `enterprise`."""
    entries = bundle_entries(bundle)
    if not bundle.is_published or not entries:
        raise CaseInputError(_("该一件事暂未开放网上申请。"))
    offline = [e.item.name for e in entries if e.item.online_depth < OnlineDepth.PRE_REVIEW]
    if offline:
        raise CaseInputError(_("其中%(names)s暂不支持网上申请，请到窗口办理。")
                             % {"names": "、".join(offline)})
    return applying.acting_applicant(actor=actor, enterprise=enterprise, item=None)


@transaction.atomic
def bundle_update_draft(*, actor, case_id: int, form_data: dict) -> Case:
    """Save the one form of a draft parent (incomplete is fine until submission)."""
    parent = _lock_draft_parent(actor, case_id, _("您无权修改该申请。"))
    chosen = _optional_ids(form_data)
    _check_offered(bundle_form_spec(parent.bundle, optional_item_ids=chosen), chosen)
    parent.form_data = {**form_data, OPTIONAL_FIELD: chosen}
    parent.save(update_fields=["form_data", "updated_at"])
    return parent


@transaction.atomic
def bundle_material_upload(*, actor, case_id: int, requirement_id: int,
                           uploaded_file) -> SubmittedMaterial:
    """Check a file for one document of the one form and record it on the draft parent as
    that document's current version (`requirement_id` is the slot's key)."""
    parent = _lock_draft_parent(actor, case_id, _("您无权为该申请上传材料。"))
    return _store_upload(actor, parent, parent_form_spec(parent), requirement_id, uploaded_file)


def _lock_draft_parent(actor, case_id: int, forbidden: str) -> Case:
    parent = core.lock_case(case_id)
    core.require(actor, "cases.apply", parent, forbidden)
    if not parent.is_bundle_parent:
        raise CaseInputError(_("该办件不是一件事申请。"))
    if parent.state != S.DRAFT:
        raise CaseInputError(_("申请已提交，不能再修改申请表或上传材料。"))
    return parent


def _store_upload(actor, parent, spec: BundleFormSpec, key: int, uploaded_file):
    """Call while holding the parent's row lock."""
    slot = spec.slot(key)
    if slot is None or not slot.asked:
        raise CaseInputError(_("该材料不属于本次申请，请刷新页面后重试。"))
    stored = files_check.check_and_store(requirement=slot, uploaded_file=uploaded_file)
    stored = files_check.reuse_stored_copy(case=parent, stored=stored)
    return applying.material_record(actor=actor, case=parent, requirement=slot.primary,
                                    stored=stored)


# --- submission: the parent and its children, in one transaction ----------------------------

@transaction.atomic
def bundle_submit(*, actor, bundle, enterprise=None, form_data: dict, uploads=None,
                  idempotency_key: str = "") -> Case:
    """Submit the one form: the parent case and one child case per chosen item, each routed
    to its item's department and submitted. All or nothing.

    The draft with `idempotency_key` is used when there is one (its enterprise stands), else a
    parent is made; the same key again returns the submitted parent. `uploads` maps a slot key
    to an uploaded file, for callers that send the files with the form."""
    parent = _parent_for_submission(actor, bundle, enterprise, idempotency_key)
    if parent.state != S.DRAFT:
        return parent
    chosen = _optional_ids(form_data)
    spec = bundle_form_spec(bundle, optional_item_ids=chosen)
    _check_offered(spec, chosen)
    cleaned = _clean_form(spec, form_data)
    parent.form_data = cleaned
    parent.save(update_fields=["form_data", "updated_at"])
    for key, uploaded_file in (uploads or {}).items():
        _store_upload(actor, parent, spec, int(key), uploaded_file)
    files = current_uploads(parent)
    missing = [s.name for s in spec.asked if s.required and s.key not in files]
    if missing:
        raise CaseInputError(_("还缺少必要材料：%(names)s。请上传后再提交。")
                             % {"names": "、".join(missing)})
    _submit_parent(actor, parent.pk, spec)
    for entry in spec.chosen:
        _open_child(actor, parent, spec, entry.item, cleaned, files)
    return bundle_refresh_parent(parent_id=parent.pk)


def _parent_for_submission(actor, bundle, enterprise, key: str) -> Case:
    existing = _parent_by_key(actor, bundle, key) if key else None
    if existing is None:
        existing = bundle_create_draft(actor=actor, bundle=bundle, enterprise=enterprise,
                                       idempotency_key=key)
    parent = core.lock_case(existing.pk)  # a twin submission waits here, then sees it done
    core.require(actor, "cases.apply", parent, _("您无权提交该申请。"))
    return parent


def _optional_ids(form_data: dict) -> list[int]:
    try:
        return sorted({int(i) for i in form_data.get(OPTIONAL_FIELD) or []})
    except (TypeError, ValueError) as err:
        raise CaseInputError(_("所选的按需办理事项无效，请刷新页面后重试。")) from err


def _check_offered(spec: BundleFormSpec, chosen: list[int]) -> None:
    if not set(chosen) <= {e.item_id for e in spec.optional}:
        raise CaseInputError(_("所选的按需办理事项不属于本一件事，请刷新页面后重试。"))


def _clean_form(spec: BundleFormSpec, form_data: dict) -> dict:
    """Each field of the one form checked once, by its own definition."""
    cleaned, problems = {}, []
    for form_field in spec.fields:
        try:
            cleaned[form_field.name] = form_field.field.clean(form_data.get(form_field.name))
        except ValidationError as err:
            problems.append(f"{form_field.field.label}（{'；'.join(err.messages)}）")
    if problems:
        raise CaseInputError(_("申请表有未填或填错的内容：%(fields)s。")
                             % {"fields": "、".join(problems)})
    cleaned[OPTIONAL_FIELD] = sorted(e.item_id for e in spec.chosen if e.is_optional)
    return cleaned


def _submit_parent(actor, parent_id: int, spec: BundleFormSpec) -> Case:
    def apply(case):
        applying.give_number(case, clocks.today())
        case.submitted_at = timezone.now()
        case.received_on = clocks.today()
        # No pre-review clock of its own: each child has one. The parent's clocks start when
        # the first child is accepted (see _accept_parent).
        return {"number": case.number,
                "items": [e.item.implementation_code for e in spec.chosen]}

    return core.transition(case_id=parent_id, action="submit", event="bundle_submit",
                           actor=actor, perm="cases.apply", apply=apply, whole_bundle=True)


def _open_child(actor, parent, spec: BundleFormSpec, item, cleaned: dict, files: dict) -> Case:
    child = applying.case_create_draft(
        actor=actor, item=item, enterprise=parent.enterprise, applicant=parent.applicant,
        form_data={name: cleaned[name] for name in spec.field_names_for(item)})

    def link(case):
        case.parent, case.bundle = parent, parent.bundle
        return {"parent": parent.number, "bundle": parent.bundle.code}

    child = core.record(case_id=child.pk, action="bundle_link", actor=actor,
                        perm="cases.apply", apply=link)
    for slot, requirement in spec.uploads_for(item):
        if slot.key in files:
            applying.material_record(actor=actor, case=child, requirement=requirement,
                                     stored=_same_file(files[slot.key]))
    # What a sibling's result provides is not missing (`applying.missing_materials`).
    return applying.case_submit(actor=actor, case_id=child.pk)


def _same_file(material: SubmittedMaterial) -> dict:
    """The parent's stored file, pointed at (never copied) by a child's material row."""
    return {"file": material.file.name, "original_name": material.original_name,
            "content_type": material.content_type, "extension": material.extension,
            "size": material.size, "sha256": material.sha256}


# --- a part moved ---------------------------------------------------------------------------

def bundle_part_moved(*, case: Case, actor) -> None:
    """What every move of a part brings, called by `core.move` in the move's transaction: an
    approved part's certificate goes to the parts that need it, then the parent follows."""
    if case.state == S.DECIDED and case.decision == Decision.APPROVED:
        bundle_provide_results(case=case, actor=actor)
    bundle_refresh_parent(parent_id=case.parent_id)


# --- a part's result is the next part's material --------------------------------------------

def require_provided_results(case: Case) -> None:
    """A part is approved on the results its siblings provide (never asked of the applicant):
    refused while one has no certificate attached, or only a revoked one. Nothing to check
    outside a bundle. Call under the part's lock, in `case_decide`."""
    provided = [p for p in provided_materials(case).values() if p.document is None or p.revoked]
    ended = [p.producer_item.name for p in provided if p.document is None
             and (p.producer is None or p.producer.state in ENDED_STATES
                  or refusal(p.producer))]  # denied, withdrawn, not accepted: none will come
    if ended:
        raise CaseInputError(_("“%(items)s”已结束办理，未办出本事项所需的证照，不能作出准予许可"
                               "决定。") % {"items": "、".join(dict.fromkeys(ended))})
    if provided:
        raise CaseInputError(_("须待“%(items)s”办出有效证照（本事项的申请材料）后，才能作出准予"
                               "许可决定。") % {"items": "、".join(
                                   dict.fromkeys(p.producer_item.name for p in provided))})


def bundle_provide_results(*, case: Case, actor) -> list[ProvidedMaterial]:
    """Part `case` was approved: attach its certificate to every sibling part that needs it as a
    material (a material the one form never asked, `selectors_bundles.provided_materials`),
    each attachment audited on the part that receives it. In the approving move's transaction
    (`bundle_part_moved`); a sibling that ended without its result gets nothing."""
    certificate = (case.documents.filter(kind=DocumentKind.CERTIFICATE, revoked_at__isnull=True)
                   .order_by("-issued_at", "-pk").first())
    if certificate is None:
        return []
    parts = list(case.parent.children.select_related("item").order_by("pk"))
    spec = family_form_spec(case.parent, item_ids=[p.item_id for p in parts])
    wanted = [(sibling, requirement) for sibling in parts
              if sibling.pk != case.pk and sibling.state not in ENDED_STATES
              for slot, requirement in spec.provided_for(sibling.item)
              if slot.provided_by.pk == case.item_id]
    # One read of what is attached already, one insert of the rest (not a query per material).
    have = set(ProvidedMaterial.objects.filter(
        document=certificate, case_id__in=[sibling.pk for sibling, _r in wanted])
        .values_list("case_id", "requirement_id"))
    attached = insert_all([ProvidedMaterial(case=sibling, requirement=requirement,
                                            document=certificate)
                           for sibling, requirement in wanted
                           if (sibling.pk, requirement.pk) not in have])
    for row in attached:
        audit_record(actor=actor, action="case_material_provided", obj=row.case,
                     new={"material": row.requirement.name, "document": certificate.number,
                          "from_case": case.number},
                     note=_("「%(material)s」由本一件事中的办件 %(case)s 办出的证照 %(number)s "
                            "提供。") % {"material": row.requirement.name, "case": case.number,
                                        "number": certificate.number})
    return attached


# --- the parent follows its children --------------------------------------------------------

@transaction.atomic
def bundle_refresh_parent(*, parent_id: int) -> Case:
    """Bring the parent's state in line with its children's. Idempotent; call after every
    move of a child, in the child's transaction (the parent row is locked here, so parts
    finishing at once are counted one after the other)."""
    children_count = Case.objects.filter(parent_id=parent_id).count()
    for _step in range(children_count + 8):
        parent = core.lock_case(parent_id)
        children = list(parent.children.order_by("pk"))
        _sync_clock(parent, children)
        step = _next_step(parent, children)
        if step is None:
            return parent
        step()
    # Each step moves a case on, so this is not reached; if a bug ever loops, the child's own
    # move must not fail for it: say so loudly and leave the parent where it is.
    logger.error("bundle parent %s did not settle after %s steps", parent_id, children_count + 8)
    return core.lock_case(parent_id)


def _sync_clock(parent: Case, children: list[Case]) -> None:
    """The bundle's clocks stand still while every part still open waits — returned to the
    applicant for correction, or in a special procedure (Art. 45) — and run again once one is
    back with an office: a pause of the parent's own, opened and closed here and audited. On
    closing, the due dates move by the working days it took (`clocks.compute_dues`). A part
    decided and not yet completed is with an office (the window completes it)."""
    if parent.accepted_on is None:  # the clocks have not started: nothing to pause
        return
    open_parts = [c for c in children if c.state not in FINISHED_STATES]
    stopping = _stop_rule_refusal(parent, children) is not None
    waiting = (parent.state in DECISION_CLOCK_STATES and not stopping and bool(open_parts)
               and all(c.state in WAITING_STATES for c in open_parts))
    pause = clocks.open_pause(parent)
    if waiting == (pause is not None):
        return
    on = clocks.today()
    if waiting:
        kind = (PauseKind.SPECIAL_PROCEDURE if any(c.state == S.SUSPENDED for c in open_parts)
                else PauseKind.WITH_APPLICANT)
        names = "、".join(ServiceItem.objects.filter(pk__in=[c.item_id for c in open_parts])
                         .order_by("pk").values_list("name", flat=True))
        reason = _("未办结的事项（%(names)s）均在等待申请人补正或处于特别程序中，期间不计入"
                   "本一件事的办理时限。") % {"names": names}
        pause = ClockPause.objects.create(case=parent, kind=kind, started_on=on, reason=reason)
        audit_record(actor=None, action="case_bundle_clock_paused", obj=parent,
                     new={"pause": pause.pk, "kind": kind,
                          "parts": [c.number for c in open_parts]}, note=reason)
        return
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    clocks.compute_dues(parent)
    core.save_changes(parent)
    # Resumed: a part is back with an office. Otherwise the wait ended because no part is
    # open any more, the stop rule ends the bundle, or the bundle left review.
    resumed = bool(open_parts) and not stopping and parent.state in DECISION_CLOCK_STATES
    audit_record(actor=None,
                 action="case_bundle_clock_resumed" if resumed else "case_bundle_clock_pause_ended",
                 obj=parent, new={"pause": pause.pk, "legal_due": parent.legal_due,
                                  "promised_due": parent.promised_due})


def _next_step(parent: Case, children: list[Case]):
    """The one move that brings the parent (or, under the stop rule, a child) closer to what
    its children say; None when it is there."""
    if parent.state in CLOSED_STATES or parent.state == S.DRAFT or not children:
        return None
    refused = _stop_rule_refusal(parent, children)
    if refused is not None:
        return _stop_step(parent, children, refused)
    if parent.state in PRE_ACCEPTANCE_STATES and any(is_accepted(c) for c in children):
        return lambda: _accept_parent(parent.pk)
    if parent.state in (S.ACCEPTED, S.ACCEPTED_WITH_TOLERANCE):
        return lambda: _parent_move(parent.pk, "start_review")
    if any(c.state not in FINISHED_STATES for c in children):
        return None
    if not any(c.state in DONE_STATES for c in children):
        if parent.state not in TERMINABLE_STATES:
            return None
        return lambda: _terminate(parent.pk, _("本一件事的各事项均未能办结。"), parent=True)
    return _finish_step(parent, children)


def _stop_rule_refusal(parent: Case, children: list[Case]) -> Case | None:
    """The first refused part (denied, not accepted, revoked) when the bundle's rule says the
    others stop (`continue_on_denial` False); None when nothing stops them."""
    if parent.bundle.continue_on_denial:
        return None
    return next((c for c in children if refusal(c)), None)


def _stop_step(parent, children, refused: Case):
    reason = _("「%(item)s」%(refusal)s。按本一件事的规则，其余事项终止办理。") % {
        "item": refused.item.name, "refusal": refusal(refused)}
    still_open = [c for c in children if c.state in TERMINABLE_STATES]
    if still_open:
        return lambda: _terminate(still_open[0].pk, reason)
    if parent.state in TERMINABLE_STATES:
        return lambda: _terminate(parent.pk, reason, parent=True)
    return None


def _finish_step(parent, children):
    if parent.state == S.IN_REVIEW:
        return lambda: _parent_move(parent.pk, "decide", "decided_at")
    if parent.state == S.DECIDED:
        return lambda: _parent_move(parent.pk, "complete", "completed_at")
    if parent.state == S.COMPLETED and all(c.state == S.DELIVERED for c in children
                                           if c.state in DONE_STATES):
        return lambda: _parent_move(parent.pk, "deliver", "delivered_at")
    return None


def _accept_parent(parent_id: int) -> Case:
    def apply(case):
        dates = [c.accepted_on for c in case.children.all() if c.accepted_on]
        case.accepted_on = min(dates) if dates else clocks.today()
        clocks.compute_dues(case)
        return {"accepted_on": case.accepted_on, "legal_due": case.legal_due,
                "promised_due": case.promised_due, "provisional": case.due_provisional}

    return core.transition(case_id=parent_id, action="accept", event="bundle_accept",
                           actor=None, perm=None, apply=apply)


def _parent_move(parent_id: int, action: str, stamp: str | None = None) -> Case:
    def apply(case):
        if stamp:
            setattr(case, stamp, timezone.now())
        return {"parts": {c.item_id: c.state for c in case.children.all()}}

    return core.transition(case_id=parent_id, action=action, event=f"bundle_{action}",
                           actor=None, perm=None, apply=apply)


def _terminate(case_id: int, reason: str, *, parent: bool = False) -> Case:
    """End a part under the stop rule (holding the parent's lock), or the parent. Every move of
    a part locks the part, then the parent (`bundle_part_moved`): waiting here, with the parent
    held, for a part whose mover waits for the parent would deadlock, so a part is locked
    without waiting, or the whole act refused at once (`CaseBusy`)."""

    def apply(case):
        case.ended_reason = reason
        return {"reason": reason}

    return core.transition(case_id=case_id, action="terminate",
                           event="bundle_terminate" if parent else None, actor=None,
                           perm=None, note=reason, apply=apply,
                           busy=None if parent else _("该一件事的其他事项正在办理中，请稍后重试。"))


# --- the bundle's one extension -------------------------------------------------------------

def bundle_extend(*, actor, case_id: int, days: int, reason: str) -> Case:
    """Extend the bundle's legal limit once, by at most the bundle's extension (joint handling:
    45 + 15 working days, Art. 26 and 42), with the lead department approver's reason."""
    if not reason.strip():
        raise CaseInputError(_("延长期限须写明理由，并告知申请人。"))

    def apply(case):
        if not case.is_bundle_parent:
            raise CaseInputError(_("该办件不是一件事申请。"))
        if case.state != S.IN_REVIEW:
            raise IllegalTransition(case, "extend")
        if not 1 <= days <= case.bundle.legal_extension_days:
            raise CaseInputError(_("延长期限须为1至%(n)s个工作日。")
                                 % {"n": case.bundle.legal_extension_days})
        if case.extension_days:
            raise CaseInputError(_("该一件事已延长过一次期限，依法不能再次延长。"))
        case.extension_days = days
        case.extension_reason = reason.strip()
        case.extension_approved_by = actor
        clocks.compute_dues(case)
        return {"days": days, "legal_due": case.legal_due}

    return core.record(case_id=case_id, action="bundle_extend", actor=actor,
                       perm="cases.decide", note=reason, apply=apply, whole_bundle=True)

