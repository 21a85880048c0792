"""Reads: which windows serve an item, free slots, a person's bookings, a hall's queue.

Fetch-and-authorise in one call: a booking the user may not see is the same 404 as a missing
one.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role, WindowKind
from onewindow.accounts.models import ServiceHall, Window
from onewindow.appointments import clock
from onewindow.appointments.conf import policy
from onewindow.appointments.enums import ACTIVE_STATES, QUEUE_STATES, BookingState
from onewindow.appointments.models import Booking, QueueTicket, Slot, WindowItemOverride
from onewindow.catalog.models import ServiceItem

HALL_STAFF_ROLES = frozenset({Role.WINDOW_CLERK, Role.HELP_AGENT})
HALL_OVERSEER_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def windows_for_item(item) -> QuerySet[Window]:
    """Active, staffed windows that serve `item`: its department's windows minus removals,
    plus additions (self-service areas take no bookings). None for an item that is not
    published or does not support appointments (ServiceItem.appointment_supported)."""
    if not (item.is_published and item.appointment_supported):
        return Window.objects.none()
    overrides = WindowItemOverride.objects.filter(item=item)
    removed = overrides.filter(serves=False).values("window_id")
    added = overrides.filter(serves=True).values("window_id")
    by_department = Q(departments=item.department_id) & ~Q(pk__in=removed)
    return (Window.objects.filter(by_department | Q(pk__in=added), is_active=True)
            .exclude(kind=WindowKind.SELF_SERVICE).distinct())


def slots_for_item(item, *, after: dt.datetime | None = None, days: int | None = None,
                   only_free: bool = True) -> QuerySet[Slot]:
    """Bookable slots for `item` from `after` (default now) for `days` days (default: the
    booking horizon)."""
    start = max(after or clock.now(), clock.now())
    horizon = clock.local_date(start) + dt.timedelta(days=days or policy().booking_days)
    slots = Slot.objects.filter(window__in=windows_for_item(item).values("pk"),
                                start__gt=start, day__lte=horizon)
    if only_free:
        slots = slots.filter(booked__lt=F("capacity"))
    return slots.select_related("window", "hall").order_by("start", "hall__name", "window__number")


def next_free_slot(*, item, after: dt.datetime | None = None) -> Slot | None:
    """The earliest bookable slot for `item` after `after` (default: now), or None.

    The slot has `.start` (aware datetime), `.window` and `.hall`."""
    return slots_for_item(item, after=after).first()


def halls_for_item(item) -> list:
    """The halls with a free slot for `item`, for the booking page's hall choice."""
    hall_ids = slots_for_item(item).values("hall_id")
    return list(ServiceHall.objects.filter(pk__in=hall_ids).order_by("level", "name"))


def slot_days_for_item(item, *, after=None, hall=None) -> OrderedDict[dt.date, list[Slot]]:
    """Free slots (in `hall`, if given) grouped by day, in order: what the booking page
    shows."""
    slots = slots_for_item(item, after=after)
    if hall is not None:
        slots = slots.filter(hall=hall)
    days: OrderedDict[dt.date, list[Slot]] = OrderedDict()
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return days


def bookings_of(user) -> QuerySet[Booking]:
    return (Booking.objects.filter(applicant=user)
            .select_related("item", "slot__window", "slot__hall", "ticket")
            .order_by("-day", "-slot__start"))


def upcoming_bookings_of(user) -> QuerySet[Booking]:
    return bookings_of(user).filter(state__in=ACTIVE_STATES).order_by("slot__start")


def booking_get_for_user(*, user, pk: int) -> Booking:
    """The user's own booking, or one in the hall where the user works; else 404."""
    booking = (Booking.objects.select_related("item", "slot__window", "slot__hall", "applicant")
               .filter(pk=pk).first())
    if booking is None or not user.has_perm("appointments.view_booking", booking):
        raise Http404(_("预约不存在。"))
    return booking


