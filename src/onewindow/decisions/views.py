"""The dry-run pages for catalog administrators: try a version on sample inputs and on the
item's last 1,000 real cases, before (or after) publishing it. Reads only."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from onewindow.core.htmx import is_htmx
from onewindow.decisions import selectors
from onewindow.decisions.display import describe_when
from onewindow.decisions.engine import evaluate
from onewindow.decisions.forms import SampleForm
from onewindow.decisions.models import DecisionTableVersion

PERM = "decisions.manage_tables"
CHANGED_SHOWN = 200


def staff_only(view):
    """Sign-in first for visitors; 403 for those signed in without the permission."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERM):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped


@require_safe
@staff_only
def index(request):
    return render(request, "decisions/index.html", {"tables": selectors.table_list()})


@require_safe
@staff_only
def dry_run(request, pk: int):
    try:
        version = selectors.version_get(pk)
    except DecisionTableVersion.DoesNotExist:
        raise Http404(_("决策表版本不存在。")) from None
    problems = selectors.version_problems(version)
    context = {"version": version, "problems": problems,
               "rows": [(n, describe_when(r.get("when") or {}), r)
                        for n, r in enumerate(version.rows, start=1)
                        if isinstance(r, dict)] if not problems else []}
    if not problems:
        context.update(_runs(request, version))
    template = "decisions/dry_run.html"
    if is_htmx(request) and "replay" in request.GET:
        template += "#replay_result"
    elif is_htmx(request) and "sample" in request.GET:
        template += "#sample_result"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _runs(request, version) -> dict:
    table = selectors.compiled(version)
    form = SampleForm(request.GET if "sample" in request.GET else None, table=table)
    result = evaluate(table, form.facts()) if form.is_bound and form.is_valid() else None
    report = selectors.replay(version) if "replay" in request.GET else None
    return {"form": form, "result": result, "report": report,
            "changed": report.changed[:CHANGED_SHOWN] if report else [],
            "replay_limit": selectors.REPLAY_LIMIT}
