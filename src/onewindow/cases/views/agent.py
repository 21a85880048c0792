"""The help agent's workbench (帮办代办): the enterprises it serves, their cases and clocks,
its authorisations, and its visit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from onewindow.accounts import selectors as accounts
from onewindow.accounts.enums import Role
from onewindow.accounts.errors import AccountsError
from onewindow.accounts.forms import VisitForm
from onewindow.accounts.services import agent_visit_record
from onewindow.cases.enums import OPEN_STATES, CaseState
from onewindow.cases.selectors import visible_cases
from onewindow.cases.views import progress
from onewindow.core.htmx import is_htmx

PAGE_SIZE = 20


def _agent_only(request) -> None:
    if not request.user.is_authenticated or request.user.role != Role.HELP_AGENT:
        raise Http404(_("页面不存在。"))


@require_safe
@login_required
def workbench(request):
    _agent_only(request)
    return render(request, "cases/agent/workbench.html", _context(request))


def _context(request, *, visit_form=None, visit_error: str = "") -> dict:
    agent = request.user
    enterprises = accounts.agent_enterprises(agent=agent)
    cases = (visible_cases(agent).filter(parent__isnull=True)
             .filter(Q(state__in=OPEN_STATES) | Q(state=CaseState.DRAFT))
             .prefetch_related("documents", "pauses").order_by("promised_due", "-updated_at"))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "enterprises": enterprises, "today": timezone.localdate(),
        "authorisations": accounts.agent_authorisations(agent=agent),
        "assignments": accounts.agent_assignments_open(agent=agent),
        "page_obj": page, "rows": [progress.case_row(c) for c in page],
        "visits": accounts.agent_visits(agent=agent),
        "visit_form": visit_form or VisitForm(enterprises=enterprises),
        "visit_error": visit_error,
    }


@require_POST
@login_required
def visit_record(request):
    """Add an entry to the visit log; htmx gets the log and a fresh form back."""
    _agent_only(request)
    enterprises = accounts.agent_enterprises(agent=request.user)
    form = VisitForm(request.POST, enterprises=enterprises)
    error, status = "", 422
    if form.is_valid():
        try:
            agent_visit_record(actor=request.user, **form.cleaned_data)
        except AccountsError as err:
            error, status = err.message, err.status
        else:
            if not is_htmx(request):
                return redirect(reverse("cases:agent_workbench") + "#agent-visits")
            form, status = VisitForm(enterprises=enterprises), 200
    if is_htmx(request):
        return render(request, "cases/agent/workbench.html#visit_log", {
            "visits": accounts.agent_visits(agent=request.user), "visit_form": form,
            "visit_error": error, "enterprises": enterprises}, status=status)
    return render(request, "cases/agent/workbench.html",
                  _context(request, visit_form=form, visit_error=error), status=status)