def no_shows_since(user, since: dt.datetime) -> list[Booking]:
    return list(Booking.objects.filter(applicant=user, state=BookingState.NO_SHOW,
                                       slot__start__gte=since)
                .select_related("slot").order_by("-slot__start"))


def blocked_until(user, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """When a person blocked for no-shows may book again, or None if not blocked.

    Rule (conf): `no_show_limit` no-shows whose slots started within `no_show_window` block
    booking for `no_show_block` after the end of the latest of them."""
    rule = policy()
    now = now or clock.now()
    missed = no_shows_since(user, now - rule.no_show_window)
    if len(missed) < rule.no_show_limit:
        return None
    until = missed[0].slot.end + rule.no_show_block
    return until if until > now else None


def no_show_count(user, *, now: dt.datetime | None = None) -> int:
    now = now or clock.now()
    return len(no_shows_since(user, now - policy().no_show_window))


def hall_of(user):
    """The hall a clerk works in (through the user's window), or None."""
    return user.window.hall if getattr(user, "window_id", None) else None


def hall_day_bookings(*, hall, day: dt.date) -> QuerySet[Booking]:
    return (Booking.objects.filter(slot__hall=hall, day=day)
            .select_related("item", "slot__window", "applicant", "ticket")
            .order_by("slot__start", "pk"))


def hall_queue(*, hall, day: dt.date) -> dict[str, list]:
    """The queue screen: bookings still to check in, tickets waiting, tickets called."""
    bookings = list(hall_day_bookings(hall=hall, day=day))
    _attach_no_show_counts(bookings)
    return {
        "to_check_in": [b for b in bookings if b.state == BookingState.BOOKED],
        "waiting": sorted((b for b in bookings if b.state == BookingState.CHECKED_IN),
                          key=lambda b: (b.slot.start, b.ticket.number)),
        "called": [b for b in bookings if b.state == BookingState.CALLED],
        "done": [b for b in bookings if b.state in (BookingState.SERVED, BookingState.NO_SHOW)],
    }


def _attach_no_show_counts(bookings: list[Booking]) -> None:
    """`no_shows` on each booking: its applicant's no-shows in the rule's window (for staff)."""
    since = clock.now() - policy().no_show_window
    counts = dict(Booking.objects.filter(
        applicant_id__in={b.applicant_id for b in bookings}, state=BookingState.NO_SHOW,
        slot__start__gte=since).values("applicant_id").annotate(n=Count("pk"))
        .values_list("applicant_id", "n"))
    for booking in bookings:
        booking.no_shows = counts.get(booking.applicant_id, 0)


def callable_ids(*, window, day: dt.date) -> list[int]:
    """Checked-in bookings `window` may call on `day`, in calling order: those booked at this
    window first, then those at other windows of the hall for items this window also serves;
    within each, by slot, then ticket number."""
    waiting = list(Booking.objects.filter(slot__hall_id=window.hall_id, day=day,
                                          state=BookingState.CHECKED_IN)
                   .order_by("slot__start", "ticket__checked_in_at", "pk")
                   .values_list("pk", "slot__window_id", "item_id"))
    own = [pk for pk, window_id, _item in waiting if window_id == window.pk]
    other_items = {item for _pk, window_id, item in waiting if window_id != window.pk}
    served = {item for item in other_items
              if windows_for_item_id(item).filter(pk=window.pk).exists()}
    return own + [pk for pk, window_id, item in waiting
                  if window_id != window.pk and item in served]


def windows_for_item_id(item_id: int) -> QuerySet[Window]:
    return windows_for_item(ServiceItem.objects.only(
        "pk", "department_id", "is_published", "appointment_supported").get(pk=item_id))


def served_ticket_for_rating(*, user, ticket_id: int) -> QueueTicket | None:
    """A ticket `user` may rate: their own, served."""
    return (QueueTicket.objects.select_related("booking__item", "window", "served_by", "hall")
            .filter(pk=ticket_id, booking__applicant=user, booking__state=BookingState.SERVED)
            .first())


def in_queue(booking) -> bool:
    return booking.state in QUEUE_STATES
