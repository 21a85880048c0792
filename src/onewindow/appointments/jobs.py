"""The appointments job, run by `onewindow appointments tick` from cron (every few minutes).
Idempotent: a second run right after the first does nothing.

1. No-shows: a booking still BOOKED (never checked in) after its slot ended is marked
   `no_show` (each in its own transaction, through the one transition function).
2. Reminders: an active booking for tomorrow gets one reminder; `reminded_at` is set by a
   conditional UPDATE in the same transaction as the message, so two jobs running at once
   send it once. A booking changed to another day is reminded again.
3. Slots: the slots of the booking horizon are generated where missing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from onewindow.appointments import clock
from onewindow.appointments.conf import policy
from onewindow.appointments.enums import BookingState
from onewindow.appointments.errors import IllegalMove
from onewindow.appointments.models import Booking
from onewindow.appointments.services import slots_generate
from onewindow.appointments.services.booking import move, place, when
from onewindow.cases.notify import notify_users

logger = logging.getLogger("onewindow.appointments.jobs")


@dataclass
class TickSummary:
    at: dt.datetime
    no_shows: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)
    slots_created: int = 0

    def __str__(self) -> str:
        at = self.at.astimezone(clock.zone())
        return (f"appointments tick {at:%Y-%m-%d %H:%M}: {len(self.no_shows)} no-shows, "
                f"{len(self.reminded)} reminders, {self.slots_created} slots created")


def tick() -> TickSummary:
    now = clock.now()
    summary = TickSummary(at=now)
    summary.no_shows = mark_no_shows(now=now)
    summary.reminded = send_reminders(now=now)
    summary.slots_created = slots_generate(actor=None, start=clock.local_date(now),
                                           days=policy().booking_days + 1)
    return summary


def mark_no_shows(*, now: dt.datetime) -> list[int]:
    ids = Booking.objects.filter(state=BookingState.BOOKED, slot__end__lt=now).values_list(
        "pk", flat=True)
    marked = []
    for booking_id in list(ids):
        try:
            move(booking_id=booking_id, action="no_show", actor=None, perm=None,
                 note=_("预约时段结束仍未签到"))
        except IllegalMove:
            continue  # checked in or cancelled while the job ran
        marked.append(booking_id)
    return marked


def send_reminders(*, now: dt.datetime) -> list[int]:
    tomorrow = clock.local_date(now) + dt.timedelta(days=1)
    due = (Booking.objects.filter(day=tomorrow, state=BookingState.BOOKED,
                                  reminded_at__isnull=True)
           .select_related("applicant", "item", "slot__hall", "slot__window"))
    reminded = []
    for booking in due:
        with transaction.atomic():
            claimed = Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True,
                                             day=tomorrow).update(reminded_at=now)
            if not claimed:
                continue
            notify_users([booking.applicant], verb="booking_reminder",
                         title=_("预约提醒：明天 %(item)s") % {"item": booking.item.name},
                         body=_("%(when)s，%(place)s。请按时到场签到取号；不能前往请提前取消。") % {
                             "when": when(booking.slot), "place": place(booking.slot)},
                         link=reverse("appointments:mine"))
        reminded.append(booking.pk)
    return reminded
