"""The workbench: each staff role's queue, filtered with htmx (the table is a partial)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from onewindow.cases import selectors_staff as queues
from onewindow.cases.forms_staff import QueueFilterForm
from onewindow.core.htmx import is_htmx

PAGE_SIZE = 50
TEMPLATE = "cases/staff/workbench.html"


@login_required
@require_safe
def workbench(request):
    kind = queues.queue_kind(request.user)
    if kind is None:
        raise Http404(_("页面不存在。"))
    form = QueueFilterForm(request.GET, user=request.user, kind=kind)
    entries = queues.queue_entries(request.user)
    shown = queues.filter_entries(entries, **form.filters())
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"kind": kind, "form": form, "page_obj": page,
               "rows": queues.queue_rows(request.user, page.object_list)}
    if is_htmx(request):
        response = render(request, f"{TEMPLATE}#queue", context)
    else:
        context["counts"] = (queues.department_colour_counts(entries)
                             if kind == queues.OVERSEER else [])
        response = render(request, TEMPLATE, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
