"""Pages: rate, my ratings, the department's rectification queue, the supervisor's review,
one rectification task, the benchmark-window ranking, the survey import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from onewindow.core.htmx import is_htmx
from onewindow.feedback import conf, selectors, services, subjects, workbook
from onewindow.feedback.enums import DEPARTMENT_STATES, Level, RectificationState
from onewindow.feedback.errors import FeedbackError, SurveyImportError
from onewindow.feedback.forms import (
    AppealDecisionForm,
    CallForm,
    RatingForm,
    ReasonForm,
    ReportForm,
    SurveyImportForm,
)
from onewindow.feedback.ranking import WEIGHTS, monthly_ranking
from onewindow.feedback.selectors import DEPARTMENT_ROLES, SUPERVISING_ROLES

R = RectificationState


# --- rating -------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@login_required
def rate(request, kind: str, object_id: int):
    subject = subjects.resolve(kind, request.user, object_id)
    if subject is None:
        raise Http404(_("没有可评价的事项。"))
    rating = selectors.rating_of(subject=subject.obj, rater=request.user)
    form, error, status, saved = _rate_form(request, rating), "", 200, False
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.rating_submit(
                actor=request.user, subject=subject, kind=kind, channel="web",
                level=form.cleaned_data["level"], comment=form.cleaned_data["comment"])
            saved = True
        except FeedbackError as exc:
            error, status = exc.message, exc.status
    elif request.method == "POST":
        status = 422
    if saved and not is_htmx(request):
        messages.success(request, _("感谢您的评价。"))
        return redirect(request.path)
    template = "feedback/rate.html" + ("#rate_form" if is_htmx(request) else "")
    return render(request, template, {
        "subject": subject, "rating": rating, "form": form, "error": error, "saved": saved,
        "levels": Level.choices, "changeable_until": _changeable_until(rating),
    }, status=status)


def _rate_form(request, rating):
    if request.method == "POST":
        return RatingForm(request.POST)
    initial = {"level": rating.level, "comment": rating.comment} if rating else None
    return RatingForm(initial=initial)


def _changeable_until(rating) -> dt.datetime | None:
    if rating is None:
        return None
    until = rating.created_at + dt.timedelta(days=conf.rating_change_days())
    return until if until > timezone.now() else None


@require_safe
@login_required
def my_ratings(request):
    return render(request, "feedback/mine.html", {
        "ratings": selectors.ratings_of_user(request.user)[:200],
        "pending": selectors.pending_invitations(request.user)[:50]})


# --- rectification ------------------------------------------------------------------------
@require_safe
@login_required
def rectification_queue(request):
    if request.user.role in SUPERVISING_ROLES:
        return redirect("feedback:review")
    if request.user.role not in DEPARTMENT_ROLES or not request.user.department_id:
        raise Http404(_("整改任务不存在。"))
    return render(request, "feedback/queue.html", {
        "tasks": selectors.department_queue(request.user), "today": timezone.localdate()})


@require_safe
@login_required
def review_queue(request):
    if request.user.role not in SUPERVISING_ROLES:
        raise Http404(_("整改任务不存在。"))
    return render(request, "feedback/review.html", {
        "tasks": selectors.review_queue(), "overdue": selectors.overdue_rectifications(),
        "today": timezone.localdate()})


@require_safe
@login_required
def rectification_detail(request, pk: int):
    task = selectors.rectification_get_for_user(user=request.user, pk=pk)
    return _detail(request, task)


def _detail(request, task, *, forms=None, error="", status=200):
    user = request.user
    forms = forms or {}
    works = user.has_perm("feedback.work_rectification", task) and \
        task.state in DEPARTMENT_STATES
    reviews = user.has_perm("feedback.review_rectification", task)
    return render(request, "feedback/rectification.html", {
        "task": task, "rating": task.rating, "calls": task.calls.select_related("called_by"),
        "error": error, "today": timezone.localdate(),
        "call_form": forms.get("record_call") or (CallForm() if works else None),
        "report_form": forms.get("report") or (ReportForm() if works else None),
        "review_form": forms.get("return") or (
            ReasonForm() if reviews and task.state == R.SUBMITTED else None),
        "appeal_form": forms.get("appeal") or (
            ReasonForm() if user.has_perm("feedback.appeal_rectification", task)
            and task.state == R.ACCEPTED and task.appealed_at is None else None),
        "decide_form": forms.get("decide_appeal") or (
            AppealDecisionForm() if reviews and task.state == R.APPEALED else None),
    }, status=status)


ACTIONS = {
    "record_call": (CallForm, lambda user, pk, d: services.rectification_record_call(
        actor=user, task_id=pk, called_at=d["called_at"], outcome=d["outcome"], note=d["note"]),
        _lazy("回访记录已保存。")),
    "report": (ReportForm, lambda user, pk, d: services.rectification_submit_report(
        actor=user, task_id=pk, report=d["report"]), _lazy("整改报告已提交，等待督查审核。")),
    "accept": (None, lambda user, pk, d: services.rectification_accept(actor=user, task_id=pk),
               _lazy("已确认整改通过，评价人将收到整改结果。")),
    "return": (ReasonForm, lambda user, pk, d: services.rectification_return(
        actor=user, task_id=pk, reason=d["reason"]), _lazy("已退回责任部门重新整改。")),
    "appeal": (ReasonForm, lambda user, pk, d: services.rectification_appeal(
        actor=user, task_id=pk, reason=d["reason"]), _lazy("申诉已提交，督查人员将处理。")),
    "decide_appeal": (AppealDecisionForm, lambda user, pk, d: services.rectification_decide_appeal(
        actor=user, task_id=pk, upheld=d["upheld"], decision=d["decision"]),
        _lazy("申诉处理意见已保存。")),
}


@require_POST
@login_required
def rectification_act(request, pk: int, action: str):
    task = selectors.rectification_get_for_user(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise Http404(_("没有这项操作。"))
    form_class, call, done = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, task, forms={action: form}, status=422)
    try:
        call(request.user, task.pk, form.cleaned_data if form else {})
    except FeedbackError as exc:
        task = selectors.rectification_get_for_user(user=request.user, pk=pk)
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        return _detail(request, task, forms={action: form} if form else None,
                       error=exc.message, status=exc.status)
    messages.success(request, done)
    return redirect("feedback:rectification", pk=pk)


# --- benchmark windows and surveys ----------------------------------------------------------
@require_safe
def ranking(request):
    month = _month(request.GET.get("month", ""))
    result = monthly_ranking(month)
    staff = request.user.is_authenticated and request.user.is_staff_role
    return render(request, "feedback/ranking.html", {
        "ranking": result, "month": month, "staff": staff,
        "previous": (month - dt.timedelta(days=1)).replace(day=1),
        "next": (month + dt.timedelta(days=32)).replace(day=1),
        "weights": {k: int(v * 100) for k, v in WEIGHTS.items()},
        "surveys": selectors.surveys_of_month(month),
    })


def _month(raw: str) -> dt.date:
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_http_methods(["GET", "POST"])
@login_required
def survey_import_page(request):
    if not request.user.has_perm("feedback.import_survey"):
        raise Http404(_("页面不存在。"))
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    errors, headline, status = [], "", 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            survey = services.survey_import(
                actor=request.user, month=form.cleaned_data["month"],
                agency=form.cleaned_data["agency"], file_name=upload.name,
                data=upload.read(workbook.MAX_BYTES + 1))
        except SurveyImportError as exc:
            headline, errors, status = exc.message, exc.errors, 422
        else:
            messages.success(request, _("已导入 %(n)d 个窗口的测评结果。") % {
                "n": survey.results.count()})
            return redirect(reverse("feedback:ranking") + f"?month={survey.month:%Y-%m}")
    elif request.method == "POST":
        status = 422
    return render(request, "feedback/survey_import.html", {
        "form": form, "errors": errors, "headline": headline,
        "surveys": selectors.recent_surveys()}, status=status)


@require_safe
@login_required
def survey_template(request):
    if not request.user.has_perm("feedback.import_survey"):
        raise Http404(_("页面不存在。"))
    response = HttpResponse(
        workbook.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="survey-template.xlsx"'
    return response
