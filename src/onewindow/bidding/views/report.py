"""Results, the evaluation report (page and PDF), and the public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.bidding import selectors, services
from onewindow.bidding.enums import TenderState
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import Report, Tender

RESULT_STATES = frozenset({TenderState.SCORED, TenderState.REPORTED})


def _tender_for(user, pk: int) -> Tender:
    """A committee member or a staff user who may watch the tender; the same 404 otherwise."""
    tender = Tender.objects.select_related("main_venue").filter(pk=pk).first()
    if tender is None or not (selectors.member_for(user=user, tender=tender) is not None
                              or user.has_perm("bidding.watch_tender", tender)):
        raise Http404(_("招标项目不存在。"))
    return tender


@login_required
def results(request, pk: int):
    tender = _tender_for(request.user, pk)
    report = Report.objects.filter(tender=tender).first()
    member = selectors.member_for(user=request.user, tender=tender)
    context = {
        "tender": tender, "report": report,
        "results": selectors.tender_results(tender=tender)
        if tender.state in RESULT_STATES else None,
        "progress": selectors.progress(tender=tender).values(),
        "verification": selectors.report_verify(report=report) if report else None,
        "can_create": tender.state == TenderState.SCORED and report is None and (
            (member is not None and member.pk == tender.chair_id)
            or request.user.has_perm("bidding.manage_tender", tender)),
    }
    return render(request, "bidding/results.html", context)


@login_required
@require_POST
def report_create(request, pk: int):
    tender = _tender_for(request.user, pk)
    try:
        services.report_create(actor=request.user, tender=tender)
    except BiddingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评标报告已生成，请各位成员签署。"))
    return redirect("bidding:results", pk=tender.pk)


@login_required
def report_pdf(request, pk: int):
    tender = _tender_for(request.user, pk)
    report = Report.objects.filter(tender=tender).first()
    if report is None:
        raise Http404(_("评标报告尚未生成。"))
    from onewindow.bidding import pdfs  # reportlab, on the first PDF a worker makes

    body = pdfs.report_pdf(report, verification=selectors.report_verify(report=report))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{tender.number}.pdf"'
    return response


def verify(request, code: str):
    """Public: anyone with the code (printed on the report, in its QR) checks every signature
    and whether the saved scores still give the signed digest."""
    report = Report.objects.select_related("tender__main_venue").filter(code=code).first()
    if report is None:
        return render(request, "bidding/verify.html", {"report": None, "code": code},
                      status=404)
    result = selectors.report_verify(report=report)
    return render(request, "bidding/verify.html", {
        "report": report, "tender": report.tender, "result": result, "code": code})
