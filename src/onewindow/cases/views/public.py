"""Following a case without an account: its number and query code show where it stands.

Nothing personal is shown (the enterprise name is masked, the applicant's not at all) and no
document. A wrong number and a wrong code give the same message, so neither can be guessed
one at a time.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases.forms import TrackForm
from onewindow.cases.selectors import case_get_by_query_code
from onewindow.cases.selectors_bundles import case_display_name
from onewindow.cases.views import progress


@require_http_methods(["GET", "POST"])
def track(request):
    # POST keeps the query code out of addresses, browser history and server logs.
    form = TrackForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        status = 422 if form.is_bound else 200
        return render(request, "cases/track.html", {"form": form}, status=status)
    try:
        case = case_get_by_query_code(**form.cleaned_data)
    except Http404:
        return render(request, "cases/track.html", {
            "form": form, "error": _("办件编号或查询码不正确，请核对后重新输入。")}, status=404)
    return render(request, "cases/track.html", {
        "form": form, "case": case, "name": case_display_name(case),
        "badge": progress.state_badge(case),
        "clocks": progress.clock_rows(case), "next_step": progress.next_step(case),
        "enterprise": progress.mask_name(case.enterprise.name) if case.enterprise else "",
    })
