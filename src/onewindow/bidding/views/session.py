"""The evaluation session's pages: the list of one's sessions, the live room of a tender, and the
signing page. The room is served whole from the database; its WebSocket (consumers.py) then
keeps it current and carries the expert's actions to the core services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from onewindow.bidding import live
from onewindow.bidding.enums import TenderState
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import Report, Tender
from onewindow.bidding.selectors import tenders_for_member, tenders_for_staff
from onewindow.bidding.services.report import (
    report_countersign,
    report_create,
    report_dissent,
    report_sign,
)


def _tender_and_viewer(request, pk: int) -> tuple[Tender, live.Viewer]:
    """Fetch and authorise in one call: the same 404 for a missing tender and a stranger."""
    tender = Tender.objects.select_related("main_venue", "chair__user").filter(pk=pk).first()
    viewer = live.viewer_for(user=request.user, tender=tender) if tender is not None else None
    if viewer is None:
        raise Http404(_("招标项目不存在。"))
    return tender, viewer


@login_required
def session_list(request):
    seats = list(tenders_for_member(request.user).order_by("-evaluation_date", "-pk"))
    watched = [t for t in tenders_for_staff(request.user).order_by("-evaluation_date", "-pk")
               if t not in seats and request.user.has_perm("bidding.watch_tender", t)]
    return render(request, "bidding/session/list.html", {"seats": seats, "watched": watched})


@login_required
def session_room(request, pk: int):
    tender, viewer = _tender_and_viewer(request, pk)
    state = live.session_state(viewer=viewer, tender=tender)
    return render(request, "bidding/session/room.html", {
        "tender": tender, "viewer": viewer, "state": state, "grid": _grid(state),
        "results": [] if state["scoring_open"] else _results(state),
    })


def _results(state: dict) -> list[dict]:
    """After the close: per bid, each member's points on each criterion."""
    points = {(s["member"], s["bid"], s["criterion"]): s["points"] for s in state["scores"]}
    return [{
        "bid": bid, "scorable": bid["compliance"] != "failed",
        "lines": [{"member": m, "points": [points.get((m["id"], bid["id"], c["id"]), "—")
                                           for c in state["criteria"]]}
                  for m in state["members"]],
    } for bid in state["bids"]]


def _grid(state: dict) -> list[dict]:
    """Rows of the scoring table: each bid with one cell per criterion (own or visible points,
    and how many members filled it)."""
    points = {(s["member"], s["bid"], s["criterion"]): s["points"] for s in state["scores"]}
    mine = state["me"]["member"]
    filled: dict[tuple[int, int], int] = {}
    for _member, bid, criterion in state["filled"]:
        filled[(bid, criterion)] = filled.get((bid, criterion), 0) + 1
    return [{
        "bid": bid,
        "scorable": bid["compliance"] != "failed",
        "cells": [{"criterion": c, "mine": points.get((mine, bid["id"], c["id"]), ""),
                   "filled": filled.get((bid["id"], c["id"]), 0)} for c in state["criteria"]],
    } for bid in state["bids"]]


SIGN_ACTIONS = {
    "create": (lambda user, tender, report, reasons: report_create(actor=user, tender=tender),
               gettext_lazy("评标报告已生成，请各位成员签署。")),
    "sign": (lambda user, tender, report, reasons: report_sign(actor=user, report=report),
             gettext_lazy("您已签署评标报告。")),
    "dissent": (lambda user, tender, report, reasons: report_dissent(
        actor=user, report=report, reasons=reasons),
        gettext_lazy("您已签署评标报告，不同意见已记录。")),
    "countersign": (lambda user, tender, report, reasons: report_countersign(
        actor=user, report=report), gettext_lazy("主场已确认评标报告。")),
}


@login_required
@require_http_methods(["GET", "POST"])
def session_sign(request, pk: int):
    """The chair (or the main venue) generates the report; each member signs it or records
    dissent with reasons; an operator of the main venue countersigns. Core's services check
    and sign; a refusal comes back as its Chinese message."""
    tender, viewer = _tender_and_viewer(request, pk)
    report = Report.objects.filter(tender=tender).first()
    if request.method == "POST":
        return _sign_post(request, tender, report)
    state = live.session_state(viewer=viewer, tender=tender)
    signed = {s["member"]: s for s in (state["report"] or {}).get("signatures", [])}
    return render(request, "bidding/session/sign.html", {
        "tender": tender, "viewer": viewer, "state": state, "report": report,
        "members": [{**m, "signature": signed.get(m["id"])} for m in state["members"]],
        "my_signature": signed.get(viewer.member_id),
        "may_create": report is None and tender.state == TenderState.SCORED and (
            state["me"]["is_chair"] or request.user.has_perm("bidding.manage_tender", tender)),
        "may_countersign": report is not None and not report.countersigned_at
        and viewer.is_main_operator,
    })


def _sign_post(request, tender, report):
    action = SIGN_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("无法识别的操作。"))
    elif report is None and request.POST["action"] != "create":
        messages.error(request, _("评标报告尚未生成，请等待评标委员会主任或主场生成。"))
    else:
        run, done = action
        try:
            run(request.user, tender, report, request.POST.get("reasons", "").strip())
            messages.success(request, done)
        except BiddingError as exc:
            messages.error(request, exc.message)
    return redirect("bidding:session_sign", pk=tender.pk)
