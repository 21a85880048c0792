"""What an applicant, or anyone holding the query code, sees of a case: the next step, the
clocks in words, the public timeline, the materials with their earlier versions.

Reads only. Internal notes and the departments' review opinions are never read here: the
timeline is built from a list of public events and shows no event's note.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onewindow.audit.selectors import events_for
from onewindow.cases import clocks, uploads
from onewindow.cases.enums import (
    CLOSED_STATES,
    OPEN_STATES,
    CaseState,
    ClockColour,
    Decision,
    DocumentKind,
)
from onewindow.cases.selectors_bundles import case_display_name, provided_materials
from onewindow.cases.services.commitment import materials_covered_by_commitment

S = CaseState
# Ended, one way or another: each case is under 进行中 or under 已办结.
DONE_STATES = CLOSED_STATES | {S.COMPLETED}
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
STATE_GROUPS = {
    "open": (_("进行中"), OPEN_STATES - DONE_STATES),
    "done": (_("已办结"), DONE_STATES),
    "draft": (_("草稿"), frozenset({S.DRAFT})),
}

NEXT_STEPS = {
    S.DRAFT: _("请填写申请表、上传材料后提交"),
    S.SUBMITTED: _("等待窗口预审"),
    S.PRE_REVIEW: _("窗口正在预审，请保持电话畅通"),
    S.RETURNED: _("请补正材料后重新提交"),
    S.NOT_ACCEPTED: _("不予受理，请查看不予受理通知书"),
    S.ACCEPTED: _("已受理，等待部门审查"),
    S.ACCEPTED_WITH_TOLERANCE: _("已容缺受理，请按承诺期限补交材料"),
    S.IN_REVIEW: _("部门审查中，请留意办理进度"),
    S.SUSPENDED: _("特别程序中，所需时间不计入办理时限"),
    S.DECIDED: _("已作出决定，等待办结"),
    S.COMPLETED: _("已办结，等待送达"),
    S.DELIVERED: _("已送达"),
    S.WITHDRAWN: _("申请已撤回"),
    S.TERMINATED: _("已终止办理，请查看终止原因"),
    S.REVOKED: _("许可决定已撤销，请查看撤销原因"),
}
STATE_BADGES = {
    S.RETURNED: "badge-warn", S.SUSPENDED: "badge-warn", S.NOT_ACCEPTED: "badge-bad",
    S.ACCEPTED: "badge-ok", S.ACCEPTED_WITH_TOLERANCE: "badge-ok", S.COMPLETED: "badge-ok",
    S.DELIVERED: "badge-ok",
}
CLOCK_LABELS = {"pre_review": _("预审时限"), "legal": _("法定时限"), "promised": _("承诺时限")}
COLOUR_BADGES = {ClockColour.GREEN: "badge-ok", ClockColour.YELLOW: "badge-warn",
                 ClockColour.RED: "badge-bad"}
# Audit actions an applicant may see, by what they are called. Everything else (review
# opinions, notes, claims by name) stays inside; no event's note is ever shown.
PUBLIC_EVENTS = {
    "case_create": _("创建申请草稿"),
    "case_material_upload": _("上传材料"),
    "case_material_provided": _("本一件事其他事项办出的证照作为材料提供"),
    "case_submit": _("提交申请"),
    "case_start_pre_review": _("窗口开始预审"),
    "case_return_for_correction": _("退回补正（一次性告知）"),
    "case_not_accept": _("不予受理"),
    "case_accept": _("受理"),
    "case_deem_accepted": _("预审逾期，依法视为受理"),
    "case_start_review": _("部门开始审查"),
    "case_suspend": _("进入特别程序（不计时）"),
    "case_resume": _("恢复审查"),
    "case_extend": _("依法延长办理期限"),
    "case_decide": _("作出决定"),
    "case_complete": _("办结"),
    "case_deliver": _("送达"),
    "case_withdraw": _("撤回申请"),
    "case_tolerance_pledge": _("签署容缺受理承诺"),
    "case_accept_with_tolerance": _("容缺受理"),
    "case_tolerance_material_received": _("补交容缺材料"),
    "case_tolerance_lapsed": _("容缺材料逾期未补交，终止办理"),
    "case_tolerance_lapsed_revoke": _("容缺材料逾期未补交，撤销许可决定"),
    "case_commitment_sign": _("签署告知承诺书"),
    "case_verification_passed": _("告知承诺核查属实"),
    "case_verification_failed": _("告知承诺核查不实，撤销许可决定"),
}


def has_certificate(case) -> bool:
    return any(d.kind == DocumentKind.CERTIFICATE and d.revoked_at is None
               for d in case.documents.all())


# 一件事: what the applicant of a bundle does next, as one thing.
BUNDLE_NEXT_STEPS = {
    S.DRAFT: _("请填写申请表、上传材料后提交"),
    S.SUBMITTED: _("各部门正在预审；任一事项受理后，开始计算本一件事的办理时限"),
    S.PRE_REVIEW: _("各部门正在预审；任一事项受理后，开始计算本一件事的办理时限"),
    S.ACCEPTED: _("各部门并联审查中，请留意各事项的办理进度"),
    S.IN_REVIEW: _("各部门并联审查中，请留意各事项的办理进度"),
    S.DECIDED: _("各事项均已作出决定，等待办结"),
    S.COMPLETED: _("各事项均已办结，等待送达"),
    S.DELIVERED: _("各事项均已办结并送达"),
    S.TERMINATED: _("本一件事已终止办理，原因见下"),
    S.WITHDRAWN: _("申请已撤回"),
}

# A bundle (一件事) whose open parts all wait: the applicant has corrections to make.
BUNDLE_WAITING_STEP = _("未办结的事项均在等待您补正（或处于特别程序中），本一件事的时限暂停计算；"
                        "请在一件事页面查看需要补正的事项")


def next_step(case) -> str:
    if case.is_bundle_parent:
        if case.state == S.IN_REVIEW and clocks.open_pause(case) is not None:
            return str(BUNDLE_WAITING_STEP)
        return str(BUNDLE_NEXT_STEPS.get(case.state, ""))
    if case.state in (S.DECIDED, S.COMPLETED, S.DELIVERED):
        if has_certificate(case):
            return str(_("可下载证照"))
        if case.decision == Decision.DENIED:
            return str(_("不予许可，请查看决定书中的理由和救济途径"))
    return str(NEXT_STEPS[case.state])


def state_badge(case) -> str:
    if case.state == S.DECIDED:
        return "badge-bad" if case.decision == Decision.DENIED else "badge-ok"
    return STATE_BADGES.get(case.state, "")


def clock_rows(case) -> list[dict]:
    return [{"label": CLOCK_LABELS[c.name], "clock": c, "badge": COLOUR_BADGES.get(c.colour, ""),
             "colour": ClockColour(c.colour).label, "overdue": c.colour == ClockColour.RED}
            for c in clocks.clocks(case)]


def case_row(case) -> dict:
    """One line of the applicant's list. Expects `documents` and `pauses` prefetched."""
    return {"case": case, "name": case_display_name(case), "badge": state_badge(case),
            "clocks": clock_rows(case),
            "next_step": next_step(case), "documents": list(case.documents.all()),
            "editable": case.state in EDITABLE_STATES}


