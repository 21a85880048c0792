"""Slot generation from the halls' schedule rules and the working-day calendar.

A working day (including a make-up working Saturday) takes the hall's WORKDAY rules; an
ordinary Saturday or Sunday takes the SATURDAY/SUNDAY rules (only halls offering after-hours
service may have them); a public holiday, and a weekend day next to one, takes none. Days in
a year whose holiday arrangement is not entered yet get no slots (we cannot know whether they
are working days).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction

from onewindow.accounts.enums import WindowKind
from onewindow.accounts.models import ServiceHall
from onewindow.appointments import clock
from onewindow.appointments.enums import DayType
from onewindow.appointments.models import ScheduleRule, Slot, WindowItemOverride
from onewindow.audit.services import audit_record
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.selectors import day_info

logger = logging.getLogger("onewindow.appointments")


def day_type_of(day: dt.date) -> DayType | None:
    """Which rules apply on `day`, or None (a holiday, or a year not yet in the calendar)."""
    try:
        info = day_info(day)
    except CalendarNotCovered:
        return None
    if info.working:
        return DayType.WORKDAY
    if info.kind or _next_to_holiday(day):
        return None
    return DayType.SATURDAY if day.weekday() == 5 else DayType.SUNDAY


def _next_to_holiday(day: dt.date) -> bool:
    """A weekend day beside a public holiday is part of the holiday stretch (the notices list
    only the weekdays: 10-03 and 10-04 sit inside 国庆节 without being named)."""
    for other in (day - dt.timedelta(1), day + dt.timedelta(1)):
        try:
            info = day_info(other)
        except CalendarNotCovered:
            continue
        if not info.working and info.kind:
            return True
    return False


def _cuts(rule: ScheduleRule):
    """(start, end) times of the slots a rule makes; a last piece shorter than a slot is
    dropped."""
    step = dt.timedelta(minutes=rule.slot_minutes)
    moment = dt.datetime.combine(dt.date.min, rule.start)
    end = dt.datetime.combine(dt.date.min, rule.end)
    while moment + step <= end:
        yield moment.time(), (moment + step).time()
        moment += step


def _planned(hall: ServiceHall, rules: list[ScheduleRule], days: list[tuple[dt.date, DayType]]):
    windows = [w for w in hall.windows.all() if w.is_active and w.kind != WindowKind.SELF_SERVICE]
    for day, day_type in days:
        for rule in rules:
            if rule.day_type != day_type:
                continue
            for start, end in _cuts(rule):
                for window in windows:
                    yield Slot(hall=hall, window=window, day=day, start=clock.at(day, start),
                               end=clock.at(day, end), capacity=rule.capacity,
                               after_hours=rule.after_hours)


@transaction.atomic
def slots_generate(*, actor, start: dt.date | None = None, days: int = 14,
                   halls=None) -> int:
    """Create the missing slots of `days` days from `start` (default today) for `halls`
    (default every hall with rules). Idempotent: existing slots are left as they are.
    Returns how many were created."""
    start = start or clock.today()
    plan_days = [(d, t) for d in (start + dt.timedelta(n) for n in range(days))
                 if (t := day_type_of(d)) is not None]
    rules_by_hall: dict[int, list[ScheduleRule]] = defaultdict(list)
    rule_rows = ScheduleRule.objects.all()
    if halls is not None:
        rule_rows = rule_rows.filter(hall__in=halls)
    for rule in rule_rows:
        rules_by_hall[rule.hall_id].append(rule)
    created = 0
    for hall in ServiceHall.objects.filter(pk__in=rules_by_hall).prefetch_related("windows"):
        created += _generate_for_hall(actor, hall, rules_by_hall[hall.pk], plan_days, start, days)
    return created


def _generate_for_hall(actor, hall, rules, plan_days, start, days) -> int:
    existing = set(Slot.objects.filter(hall=hall, day__gte=start,
                                       day__lt=start + dt.timedelta(days))
                   .values_list("window_id", "start"))
    new = [s for s in _planned(hall, rules, plan_days) if (s.window.pk, s.start) not in existing]
    if not new:
        return 0
    Slot.objects.bulk_create(new, batch_size=500)
    audit_record(actor=actor, action="slots.generate", obj=hall,
                 new={"from": start.isoformat(), "days": days, "created": len(new)})
    logger.info("slots: %s new for %s from %s", len(new), hall, start)
    return len(new)


@transaction.atomic
def window_items_set(*, actor, window, item, serves: bool) -> WindowItemOverride:
    """Add an item to a window (serves=True) or remove one that its departments bring."""
    override, _created = WindowItemOverride.objects.update_or_create(
        window=window, item=item, defaults={"serves": serves})
    audit_record(actor=actor, action="window_item.set", obj=override,
                 new={"window": window.pk, "item": item.pk, "serves": serves})
    return override
