"""Help agents (帮办代办): an enterprise authorises agents; a supervisor assigns them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.accounts import selectors, services
from onewindow.accounts.errors import AccountsError
from onewindow.accounts.forms import AssignmentForm, AuthorisationForm, RevokeForm
from onewindow.accounts.models import AgentAssignment


def _post_or_none(request):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@login_required
def authorisations(request):
    """An enterprise member's page: the enterprise's authorisations, and a form to grant one."""
    form = AuthorisationForm(_post_or_none(request), user=request.user)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.authorisation_grant(
                    actor=request.user, enterprise=data["enterprise"], agent=data["agent"],
                    scope=data["scope"], expires_on=data["expires_on"],
                    departments=data["departments"], items=data["items"])
            except AccountsError as err:
                error, status = err.message, err.status
            else:
                messages.success(request, _("已授权 %(agent)s 代为办理。")
                                 % {"agent": data["agent"]})
                return redirect("authorisations")
        else:
            status = 422
    return render(request, "accounts/authorisations.html", {
        "form": form, "error": error, "today": timezone.localdate(),
        "is_member": request.user.memberships.exists(),
        "authorisations": selectors.enterprise_authorisations(member=request.user),
    }, status=status)


@require_POST
@login_required
def authorisation_revoke(request, pk: int):
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.authorisation_revoke(actor=request.user, authorisation_id=pk, reason=reason)
    except AccountsError as err:
        if err.status == 403:
            raise Http404(err.message) from err
        messages.error(request, err.message)
    else:
        messages.success(request, _("授权已撤销，代办员即刻不能再以企业名义办理。"))
    return redirect("authorisations")


def _assigning(request) -> None:
    if request.user.role not in services.ASSIGNING_ROLES:
        raise Http404(_("页面不存在。"))


@require_http_methods(["GET", "POST"])
@login_required
def assignments(request):
    """A supervisor's page: which agent serves which enterprise or project."""
    _assigning(request)
    form = AssignmentForm(_post_or_none(request))
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agent_assign(actor=request.user, **form.cleaned_data)
            except AccountsError as err:
                error, status = err.message, err.status
            else:
                messages.success(request, _("已指派。"))
                return redirect("agent_assignments")
        else:
            status = 422
    return render(request, "accounts/assignments.html", {
        "form": form, "error": error,
        "assignments": selectors.assignments_open(),
        "agents_count": form.fields["agent"].queryset.count(),
    }, status=status)


@require_POST
@login_required
def assignment_end(request, pk: int):
    _assigning(request)
    try:
        services.agent_assignment_end(actor=request.user, assignment_id=pk)
    except AgentAssignment.DoesNotExist as err:
        raise Http404(_("指派不存在。")) from err
    messages.success(request, _("指派已结束。"))
    return redirect("agent_assignments")
