"""Staff pages to set up and run a tender: list, create, and one page per tender whose small
forms (criteria, bids, committee draw, replacements, avoidance check, recordings, complaints)
each post to one action. Thin: a form validates, one service decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.bidding import forms, selectors, services
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import CommitteeMember, Recheck, Recording


def _require_staff(user) -> None:
    if not user.has_perm("bidding.manage"):
        raise PermissionDenied(_("只有评标场地管理员和系统管理员可以访问。"))


@login_required
def tender_list(request):
    _require_staff(request.user)
    tenders = selectors.tenders_for_staff(request.user).order_by("-evaluation_date", "-pk")
    return render(request, "bidding/tender_list.html", {"tenders": tenders})


@login_required
def tender_new(request):
    _require_staff(request.user)
    form = forms.TenderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tender = form.perform(actor=request.user)
        except BiddingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("招标项目 %(number)s 已创建。") % {"number": tender.number})
            return redirect("bidding:tender_detail", pk=tender.pk)
    return render(request, "bidding/tender_form.html", {"form": form},
                  status=422 if form.errors else 200)


def _context(request, tender, **overrides) -> dict:
    context = {
        "tender": tender,
        "can_manage": request.user.has_perm("bidding.manage_tender", tender),
        "lots": tender.lots.all(),
        "criteria": tender.criteria.all(),
        "bids": tender.bids.select_related("lot").prefetch_related("documents"),
        "members": tender.members.select_related("user", "venue", "speciality", "expert")
        .order_by("status", "pk"),
        "draws": tender.draws.select_related("actor"),
        "recordings": tender.recordings.select_related("venue", "received_by"),
        "rechecks": tender.rechecks.select_related("filed_by", "routed_to"),
        "venues": [tender.main_venue, *tender.sub_venues.all()],
        "criterion_form": forms.CriterionForm(),
        "bid_form": forms.BidForm(tender=tender),
        "draw_form": forms.DrawForm(),
        "recording_form": forms.RecordingForm(tender=tender, user=request.user),
        "recheck_form": forms.RecheckForm(),
        "progress": selectors.progress(tender=tender),
    }
    context.update(overrides)
    return context


@login_required
def tender_detail(request, pk: int):
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    return render(request, "bidding/tender_detail.html", _context(request, tender))


ACTIONS = {
    "criterion": ("criterion_form", lambda r, t: forms.CriterionForm(r.POST),
                  _("评分因素已添加。")),
    "bid": ("bid_form", lambda r, t: forms.BidForm(r.POST, r.FILES, tender=t),
            _("投标文件已登记。")),
    "draw": ("draw_form", lambda r, t: forms.DrawForm(r.POST), _("评标委员会已抽取，已通知专家。")),
    "recording": ("recording_form",
                  lambda r, t: forms.RecordingForm(r.POST, r.FILES, tender=t, user=r.user),
                  _("录音录像已登记。")),
    "recheck": ("recheck_form", lambda r, t: forms.RecheckForm(r.POST),
                _("已登记，并转主场处理。")),
}


@login_required
@require_POST
def tender_action(request, pk: int, action: str):
    """One form's post: re-render the page with the form's errors (422), or the service's
    refusal as a message, or redirect back with the success message."""
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied
    name, build, done = ACTIONS[action]
    form = build(request, tender)
    if form.is_valid():
        try:
            form.perform(actor=request.user, tender=tender)
        except BiddingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("bidding:tender_detail", pk=tender.pk)
    context = _context(request, tender, **{name: form})
    return render(request, "bidding/tender_detail.html", context, status=422)


def _done(request, tender, call, success: str):
    try:
        call()
    except BiddingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("bidding:tender_detail", pk=tender.pk)


@login_required
@require_POST
def member_replace(request, pk: int, member_pk: int):
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    member = get_object_or_404(CommitteeMember, pk=member_pk, tender=tender)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _done(request, tender, lambda: services.member_replace(
        actor=request.user, member=member, reason=reason), _("已补抽专家并通知。"))


@login_required
@require_POST
def avoidance_check(request, pk: int):
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    return _done(request, tender, lambda: services.avoidance_check(
        actor=request.user, tender=tender), _("回避检查已完成。"))


@login_required
@require_POST
def recording_receive(request, pk: int, recording_pk: int):
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    recording = get_object_or_404(Recording, pk=recording_pk, tender=tender)
    return _done(request, tender, lambda: services.recording_receive(
        actor=request.user, recording=recording), _("已确认接收。"))


@login_required
@require_POST
def recheck_answer(request, pk: int, recheck_pk: int):
    tender = selectors.tender_get_for_staff(user=request.user, pk=pk)
    recheck = get_object_or_404(Recheck, pk=recheck_pk, tender=tender)
    form = forms.AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    return _done(request, tender, lambda: services.recheck_answer(
        actor=request.user, recheck=recheck, answer=answer), _("处理结果已记录。"))
