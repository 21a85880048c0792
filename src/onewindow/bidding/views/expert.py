"""The drawn expert's pages: invitations, and the answer (confirm, decline, ask for avoidance)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from onewindow.bidding import forms, services
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import CommitteeMember


@login_required
def invitations(request):
    seats = CommitteeMember.objects.filter(user=request.user).select_related(
        "tender", "venue", "speciality").order_by("-tender__evaluation_date", "-pk")
    return render(request, "bidding/expert_list.html", {"seats": seats})


@login_required
def invitation(request, pk: int):
    seat = CommitteeMember.objects.select_related("tender__main_venue", "venue", "speciality") \
        .filter(tender_id=pk, user=request.user).order_by("-pk").first()
    if seat is None:
        raise Http404(_("评标邀请不存在。"))
    form = forms.MemberAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data["answer"]
        try:
            services.member_answer(actor=request.user, member=seat, accept=answer == "accept",
                                   conflict=answer == "conflict",
                                   reason=form.cleaned_data["reason"])
        except BiddingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("您的答复已提交。"))
            return redirect("bidding:invitation", pk=pk)
    return render(request, "bidding/expert_detail.html", {"seat": seat, "form": form},
                  status=422 if form.errors else 200)
