"""Bookings and queue tickets: book, change, cancel, check in, call, serve, miss.

Every move of a booking goes through `move`: it locks the booking row, checks the actor's
permission and that the move is allowed from the current state, lets the caller change the
booking under the lock, saves, writes the audit event and schedules the notifications for
after the commit. Locks are always taken booking first, then slots by id, then the hall's
ticket counter, so two moves never wait on each other in a circle.

Capacity: `Slot.booked` changes only under `select_for_update()` on the slot row (PostgreSQL)
or inside an IMMEDIATE transaction (SQLite), by a conditional `UPDATE … WHERE booked <
capacity`, and a CHECK constraint keeps it ≤ capacity: of two people taking the last place at
the same moment, the second waits for the first and then sees the slot full.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onewindow.appointments import clock, ratings, selectors
from onewindow.appointments.conf import policy
from onewindow.appointments.enums import ACTIVE_STATES, BookingState
from onewindow.appointments.errors import (
    AppointmentForbidden,
    BookingRefused,
    IllegalMove,
    SlotFull,
)
from onewindow.appointments.models import Booking, HallDayCounter, QueueTicket, Slot
from onewindow.audit.services import audit_record
from onewindow.cases.notify import notify_users

S = BookingState
# action: (states it may start from, state it ends in)
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "change": (frozenset({S.BOOKED}), S.BOOKED),
    "cancel": (frozenset({S.BOOKED}), S.CANCELLED),
    "check_in": (frozenset({S.BOOKED}), S.CHECKED_IN),
    "call": (frozenset({S.CHECKED_IN}), S.CALLED),
    "serve": (frozenset({S.CALLED}), S.SERVED),
    "miss": (frozenset({S.CALLED}), S.NO_SHOW),  # 过号: called and did not come
    "no_show": (frozenset({S.BOOKED}), S.NO_SHOW),  # the tick job, after the slot ended
}


def when(slot: Slot) -> str:
    start = slot.start.astimezone(clock.zone())
    return f"{date_format(start.date(), 'Y年n月j日')} {start:%H:%M}–" \
           f"{slot.end.astimezone(clock.zone()):%H:%M}"


def place(slot: Slot) -> str:
    return _("%(hall)s %(number)s号窗口") % {"hall": slot.hall.name, "number": slot.window.number}


# --- locking helpers ----------------------------------------------------------------------------
def lock_slot(slot_id: int) -> Slot:
    # of=self and no ordering: lock the slot row only, not the window and hall it orders by.
    slot = Slot.objects.select_for_update(of=("self",)).filter(pk=slot_id).order_by().first()
    if slot is None:
        raise BookingRefused(_("该预约时段不存在，请刷新后重新选择。"))
    return slot


def _take_place(slot: Slot) -> None:
    """Call holding the slot's row lock. The UPDATE is conditional as well, so a place is
    never taken twice even by a caller that forgot the lock."""
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
        booked=F("booked") + 1)
    if not taken:
        raise SlotFull()
    slot.booked += 1


def _give_back(slot: Slot) -> None:
    """Call holding the slot's row lock."""
    Slot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)
    slot.booked = max(0, slot.booked - 1)


def _check_bookable(*, actor, item, slot: Slot, exclude_pk: int | None = None) -> None:
    now = clock.now()
    if slot.start <= now:
        raise BookingRefused(_("该时段已开始或已过去，请选择以后的时段。"))
    if slot.day > clock.local_date(now) + dt.timedelta(days=policy().booking_days):
        raise BookingRefused(_("只能预约%(n)s天内的时段。") % {"n": policy().booking_days})
    if not selectors.windows_for_item(item).filter(pk=slot.window_id).exists():
        raise BookingRefused(_("该窗口不办理此事项，请选择其他时段。"))
    same_day = Booking.objects.filter(applicant=actor, item=item, day=slot.day,
                                      state__in=ACTIVE_STATES).exclude(pk=exclude_pk)
    if same_day.exists():
        raise BookingRefused(_("您在%(day)s已预约过该事项，每人每天每个事项只能预约一次。") % {
            "day": date_format(slot.day, "n月j日")})


def _check_not_blocked(actor) -> None:
    until = selectors.blocked_until(actor)
    if until is not None:
        raise BookingRefused(_(
            "您近期爽约已达%(n)s次，%(date)s前暂停网上预约。如有疑问请联系大厅服务台。") % {
            "n": policy().no_show_limit,
            "date": date_format(until.astimezone(clock.zone()).date(), "Y年n月j日")})


def _full_clean(booking: Booking) -> None:
    try:
        booking.full_clean()
    except ValidationError as exc:
        raise BookingRefused("；".join(exc.messages)) from exc


