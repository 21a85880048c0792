"""Reads: the calendar's years and days, and deadline arithmetic on the current calendar.

Every arithmetic function here takes dates (`datetime.date`) and follows the definitions at the
top of `workcalendar.py`. A caller that computes many deadlines in a loop may take the calendar
once with `current_calendar()` and call its methods directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np

from onewindow.workdays.cache import current_calendar
from onewindow.workdays.models import CalendarDay, CalendarYear
from onewindow.workdays.workcalendar import DayInfo, Deadline

__all__ = [
    "Deadline", "DayInfo", "add_working_days", "add_working_days_many", "calendar_days_of",
    "calendar_year_list", "current_calendar", "day_info", "is_working_day", "span_is_provisional",
    "working_days_between",
]


def is_working_day(day: dt.date) -> bool:
    """Raises `CalendarNotCovered` for a year with no arrangement."""
    return current_calendar().is_working_day(day)


def day_info(day: dt.date) -> DayInfo:
    return current_calendar().day_info(day)


def add_working_days(start: dt.date, n: int,
                     pauses: Iterable[tuple[dt.date, dt.date]] | None = None) -> Deadline:
    """The Nth working day after `start` (start not counted), skipping working days in pauses.

    Returns `Deadline(date, provisional)`.
    """
    return current_calendar().add(start, n, pauses)


def working_days_between(start: dt.date, end: dt.date,
                         pauses: Iterable[tuple[dt.date, dt.date]] | None = None) -> int:
    """Working days d with start < d <= end, minus those in pauses; negative if end < start."""
    return current_calendar().between(start, end, pauses)


def span_is_provisional(start: dt.date, end: dt.date) -> bool:
    """Whether a year from start to end is provisional; raises if one is not covered."""
    first, last = sorted((start.year, end.year))
    return current_calendar().check_span(first, last)


def add_working_days_many(starts, days) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `add_working_days` (no pauses): (datetime64[D] results, provisional flags)."""
    return current_calendar().add_many(starts, days)


def calendar_year_list():
    return CalendarYear.objects.order_by("year")


def calendar_days_of(year: int):
    return CalendarDay.objects.filter(calendar_year__year=year).order_by("date")
