"""The request pages: file, follow, handle, measure. Thin: a form, one service, a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.complaints import forms, selectors, services
from onewindow.complaints.enums import ANSWERED_STATES, Channel, RequestState
from onewindow.complaints.errors import ComplaintError
from onewindow.complaints.metrics import request_metrics
from onewindow.complaints.rules import is_department_staff, is_dispatcher
from onewindow.core.htmx import is_htmx
from onewindow.feedback.selectors import rating_of
from onewindow.feedback.services.ratings import rate_url

PAGE_SIZE = 30


# --- the requester ------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    form = forms.FileForm(request.POST or None, user=user)
    if not form.is_valid():
        return render(request, "complaints/new.html", {"form": form},
                      status=422 if form.is_bound else 200)
    data = dict(form.cleaned_data)
    rating = data.pop("rating", None)
    data["rating_id"] = rating.pk if rating else None
    channel = Channel.PHONE if user.is_authenticated and user.is_staff_role else Channel.WEB
    if user.is_authenticated and channel == Channel.WEB:
        data["contact_name"] = data["contact_name"] or user.get_full_name()
        data["contact_phone"] = data["contact_phone"] or user.phone
    try:
        filed = services.request_file(actor=user, channel=channel, **data)
    except ComplaintError as err:
        form.add_error(None, err.message)
        return render(request, "complaints/new.html", {"form": form}, status=err.status)
    if user.is_authenticated and channel == Channel.WEB:
        messages.success(request, _("诉求已提交，编号 %(number)s。") % {"number": filed.number})
        return redirect("complaints:detail", pk=filed.pk)
    return render(request, "complaints/filed.html", {"filed": filed})


@require_http_methods(["GET", "POST"])
def track(request):
    # POST keeps the query code out of addresses and logs.
    form = forms.TrackForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "complaints/track.html", {"form": form},
                      status=422 if form.is_bound else 200)
    try:
        found = selectors.request_get_by_query_code(**form.cleaned_data)
    except Http404:
        return render(request, "complaints/track.html", {
            "form": form, "error": _("诉求编号或查询码不正确，请核对后重新输入。")}, status=404)
    return render(request, "complaints/track.html", {
        "form": form, "req": found, "notes": selectors.progress_of(found, internal=False)})


@login_required
def mine(request):
    user = request.user
    rows = selectors.visible_requests(user).filter(Q(requester=user) | Q(filed_by=user))
    page = Paginator(rows.order_by("-filed_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/mine.html", {"page_obj": page})


@login_required
def detail(request, pk: int, *, error: str = "", status: int = 200):
    req = selectors.request_get_for_user(user=request.user, pk=pk)
    return render(request, "complaints/detail.html", _detail_context(request, req, error),
                  status=status)


def _detail_context(request, req, error) -> dict:
    user = request.user
    internal = user.has_perm("complaints.see_internal", req)
    own = user.has_perm("complaints.requester", req)
    rating = rating_of(subject=req, rater=user) if own else None
    return {
        "req": req, "error": error, "internal": internal, "own": own, "rating": rating,
        "notes": selectors.progress_of(req, internal=internal),
        "assignments": selectors.assignments_of(req) if internal else [],
        "mine": selectors.my_assignment(req, user),
        "extension": selectors.pending_extension(req) if internal else None,
        "can_dispatch": user.has_perm("complaints.dispatch", req),
        "is_lead": user.has_perm("complaints.lead", req),
        "can_withdraw": user.has_perm("complaints.withdraw", req) and req.state in (
            RequestState.SUBMITTED, RequestState.DISPATCHED, RequestState.RETURNED),
        "can_rate": own and req.state in ANSWERED_STATES,
        "rate_url": rate_url("request", req.pk) if own else "",
        "dispatch_form": forms.DispatchForm(initial={
            "lead": req.lead_department_id or req.category.default_department_id}),
        "extension_form": forms.ExtensionForm(initial={"unit": "working_days"}),
        "decide_form": forms.DecideForm(), "text_form": forms.TextForm(),
    }


# --- actions ------------------------------------------------------------------------------------
def _text(request) -> str:
    return request.POST.get("text", "")


def _dispatch(request, pk):
    form = forms.DispatchForm(request.POST)
    if not form.is_valid():
        raise ComplaintError(_("请选择主办部门。"))
    return services.request_dispatch(actor=request.user, request_id=pk, **form.cleaned_data)


def _extension(request, pk):
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        raise ComplaintError(_("请填写延长时长（1–60）、单位和理由。"))
    return services.extension_request(actor=request.user, request_id=pk, **form.cleaned_data)


def _decide(request, pk):
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        raise ComplaintError(_("请选择是否批准。"))
    return services.extension_decide(actor=request.user, request_id=pk, **form.cleaned_data)


ACTIONS = {
    "dispatch": _dispatch,
    "accept": lambda r, pk: services.request_accept(actor=r.user, request_id=pk),
    "answer": lambda r, pk: services.request_answer(actor=r.user, request_id=pk, text=_text(r)),
    "send-back": lambda r, pk: services.request_send_back(actor=r.user, request_id=pk,
                                                          reason=_text(r)),
    "nudge": lambda r, pk: services.request_nudge(actor=r.user, request_id=pk, text=_text(r)),
    "extension": _extension,
    "extension-decide": _decide,
    "dismiss": lambda r, pk: services.request_dismiss(actor=r.user, request_id=pk,
                                                      reason=_text(r)),
    "withdraw": lambda r, pk: services.request_withdraw(actor=r.user, request_id=pk,
                                                        reason=_text(r)),
    "reopen": lambda r, pk: services.request_reopen(actor=r.user, request_id=pk,
                                                    reason=_text(r)),
    "close": lambda r, pk: services.request_close(actor=r.user, request_id=pk),
}
DONE = {"dispatch": _("已派单。"), "accept": _("已签收。"), "answer": _("已提交答复。"),
        "send-back": _("已退回。"), "nudge": _("已催办。"), "extension": _("延期申请已提交。"),
        "extension-decide": _("已审批。"), "dismiss": _("已作不予受理处理。"),
        "withdraw": _("诉求已撤回。"), "reopen": _("已申请重新办理。"), "close": _("诉求已办结。")}


@login_required
@require_POST
def act(request, pk: int, action: str):
    selectors.request_get_for_user(user=request.user, pk=pk)  # 404 for what one may not see
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request, pk)
    except ComplaintError as err:
        return detail(request, pk, error=err.message, status=err.status)
    messages.success(request, _(DONE[action]))
    return redirect("complaints:detail", pk=pk)


# --- workbenches and metrics --------------------------------------------------------------------
@login_required
def dispatch_workbench(request):
    if not is_dispatcher(request.user):
        raise PermissionDenied
    form = forms.DispatcherFilterForm(request.GET or None)
    filters = _filters(form)
    department = filters.pop("department", None)
    rows = selectors.dispatcher_queue(department=department.pk if department else None,
                                      **filters)
    return _queue(request, form, rows, kind="dispatcher")


@login_required
def department_workbench(request):
    if not is_department_staff(request.user):
        raise PermissionDenied
    form = forms.QueueFilterForm(request.GET or None)
    rows = selectors.department_queue(request.user, **_filters(form))
    return _queue(request, form, rows, kind="department")


def _filters(form) -> dict:
    if not form.is_bound or not form.is_valid():
        return {}
    data = dict(form.cleaned_data)
    data["category"] = data["category"].pk if data.get("category") else None
    return data


def _queue(request, form, rows, *, kind):
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "kind": kind}
    template = "complaints/workbench.html"
    if is_htmx(request):
        template += "#queue"
    return render(request, template, context)


@login_required
def metrics(request):
    if not request.user.has_perm("complaints.view_metrics"):
        raise PermissionDenied
    form = forms.MetricsFilterForm(request.GET or None)
    period = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(request, "complaints/metrics.html", {
        "form": form, **request_metrics(start=period.get("start"), end=period.get("end"))})