def _save(booking: Booking) -> None:
    """Save; the one-active-booking-per-day index refusing it (the same person booking two
    slots of a day at the same moment, in two tabs) is a refusal, not a crash."""
    try:
        booking.save()
    except IntegrityError as exc:
        raise BookingRefused(_("您在该日已有该事项的预约，每人每天每个事项只能预约一次。")) from exc


# --- the one transition function ----------------------------------------------------------------
@transaction.atomic
def move(*, booking_id: int, action: str, actor, perm: str | None,
         apply: Callable[[Booking], dict | None] | None = None, note: str = "") -> Booking:
    """Move booking `booking_id` by `action` (see MOVES). `perm` is checked against the actor
    (None: a system job). `apply(booking)` runs under the lock, after the state check."""
    booking = (Booking.objects.select_for_update(of=("self",)).filter(pk=booking_id)
               .order_by().first())
    if booking is None or (perm is not None and not actor.has_perm(
            "appointments.view_booking", booking)):
        raise AppointmentForbidden(_("预约不存在。"))
    if perm is not None and not actor.has_perm(perm, booking):
        raise AppointmentForbidden(_("您无权对该预约执行此操作。"))
    sources, target = MOVES[action]
    if booking.state not in sources:
        raise IllegalMove(booking, action)
    old = booking.state
    booking.state = target
    details = apply(booking) if apply else None
    _full_clean(booking)
    _save(booking)
    audit_record(actor=actor, action=f"booking.{action}", obj=booking, old={"state": old},
                 new={"state": booking.state, **(details or {})}, note=note)
    return booking


# --- the applicant ------------------------------------------------------------------------------
@transaction.atomic
def booking_create(*, actor, item, slot_id: int) -> Booking:
    """Book a place in a slot for `item`. Raises SlotFull when the last place is gone."""
    if not actor.has_perm("appointments.book"):
        raise AppointmentForbidden(_("只有申请人可以预约办理。"))
    _check_not_blocked(actor)
    slot = lock_slot(slot_id)
    _check_bookable(actor=actor, item=item, slot=slot)
    _take_place(slot)
    booking = Booking(applicant=actor, item=item, slot=slot, day=slot.day)
    _full_clean(booking)
    _save(booking)
    audit_record(actor=actor, action="booking.book", obj=booking,
                 new={"state": booking.state, "slot": slot.pk, "start": slot.start.isoformat()})
    slot = Slot.objects.select_related("hall", "window").get(pk=slot.pk)
    notify_users([actor], verb="booking_created", title=_("预约成功：%(item)s") % {
        "item": item.name}, body=_("%(when)s，%(place)s。请按时到场签到取号。") % {
        "when": when(slot), "place": place(slot)}, link=reverse("appointments:mine"))
    return booking


def _before_cutoff(booking: Booking, action: str) -> None:
    if clock.now() > booking.slot.start - policy().cancel_cutoff:
        minutes = int(policy().cancel_cutoff.total_seconds() // 60)
        raise BookingRefused(_("距预约开始已不足%(n)s分钟，不能再%(action)s。") % {
            "n": minutes, "action": _("改约") if action == "change" else _("取消")})


@transaction.atomic
def booking_change(*, actor, booking_id: int, slot_id: int) -> Booking:
    """Move an active booking to another slot (until the cut-off before the old one)."""

    def apply(booking: Booking) -> dict:
        _before_cutoff(booking, "change")
        old_id = booking.slot_id
        if slot_id == old_id:
            raise BookingRefused(_("新时段与原时段相同。"))
        slots = {s.pk: s for s in Slot.objects.select_for_update(of=("self",))
                 .filter(pk__in=sorted({old_id, slot_id})).order_by("pk")}
        new = slots.get(slot_id)
        if new is None:
            raise BookingRefused(_("该预约时段不存在，请刷新后重新选择。"))
        _check_bookable(actor=actor, item=booking.item, slot=new, exclude_pk=booking.pk)
        _take_place(new)
        _give_back(slots[old_id])
        booking.slot, booking.day, booking.reminded_at = new, new.day, None
        return {"from_slot": old_id, "slot": new.pk, "start": new.start.isoformat()}

    booking = move(booking_id=booking_id, action="change", actor=actor,
                   perm="appointments.manage_booking", apply=apply)
    _tell(booking, "booking_changed", _("预约已改期：%(item)s"),
          _("新的时间：%(when)s，%(place)s。"))
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking_id: int) -> Booking:
    def apply(booking: Booking) -> None:
        _before_cutoff(booking, "cancel")
        _give_back(lock_slot(booking.slot_id))

    booking = move(booking_id=booking_id, action="cancel", actor=actor,
                   perm="appointments.manage_booking", apply=apply)
    _tell(booking, "booking_cancelled", _("预约已取消：%(item)s"), _("已取消 %(when)s 的预约。"))
    return booking


