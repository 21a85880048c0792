"""The demo zone's appointments data; idempotent, called by `onewindow seed`.

Every demo hall gets a schedule (the centre, which offers after-hours service, also lunch-time
and evening slots on working days and Saturday mornings), two weeks of slots from the seed day,
and the demo applicant one booking at the centre's window 01.
"""

from __future__ import annotations

import datetime as dt

from onewindow.accounts.models import ServiceHall, User, Window
from onewindow.appointments import clock
from onewindow.appointments.enums import DayType
from onewindow.appointments.models import Booking, ScheduleRule, Slot
from onewindow.appointments.services import booking_create, slots_generate
from onewindow.catalog.models import ServiceItem

T = dt.time
# (day type, start, end, capacity per window and slot, after-hours)
REGULAR = [(DayType.WORKDAY, T(9), T(12), 2, False), (DayType.WORKDAY, T(13, 30), T(17), 2, False)]
AFTER_HOURS = [(DayType.WORKDAY, T(12), T(13, 30), 1, True),
               (DayType.WORKDAY, T(17), T(19), 1, True),
               (DayType.SATURDAY, T(9), T(12), 1, True)]
DEMO_BOOKING = {"username": "applicant", "hall": "center", "window": "01", "department": "market"}


def seed_demo_appointments() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    created = sum(_schedule(hall) for hall in ServiceHall.objects.all())
    created += slots_generate(actor=None, start=clock.today(), days=14)
    return created + _demo_booking()


def _schedule(hall: ServiceHall) -> int:
    if hall.schedule_rules.exists():
        return 0
    rules = REGULAR + (AFTER_HOURS if hall.offers_after_hours else [])
    for day_type, start, end, capacity, after_hours in rules:
        rule = ScheduleRule(hall=hall, day_type=day_type, start=start, end=end,
                            capacity=capacity, after_hours=after_hours)
        rule.full_clean()
        rule.save()
    return len(rules)


def _demo_booking() -> int:
    spec = DEMO_BOOKING
    applicant = User.objects.filter(username=spec["username"]).first()
    window = Window.objects.filter(hall__code=spec["hall"], number=spec["window"]).first()
    item = (ServiceItem.objects.filter(department__code=spec["department"], is_published=True,
                                       appointment_supported=True)
            .order_by("pk").first()) if window else None
    if applicant is None or item is None or Booking.objects.filter(applicant=applicant).exists():
        return 0
    tomorrow = clock.today() + dt.timedelta(days=1)
    slot = (Slot.objects.filter(window=window, day__gte=tomorrow, after_hours=False)
            .order_by("start").first())
    if slot is None:
        return 0
    booking_create(actor=applicant, item=item, slot_id=slot.pk)
    return 1
