"""The staff case page, and the actions on it: one form per action, one service call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from onewindow.cases import clocks
from onewindow.cases import selectors_staff as pages
from onewindow.cases.enums import CaseState
from onewindow.cases.errors import CaseError
from onewindow.cases.selectors import case_get_for_user
from onewindow.cases.views.staff.actions import BY_SLUG, available_actions


def staff_case_get(request, pk: int):
    """The case for a staff role that handles or oversees it; the same 404 for everyone else
    (an applicant, another department, a missing case, a draft)."""
    user = request.user
    if user.role not in pages.CASE_PAGE_ROLES:
        raise Http404(_("办件不存在。"))
    case = case_get_for_user(user=user, pk=pk)
    if case.state == CaseState.DRAFT or not user.has_perm("cases.see_internal", case):
        raise Http404(_("办件不存在。"))
    return case


@login_required
@require_safe
def detail(request, pk: int):
    case = staff_case_get(request, pk)
    if case.is_bundle_parent:  # the read-only summary of its parts
        return redirect("cases:bundle_staff_detail", pk=case.pk)
    return _page(request, case)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def act(request, pk: int, action: str):
    spec = BY_SLUG.get(action)
    if spec is None:
        raise Http404(_("没有这项操作。"))
    case = staff_case_get(request, pk)
    if request.method != "POST":  # the address of a refused action, reloaded: the case page
        return redirect("cases:staff_detail", pk=case.pk)
    form = spec.form(request.POST, case=case, user=request.user)
    if not form.is_valid():
        return _refused(request, case, form, "", 422)
    try:
        form.perform(actor=request.user)
    except CaseError as err:
        return _refused(request, case, form, err.message, err.status)
    messages.success(request, spec.done)
    return redirect("cases:staff_detail", pk=case.pk)


def _refused(request, case, form, error: str, status: int):
    """The case page with the refused form and why. Swapped in by htmx, the address bar keeps
    the case page's address, not the action's (a reload shows the page, not a 405)."""
    response = _page(request, case, bound=form, error=error, status=status)
    if request.headers.get("HX-Request"):
        response["HX-Replace-Url"] = reverse("cases:staff_detail", args=[case.pk])
    return response


def _page(request, case, *, bound=None, error: str = "", status: int = 200):
    case = pages.case_for_staff_page(case)
    return render(request, "cases/staff/detail.html", {
        "case": case,
        "clocks": clocks.clocks(case),
        "applicant_days": clocks.applicant_days(case),
        "materials": pages.material_slots(case),
        "application": pages.application_facts(case),
        "timeline": pages.timeline(case),
        "actions": _action_forms(request.user, case, bound),
        "decide_waits_for_opinion": _decide_waits_for_opinion(request.user, case),
        "error": error,
    }, status=status)


def _decide_waits_for_opinion(user, case) -> bool:
    """An approver on a case in review with no opinion yet: 作出决定 is not offered (it follows
    an opinion, `actions.reviewed`), say why."""
    return (case.state == CaseState.IN_REVIEW and not case.review_steps.all()
            and user.has_perm("cases.decide", case))


def _action_forms(user, case, bound) -> list[tuple]:
    """(action, form) for each action the user may take now; a refused form keeps its input."""
    return [(action, bound if bound is not None and bound.slug == action.slug
             else action.form(case=case, user=user))
            for action in available_actions(user, case)]