def _tell(booking: Booking, verb: str, title: str, body: str) -> None:
    slot = Slot.objects.select_related("hall", "window").get(pk=booking.slot_id)
    values = {"item": booking.item.name, "when": when(slot), "place": place(slot)}
    notify_users([booking.applicant], verb=verb, title=title % values,
                 body=body % values, link=reverse("appointments:mine"))


# --- in the hall --------------------------------------------------------------------------------
def _next_number(*, hall_id: int, day: dt.date, after_hours: bool) -> str:
    """The next queue number of a hall on a day, under the counter's row lock."""
    HallDayCounter.objects.get_or_create(hall_id=hall_id, day=day)
    counter = HallDayCounter.objects.select_for_update().get(hall_id=hall_id, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{'Y' if after_hours else 'A'}{counter.last:03d}"


@transaction.atomic
def booking_check_in(*, actor, booking_id: int) -> Booking:
    """Check in on the day and take a queue ticket: the applicant from `checkin_early` before
    the slot until its end, or a clerk of the hall at any time that day."""

    def apply(booking: Booking) -> dict:
        slot, now = booking.slot, clock.now()
        if clock.local_date(now) != booking.day:
            raise BookingRefused(_("只能在预约当天签到。"))
        at_counter = actor.has_perm("appointments.operate_booking", booking)
        if not at_counter and not (slot.start - policy().checkin_early <= now <= slot.end):
            raise BookingRefused(_("请在预约时段开始前%(n)s分钟内至时段结束前签到；"
                                   "已过时段请到服务台咨询。") % {
                "n": int(policy().checkin_early.total_seconds() // 60)})
        number = _next_number(hall_id=slot.hall_id, day=booking.day, after_hours=slot.after_hours)
        QueueTicket.objects.create(booking=booking, hall_id=slot.hall_id, day=booking.day,
                                   number=number, checked_in_at=now)
        return {"ticket": number}

    booking = move(booking_id=booking_id, action="check_in", actor=actor,
                   perm="appointments.check_in", apply=apply)
    number = QueueTicket.objects.get(booking=booking).number
    notify_users([booking.applicant], verb="booking_checked_in",
                 title=_("已签到，您的排队号是 %(number)s") % {"number": number},
                 body=_("请留意大厅叫号屏。"), link=reverse("appointments:mine"))
    return booking


def queue_call_next(*, actor) -> Booking | None:
    """Call the next checked-in ticket to the actor's window: tickets booked at this window
    first, then tickets at other windows of the hall for items this window also serves.
    Returns None when nobody is waiting."""
    window = actor.window if actor.window_id else None
    if window is None or not actor.has_perm("appointments.operate_hall", window.hall):
        raise AppointmentForbidden(_("您不在该大厅的窗口，不能叫号。"))
    for booking_id in selectors.callable_ids(window=window, day=clock.today()):
        try:
            return booking_call(actor=actor, booking_id=booking_id, window=window)
        except IllegalMove:
            continue  # another window called it a moment ago: take the next one
    return None


@transaction.atomic
def booking_call(*, actor, booking_id: int, window) -> Booking:
    def apply(booking: Booking) -> dict:
        QueueTicket.objects.filter(booking=booking).update(window=window, called_at=clock.now())
        return {"window": window.pk}

    booking = move(booking_id=booking_id, action="call", actor=actor,
                   perm="appointments.operate_booking", apply=apply)
    number = QueueTicket.objects.get(booking=booking).number
    notify_users([booking.applicant], verb="booking_called",
                 title=_("请 %(number)s 号到 %(window)s号窗口办理") % {
                     "number": number, "window": window.number},
                 body=window.name, link=reverse("appointments:mine"))
    return booking


@transaction.atomic
def booking_serve(*, actor, booking_id: int) -> Booking:
    """The called person was served at the window: the visit can now be rated."""

    def apply(booking: Booking) -> dict:
        QueueTicket.objects.filter(booking=booking).update(served_at=clock.now(),
                                                           served_by=actor)
        return {"served_by": actor.pk}

    booking = move(booking_id=booking_id, action="serve", actor=actor,
                   perm="appointments.operate_booking", apply=apply)
    ratings.invite(booking)
    return booking


@transaction.atomic
def booking_miss(*, actor, booking_id: int) -> Booking:
    """过号: the called person did not come to the window. Counts as a no-show."""
    return move(booking_id=booking_id, action="miss", actor=actor,
                perm="appointments.operate_booking")
