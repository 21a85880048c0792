"""The applicant's side: start an application, fill and upload, submit, fix what was returned,
withdraw, and follow one's cases.

Every case is fetched with `case_get_for_user` (missing and forbidden are the same 404). Staff
other than help agents have their own workbench: here they get the same 404 (the list
redirects them to the workbench).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from onewindow.accounts.enums import APPLICANT_ROLES
from onewindow.cases import clocks, services, uploads
from onewindow.cases.enums import PRE_ACCEPTANCE_STATES, WITHDRAWABLE_STATES, CaseState
from onewindow.cases.errors import CaseError
from onewindow.cases.forms import (
    ApplicationForm,
    ApplyForm,
    CommitmentForm,
    UploadForm,
    WithdrawForm,
)
from onewindow.cases.selectors import case_get_for_user, visible_cases
from onewindow.cases.services import commitment, tolerance
from onewindow.cases.services.applying import case_material_upload
from onewindow.cases.services.instant import case_submit_form
from onewindow.cases.views import progress
from onewindow.catalog.selectors import item_guide_get
from onewindow.core.htmx import is_htmx
from onewindow.decisions.selectors import version_in_force

PAGE_SIZE = 20


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


def applicant_view(view):
    """Login required; staff who are not help agents get the same 404 as for a missing case."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role not in APPLICANT_ROLES:
            raise Http404(_("办件不存在。"))
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@require_safe
@login_required
def my_cases(request):
    if request.user.role not in APPLICANT_ROLES:
        return redirect("cases:workbench")
    group = request.GET.get("state", "all")
    # The parts of a bundle are shown on its page, not as cases of their own.
    cases = visible_cases(request.user).filter(parent__isnull=True) \
        .prefetch_related("documents", "pauses")
    if group in progress.STATE_GROUPS:
        cases = cases.filter(state__in=progress.STATE_GROUPS[group][1])
    else:
        group = "all"
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "cases/applicant/mine.html" + ("#case_list" if is_htmx(request) else "")
    response = render(request, template, {
        "page_obj": page, "rows": [progress.case_row(c) for c in page], "group": group,
        "groups": [("all", _("全部"))] + [(k, v[0]) for k, v in progress.STATE_GROUPS.items()],
    })
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
@applicant_view
def apply(request, item_pk: int):
    item = item_guide_get(pk=item_pk)
    form = ApplyForm(_post_or_none(request), user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create_draft(
                actor=request.user, item=item, enterprise=form.enterprise,
                idempotency_key=form.cleaned_data["idempotency_key"])
        except CaseError as err:
            return _apply_page(request, item, form, error=err.message, status=err.status)
        return redirect("cases:edit", case.pk)
    return _apply_page(request, item, form, status=422 if form.is_bound else 200)


def _apply_page(request, item, form, *, error: str = "", status: int = 200):
    drafts = visible_cases(request.user).filter(item=item, state=CaseState.DRAFT)
    return render(request, "cases/applicant/apply.html",
                  {"item": item, "form": form, "error": error, "drafts": drafts}, status=status)


@require_safe
@applicant_view
def detail(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    if case.is_bundle_parent:
        return redirect("cases:bundle_detail", pk=case.pk)
    return _detail_page(request, case)


def _detail_page(request, case, *, error: str = "", status: int = 200):
    return render(request, "cases/applicant/detail.html", {
        **_case_context(case), **tolerance_context(case), "error": error,
        "timeline": progress.public_timeline(case),
        "materials": progress.material_rows(case),
        "corrections": case.corrections.order_by("-issued_at")
        .prefetch_related("items__requirement"),
        "help_offers": case.help_offers.order_by("offered_at"),
        "public_notes": case.notes.filter(internal=False).order_by("at"),
        "applicant_days": clocks.applicant_days(case),
        "withdrawable": case.state in WITHDRAWABLE_STATES,
    }, status=status)


def _case_context(case) -> dict:
    return {"case": case, "badge": progress.state_badge(case),
            "clocks": progress.clock_rows(case), "next_step": progress.next_step(case),
            "documents": case.documents.order_by("issued_at"),
            "editable": case.state in progress.EDITABLE_STATES}


@require_http_methods(["GET", "POST"])
@applicant_view
def edit(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    if case.is_bundle_parent:
        return redirect("cases:bundle_edit", pk=case.pk)
    if case.state not in progress.EDITABLE_STATES:
        messages.info(request, _("该申请已提交，不能再修改。"))
        return redirect("cases:detail", case.pk)
    if request.method == "GET":
        return _edit_page(request, case)
    form = ApplicationForm(request.POST, draft=True, item=case.item)
    if not form.is_valid():
        return _edit_page(request, case, form=form, status=422,
                          error=_("申请表有填错的内容，请按提示修改。"))
    try:
        services.case_update_draft(actor=request.user, case_id=case.pk,
                                   form_data=form.cleaned_data)
    except CaseError as err:
        return _edit_page(request, case, form=form, error=err.message, status=err.status)
    messages.success(request, _("草稿已保存。"))
    return redirect("cases:edit", case.pk)


def _edit_page(request, case, *, form=None, error: str = "", row_errors=None,
               status: int = 200):
    form = form or ApplicationForm(initial=case.form_data, draft=True, item=case.item)
    return render(request, "cases/applicant/edit.html", {
        **_case_context(case), "form": form, "error": error,
        "correction": progress.open_correction(case),
        "materials": (rows := progress.material_rows(case, errors=row_errors)),
        "committed_any": any(row["committed"] for row in rows),
        "instant": version_in_force(case.item_id) is not None,
        "max_bytes": uploads.max_bytes(),
    }, status=status)


@require_POST
@applicant_view
def upload(request, pk: int, requirement_pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    requirement = get_object_or_404(case.item.materials, pk=requirement_pk)
    error, status = store_upload(request, requirement.name, lambda uploaded: case_material_upload(
        actor=request.user, case_id=case.pk, requirement_id=requirement.pk,
        uploaded_file=uploaded))
    if is_htmx(request):
        row = progress.material_row(case, requirement, error=error)
        return render(request, "cases/applicant/edit.html#material_row",
                      {"case": case, "row": row}, status=status)
    if error:
        return _edit_page(request, case, error=error, row_errors={requirement.pk: error},
                          status=status)
    messages.success(request, _("“%(material)s”已上传。") % {"material": requirement.name})
    return redirect(reverse("cases:edit", args=[case.pk]) + f"#material-{requirement.pk}")


def store_upload(request, material_name: str, upload) -> tuple[str, int]:
    """Run `upload(file)` (a service) on the posted file: ("", 200), or the Chinese message
    naming the material and its status."""
    form = UploadForm(request.POST, request.FILES)
    uploaded = form.cleaned_data.get("file") if form.is_valid() else None
    if not uploaded:
        return _("“%(material)s”：请选择要上传的文件。") % {"material": material_name}, 422
    try:
        upload(uploaded)
    except CaseError as err:
        return err.message, err.status
    return "", 200


@require_POST
@applicant_view
def submit(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    if case.number and case.state not in (CaseState.DRAFT, CaseState.RETURNED,
                                          CaseState.WITHDRAWN):
        # A second click, or the browser resending the form: the first went through.
        messages.info(request, _("申请已提交，办件编号 %(number)s，无需重复提交。")
                      % {"number": case.number})
        return redirect("cases:detail", case.pk)
    form = ApplicationForm(request.POST, item=case.item)
    if not form.is_valid():
        return _edit_page(request, case, form=form, status=422,
                          error=_("申请表有未填或填错的内容，请按提示修改后再提交。"))
    unfixed = ([row["requirement"].name for row in progress.material_rows(case)
                if row["asked"] and not row["fixed"]] if case.state == CaseState.RETURNED
               else [])
    try:
        # What was typed is saved first, so that a refused submission keeps it in the draft;
        # 秒批: an item with a published decision table may be decided at once.
        case = case_submit_form(actor=request.user, case_id=case.pk,
                                form_data=form.cleaned_data)
    except CaseError as err:
        return _edit_page(request, case, form=form, error=err.message, status=err.status)
    if case.state == CaseState.COMPLETED:  # 秒批: decided by the item's table at once
        messages.success(request, _("申请已秒批办结。办件编号 %(number)s，查询码 %(code)s，"
                                    "请下载证照。") % {"number": case.number,
                                                     "code": case.query_code})
    else:
        messages.success(request, _("申请已提交。办件编号 %(number)s，查询码 %(code)s，"
                                    "请妥善保存。") % {"number": case.number,
                                                     "code": case.query_code})
    if unfixed:  # the applicant may have answered otherwise; the window checks again
        messages.warning(request, _("以下要求补正的材料没有重新上传：%(names)s。窗口将据此继续"
                                    "预审，如仍不符合要求会再次告知。")
                         % {"names": "、".join(unfixed)})
    return redirect("cases:detail", case.pk)


@require_http_methods(["GET", "POST"])
@applicant_view
def withdraw(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    form = WithdrawForm(_post_or_none(request))
    context = {"case": case, "form": form, "withdrawable": case.state in WITHDRAWABLE_STATES}
    if request.method == "POST" and form.is_valid():
        try:
            services.case_withdraw(actor=request.user, case_id=case.pk,
                                   reason=form.cleaned_data["reason"])
        except CaseError as err:
            return render(request, "cases/applicant/withdraw.html",
                          {**context, "error": err.message}, status=err.status)
        messages.success(request, _("草稿已放弃。") if case.state == CaseState.DRAFT
                         else _("申请已撤回。"))
        return redirect("cases:detail", case.pk)
    return render(request, "cases/applicant/withdraw.html", context)


# --- 容缺受理 and 告知承诺 -----------------------------------------------------------------------
def tolerance_context(case) -> dict:
    """What the case page shows of tolerance and commitment: the pledge to sign before
    acceptance, the materials owed with their clocks, the commitment and its check."""
    may_pledge = (case.state in PRE_ACCEPTANCE_STATES and not case.tolerance_pledges.exists()
                  and bool(tolerance.tolerable_requirements(case.item)))
    return {
        "pledge_offer": tolerance.pledge_text(case) if may_pledge else "",
        "pledges": case.tolerance_pledges.all(),
        "tolerated": case.tolerated_materials.select_related("requirement"),
        "signed_commitment": commitment.commitment_of(case),
        "verification_tasks": case.verification_tasks.all(),
        "commitment_offer": bool(commitment.replaceable_requirements(case.item))
        and case.state in commitment.SIGNABLE_STATES,
    }


@require_POST
@applicant_view
def tolerance_pledge(request, pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    try:
        tolerance.tolerance_pledge_sign(actor=request.user, case_id=case.pk)
    except CaseError as err:
        return _detail_page(request, case, error=err.message, status=err.status)
    messages.success(request, _("容缺受理承诺书已签署，窗口将据此办理容缺受理。"))
    return redirect("cases:detail", case.pk)


@require_POST
@applicant_view
def tolerance_upload(request, pk: int, requirement_pk: int):
    case = case_get_for_user(user=request.user, pk=pk)
    form = UploadForm(request.POST, request.FILES)
    uploaded = form.cleaned_data.get("file") if form.is_valid() else None
    if not uploaded:
        return _detail_page(request, case, error=_("请选择要补交的文件。"), status=422)
    try:
        owed = tolerance.case_tolerated_material_upload(
            actor=request.user, case_id=case.pk, requirement_id=requirement_pk,
            uploaded_file=uploaded)
    except CaseError as err:
        return _detail_page(request, case, error=err.message, status=err.status)
    messages.success(request, _("“%(material)s”已补交。") % {"material": owed.requirement.name})
    return redirect(reverse("cases:detail", args=[case.pk]) + "#tolerance-title")


@require_http_methods(["GET", "POST"])
@applicant_view
def commitment_sign(request, pk: int):
    """The 告知承诺书: what it replaces and what the applicant promises; signed once."""
    case = case_get_for_user(user=request.user, pk=pk)
    replaceable = commitment.replaceable_requirements(case.item)
    form = CommitmentForm(_post_or_none(request), requirements=replaceable)
    context = {"case": case, "form": form, "replaceable": replaceable,
               "signed": commitment.commitment_of(case),
               "signable": bool(replaceable) and case.state in commitment.SIGNABLE_STATES,
               "text": commitment.commitment_text(case, replaceable) if replaceable else "",
               "verification_days": commitment.verification_days()}
    if request.method == "POST" and form.is_valid():
        try:
            commitment.case_commitment_sign(actor=request.user, case_id=case.pk,
                                            requirement_ids=form.cleaned_data["replaced"])
        except CaseError as err:
            return render(request, "cases/applicant/commitment.html",
                          {**context, "error": err.message}, status=err.status)
        messages.success(request, _("告知承诺书已签署，以承诺代替的材料无需再上传。"))
        return redirect("cases:edit", case.pk)
    return render(request, "cases/applicant/commitment.html", context,
                  status=422 if form.is_bound else 200)

