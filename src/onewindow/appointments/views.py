"""Pages: an item's booking page, my bookings (change, cancel), check-in, a hall's queue.

Views are thin: a form, one service call, render or redirect. A refused action is the
service's AppointmentError, shown as a message (a page) or a 4xx (htmx)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.appointments import clock, ratings, selectors, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.errors import AppointmentError
from onewindow.appointments.forms import BookingIdForm, QueueActionForm, SlotChoiceForm
from onewindow.catalog.models import ServiceItem
from onewindow.core.htmx import is_htmx


def _picker_context(request, item, *, booking=None) -> dict:
    """The day tabs and the chosen day's free slots."""
    halls = selectors.halls_for_item(item)
    hall = _chosen_hall(request.GET.get("hall"), halls)
    days = selectors.slot_days_for_item(item, hall=hall)
    chosen = _chosen_day(request.GET.get("day"), days)
    user = request.user
    blocked = selectors.blocked_until(user) if user.is_authenticated else None
    return {"item": item, "halls": halls, "hall": hall, "days": list(days), "day": chosen,
            "slots": days.get(chosen, []), "booking": booking, "blocked_until": blocked,
            "can_book": (user.is_authenticated and blocked is None
                         and user.has_perm("appointments.book"))}


def _chosen_hall(raw: str | None, halls):
    """The hall asked for, or None (every hall) when the item is served in one hall only or
    the choice is not one of them."""
    if len(halls) < 2:
        return None
    return next((hall for hall in halls if str(hall.pk) == raw), halls[0])


def _chosen_day(raw: str | None, days) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        day = None
    if day in days:
        return day
    return next(iter(days), None)


def _render_picker(request, template: str, context: dict, status: int = 200):
    if is_htmx(request):
        return render(request, f"{template}#slot_picker", context, status=status)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def book(request, item_id: int):
    """GET: anyone sees the free slots; POST: a signed-in applicant books one."""
    item = get_object_or_404(ServiceItem.objects.select_related("department"), pk=item_id,
                             is_published=True)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        form = SlotChoiceForm(request.POST)
        error = _first_error(form)
        if error is None:
            try:
                services.booking_create(actor=request.user, item=item,
                                        slot_id=form.cleaned_data["slot"])
            except AppointmentError as exc:
                error = exc.message
            else:
                messages.success(request, _("预约成功。请在预约当天按时到场签到取号。"))
                return redirect("appointments:mine")
        messages.error(request, error)
        return _render_picker(request, "appointments/book.html",
                              _picker_context(request, item), status=409)
    return _render_picker(request, "appointments/book.html", _picker_context(request, item))


def _first_error(form) -> str | None:
    if form.is_valid():
        return None
    return next(iter(form.errors.values()))[0]


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


@login_required
def mine(request):
    bookings = list(selectors.bookings_of(request.user)[:100])
    ratings.attach_rate_links(bookings)
    today = clock.today()
    return render(request, "appointments/mine.html", {
        "upcoming": [b for b in bookings if b.is_active],
        "past": [b for b in bookings if not b.is_active],
        "today": today,
        "no_shows": selectors.no_show_count(request.user),
        "blocked_until": selectors.blocked_until(request.user),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change(request, booking_id: int):
    booking = selectors.booking_get_for_user(user=request.user, pk=booking_id)
    if not request.user.has_perm("appointments.manage_booking", booking):
        raise Http404(_("预约不存在。"))
    if booking.state != BookingState.BOOKED:
        messages.error(request, _("该预约当前状态为“%(state)s”，不能改约。") % {
            "state": booking.get_state_display()})
        return redirect("appointments:mine")
    context = _picker_context(request, booking.item, booking=booking)
    if request.method == "POST":
        form = SlotChoiceForm(request.POST)
        error = _first_error(form)
        if error is None:
            try:
                services.booking_change(actor=request.user, booking_id=booking.pk,
                                        slot_id=form.cleaned_data["slot"])
            except AppointmentError as exc:
                error = exc.message
            else:
                messages.success(request, _("已改约。"))
                return redirect("appointments:mine")
        messages.error(request, error)
        return _render_picker(request, "appointments/change.html", context, status=409)
    return _render_picker(request, "appointments/change.html", context)


@login_required
@require_POST
def cancel(request, booking_id: int):
    selectors.booking_get_for_user(user=request.user, pk=booking_id)
    try:
        services.booking_cancel(actor=request.user, booking_id=booking_id)
    except AppointmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("appointments:mine")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request):
    """The applicant's check-in on the day (at the hall's entrance, on a phone)."""
    if request.method == "POST":
        form = BookingIdForm(request.POST)
        error = _first_error(form)
        if error is None:
            booking = selectors.booking_get_for_user(user=request.user,
                                                     pk=form.cleaned_data["booking"])
            try:
                booking = services.booking_check_in(actor=request.user, booking_id=booking.pk)
            except AppointmentError as exc:
                error = exc.message
            else:
                messages.success(request, _("签到成功，您的排队号是 %(number)s。") % {
                    "number": booking.ticket.number})
                return redirect("appointments:checkin")
        messages.error(request, error)
    today = clock.today()
    bookings = list(selectors.bookings_of(request.user).filter(day=today))
    return render(request, "appointments/checkin.html", {"bookings": bookings, "today": today})


def _hall_or_404(user):
    hall = selectors.hall_of(user) if user.is_authenticated else None
    if hall is None or not user.has_perm("appointments.operate_hall", hall):
        raise Http404(_("您不在服务大厅的窗口工作。"))
    return hall


@login_required
def queue(request):
    hall = _hall_or_404(request.user)
    if is_htmx(request):
        return render(request, "appointments/queue.html#queue_board",
                      _queue_context(request, hall, partial=True))
    return render(request, "appointments/queue.html", _queue_context(request, hall))


def _queue_context(request, hall, *, partial: bool = False) -> dict:
    """`partial`: the board shows the messages itself (no page around it)."""
    today = clock.today()
    return {"hall": hall, "window": request.user.window, "today": today,
            "partial_messages": partial, **selectors.hall_queue(hall=hall, day=today)}


@login_required
@require_POST
def queue_action(request):
    hall = _hall_or_404(request.user)
    form = QueueActionForm(request.POST)
    error = _first_error(form)
    status = 200
    if error is None:
        error = _run_queue_action(request, **form.cleaned_data)
    if error:
        status = 409
        messages.error(request, error)
    if is_htmx(request):
        return render(request, "appointments/queue.html#queue_board",
                      _queue_context(request, hall, partial=True), status=status)
    return redirect("appointments:queue")


def _run_queue_action(request, *, action: str, booking: int | None) -> str | None:
    actor = request.user
    try:
        if action == "call_next":
            called = services.queue_call_next(actor=actor)
            if called is None:
                return _("当前没有等候的群众。")
            messages.success(request, _("已叫号 %(number)s。") % {"number": called.ticket.number})
        elif action == "check_in":
            done = services.booking_check_in(actor=actor, booking_id=booking)
            messages.success(request, _("已签到，排队号 %(number)s。") % {
                "number": done.ticket.number})
        elif action == "serve":
            services.booking_serve(actor=actor, booking_id=booking)
            messages.success(request, _("已办结。"))
        else:
            services.booking_miss(actor=actor, booking_id=booking)
            messages.success(request, _("已过号。"))
    except AppointmentError as exc:
        return exc.message
    return None