def public_timeline(case) -> list[dict]:
    rows = []
    for event in events_for(case):
        label = PUBLIC_EVENTS.get(event.action)
        if label is None:
            continue
        detail = ""
        if event.action in ("case_material_upload", "case_material_provided"):
            detail = (event.new_value or {}).get("material", "")
        rows.append({"at": event.at, "label": label, "detail": detail})
    return rows


def open_correction(case):
    """The correction notice the applicant has yet to answer, with its items, or None."""
    if case.state != S.RETURNED:
        return None
    return (case.corrections.filter(resolved_at__isnull=True).order_by("-issued_at")
            .prefetch_related("items__requirement").first())


def material_rows(case, *, errors: dict | None = None) -> list[dict]:
    """One row per material of the item: its current upload, earlier versions, what the open
    correction notice asks about it, and an error from a refused upload."""
    errors = errors or {}
    uploads_by_req: dict[int, list] = {}
    for material in case.materials.order_by("-uploaded_at", "-id"):
        uploads_by_req.setdefault(material.requirement_id, []).append(material)
    correction = open_correction(case)
    asked = {i.requirement_id: i.reason for i in correction.items.all()} if correction else {}
    provided = provided_materials(case)
    committed = materials_covered_by_commitment(case)  # 告知承诺: signed instead of submitted
    return [_row(case, req, uploads_by_req.get(req.pk, []), asked.get(req.pk, ""),
                 correction, errors.get(req.pk, ""))
            | {"provided": provided.get(req.pk), "committed": req.pk in committed}
            for req in case.item.materials.all()]


def material_row(case, requirement, *, error: str = "") -> dict:
    return next(r for r in material_rows(case, errors={requirement.pk: error})
                if r["requirement"].pk == requirement.pk)


def _row(case, requirement, versions, asked, correction, error) -> dict:
    current = next((v for v in versions if v.superseded_at is None), None)
    fixed = bool(asked and current and current.uploaded_at > correction.issued_at)
    return {"requirement": requirement, "current": current,
            "earlier": [v for v in versions if v is not current], "asked": asked,
            "fixed": fixed, "error": error, "types": uploads.allowed_types_text(requirement),
            "accept": uploads.accept_attribute(requirement),
            "editable": case.state in EDITABLE_STATES}


def mask_name(name: str) -> str:
    """An enterprise name for the public tracking page: enough to recognise, not to read."""
    if len(name) <= 4:
        return name[:1] + "*" * (len(name) - 1)
    return name[:2] + "****" + name[-4:]
