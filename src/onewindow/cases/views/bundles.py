"""Bundles (一件事) for the applicant — start, fill the one form, upload each document once,
submit, follow the parts — and the parent's read-only summary for staff.

Every case is fetched with `bundle_parent_get_for_user` (`case_get_for_user` underneath):
missing and forbidden are the same 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from onewindow.audit.selectors import events_for
from onewindow.cases import clocks, uploads
from onewindow.cases import selectors_staff as staff_pages
from onewindow.cases.enums import CaseState
from onewindow.cases.errors import CaseError
from onewindow.cases.forms_bundles import BundleApplicationForm, BundleStartForm
from onewindow.cases.selectors_bundles import (
    bundle_children,
    bundle_drafts,
    bundle_entries,
    bundle_parent_get_for_user,
    parent_form_spec,
    refusal,
    upload_versions,
)
from onewindow.cases.services import bundles as services
from onewindow.cases.views import progress
from onewindow.cases.views.applicant import applicant_view, store_upload
from onewindow.catalog.selectors import bundle_get
from onewindow.core.htmx import is_htmx

S = CaseState
PUBLIC_EVENTS = {
    "case_create": gettext_lazy("创建申请草稿"),
    "case_material_upload": gettext_lazy("上传材料"),
    "case_bundle_submit": gettext_lazy("一表提交，各事项同时分送各部门"),
    "case_bundle_accept": gettext_lazy("首个事项受理，开始计时"),
    "case_bundle_start_review": gettext_lazy("各部门并联审查"),
    "case_bundle_decide": gettext_lazy("各事项均已作出决定"),
    "case_bundle_complete": gettext_lazy("全部办结"),
    "case_bundle_deliver": gettext_lazy("全部送达"),
    "case_bundle_terminate": gettext_lazy("终止办理"),
    "case_bundle_extend": gettext_lazy("依法延长办理期限"),
    "case_bundle_clock_paused": gettext_lazy("未办结事项均在等待补正或特别程序，时限暂停计算"),
    "case_bundle_clock_resumed": gettext_lazy("事项回到部门办理，时限恢复计算"),
    "case_bundle_clock_pause_ended": gettext_lazy("时限暂停结束"),
}


# --- applying ----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@applicant_view
def apply(request, code: str):
    bundle = bundle_get(code=code)
    entries = bundle_entries(bundle)
    form = BundleStartForm(request.POST if request.method == "POST" else None,
                           user=request.user, entries=entries)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            parent = services.bundle_create_draft(
                actor=request.user, bundle=bundle, enterprise=form.enterprise,
                idempotency_key=form.cleaned_data["idempotency_key"])
        except CaseError as err:
            error = err.message
        else:
            return redirect("cases:bundle_edit", parent.pk)
    status = 200 if request.method == "GET" else 422
    return render(request, "cases/bundles/apply.html", {
        "bundle": bundle, "entries": entries, "form": form, "error": error,
        "drafts": bundle_drafts(request.user, bundle)}, status=status)


@require_http_methods(["GET", "POST"])
@applicant_view
def edit(request, pk: int):
    parent = bundle_parent_get_for_user(user=request.user, pk=pk)
    if parent.state != S.DRAFT:
        messages.info(request, _("该申请已提交，不能再修改。"))
        return redirect("cases:bundle_detail", parent.pk)
    if request.method == "GET":
        return _edit_page(request, parent)
    spec = parent_form_spec(parent)
    form = BundleApplicationForm(request.POST, spec=spec, draft=True)
    if not form.is_valid():
        return _edit_page(request, parent, form=form, status=422,
                          error=_("申请表有填错的内容，请按提示修改。"))
    try:
        services.bundle_update_draft(actor=request.user, case_id=parent.pk,
                                     form_data=form.cleaned_data)
    except CaseError as err:
        return _edit_page(request, parent, form=form, error=err.message, status=err.status)
    messages.success(request, _("草稿已保存。"))
    return redirect("cases:bundle_edit", parent.pk)


def _edit_page(request, parent, *, form=None, error: str = "", row_errors=None,
               status: int = 200):
    spec = parent_form_spec(parent)
    form = form or BundleApplicationForm(initial=parent.form_data, spec=spec, draft=True)
    return render(request, "cases/bundles/edit.html", {
        "case": parent, "bundle": parent.bundle, "spec": spec, "form": form, "error": error,
        "materials": material_rows(parent, spec, errors=row_errors),
        "max_bytes": uploads.max_bytes(),
    }, status=status)


def material_rows(parent, spec, *, errors: dict | None = None) -> list[dict]:
    """One row per document the applicant uploads: its current file and earlier versions."""
    errors = errors or {}
    versions = upload_versions(parent)
    rows = []
    for slot in spec.asked:
        found = versions.get(slot.key, [])
        current = next((v for v in found if v.superseded_at is None), None)
        rows.append({"slot": slot, "current": current,
                     "earlier": [v for v in found if v is not current],
                     "error": errors.get(slot.key, ""), "types": uploads.allowed_types_text(slot),
                     "accept": uploads.accept_attribute(slot),
                     "editable": parent.state == S.DRAFT})
    return rows


@require_POST
@applicant_view
def upload(request, pk: int, requirement_pk: int):
    parent = bundle_parent_get_for_user(user=request.user, pk=pk)
    spec = parent_form_spec(parent)
    slot = spec.slot(requirement_pk)
    if slot is None or not slot.asked:
        raise Http404(_("该材料不属于本次申请。"))
    error, status = store_upload(request, slot.name, lambda uploaded: (
        services.bundle_material_upload(actor=request.user, case_id=parent.pk,
                                        requirement_id=slot.key, uploaded_file=uploaded)))
    if is_htmx(request):
        row = next(r for r in material_rows(parent, spec, errors={slot.key: error})
                   if r["slot"].key == slot.key)
        return render(request, "cases/bundles/edit.html#material_row",
                      {"case": parent, "row": row}, status=status)
    if error:
        return _edit_page(request, parent, error=error, row_errors={slot.key: error},
                          status=status)
    messages.success(request, _("“%(material)s”已上传。") % {"material": slot.name})
    return redirect(reverse("cases:bundle_edit", args=[parent.pk]) + f"#material-{slot.key}")


@require_POST
@applicant_view
def submit(request, pk: int):
    parent = bundle_parent_get_for_user(user=request.user, pk=pk)
    if parent.state != S.DRAFT:  # a second click: the first submission stands
        return redirect("cases:bundle_detail", parent.pk)
    form = BundleApplicationForm(request.POST, spec=parent_form_spec(parent))
    if not form.is_valid():
        return _edit_page(request, parent, form=form, status=422,
                          error=_("申请表有未填或填错的内容，请按提示修改后再提交。"))
    try:
        # Save what was typed first, so that a refused submission keeps it in the draft.
        services.bundle_update_draft(actor=request.user, case_id=parent.pk,
                                     form_data=form.cleaned_data)
        parent = services.bundle_submit(
            actor=request.user, bundle=parent.bundle, enterprise=parent.enterprise,
            form_data=form.cleaned_data, idempotency_key=parent.idempotency_key)
    except CaseError as err:
        return _edit_page(request, parent, form=form, error=err.message, status=err.status)
    messages.success(request, _("申请已提交，各事项已同时分送各部门办理。办件编号 %(number)s，"
                                "查询码 %(code)s，请妥善保存。")
                     % {"number": parent.number, "code": parent.query_code})
    return redirect("cases:bundle_detail", parent.pk)


# --- following it -----------------------------------------------------------------------------

@require_safe
@applicant_view
def detail(request, pk: int):
    parent = bundle_parent_get_for_user(user=request.user, pk=pk)
    if parent.state == S.DRAFT:
        return redirect("cases:bundle_edit", parent.pk)
    return render(request, "cases/bundles/detail.html", _parent_context(parent))


def _parent_context(parent) -> dict:
    prefetch_related_objects([parent], "pauses")  # read by the clocks and the next step: once
    spec = parent_form_spec(parent)
    return {
        "case": parent, "bundle": parent.bundle, "badge": progress.state_badge(parent),
        "clocks": progress.clock_rows(parent), "next_step": progress.next_step(parent),
        "parts": part_rows(parent), "spec": spec, "materials": material_rows(parent, spec),
        "timeline": public_timeline(parent),
    }


def part_rows(parent) -> list[dict]:
    """One row per part: its item, department, state, clock, documents and any refusal."""
    return [{"case": child, "badge": progress.state_badge(child),
             "clocks": progress.clock_rows(child), "documents": list(child.documents.all()),
             "refusal": refusal(child), "editable": child.state in progress.EDITABLE_STATES}
            for child in bundle_children(parent)]


def public_timeline(parent) -> list[dict]:
    rows = []
    for event in events_for(parent):
        label = PUBLIC_EVENTS.get(event.action)
        if label is not None:
            detail = (event.new_value or {}).get("material", "") \
                if event.action == "case_material_upload" else ""
            rows.append({"at": event.at, "label": label, "detail": detail})
    return rows


# --- staff: the parent as a read-only summary -------------------------------------------------

@login_required
@require_safe
def staff_detail(request, pk: int):
    user = request.user
    if user.role not in staff_pages.CASE_PAGE_ROLES:
        raise Http404(_("办件不存在。"))
    parent = bundle_parent_get_for_user(user=user, pk=pk)
    if parent.state == S.DRAFT or not user.has_perm("cases.see_internal", parent):
        raise Http404(_("办件不存在。"))
    parts = part_rows(parent)
    for row in parts:
        row["may_open"] = user.has_perm("cases.see_internal", row["case"])
    return render(request, "cases/bundles/staff_detail.html", {
        "case": parent, "bundle": parent.bundle, "clocks": clocks.clocks(parent),
        "parts": parts, "timeline": staff_pages.timeline(parent)})
