"""The calendar each process keeps in memory, and when it looks for a newer one.

A process holds one immutable `WorkCalendar` with the `CalendarVersion.token` it was built
from. Before using it, it re-reads the token (one primary-key read) when a new request has
started since the last look, or when `WORKDAYS_RECHECK_SECONDS` (default 5) have passed — so
a web process sees an edit on its next request and a long-running command within seconds.
The process that makes the edit drops its copy at once. Nothing here is shared between
processes; the database is the only source of truth.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch

from onewindow.workdays.enums import YearStatus
from onewindow.workdays.models import CalendarDay, CalendarVersion, CalendarYear
from onewindow.workdays.workcalendar import WorkCalendar


class _Slot:
    """Replaced wholesale, never edited in place, so threads see an old or a new calendar."""

    calendar: WorkCalendar | None = None
    fresh_until: float = float("-inf")  # time.monotonic() until which no token check is due


_slot = _Slot()


def current_calendar() -> WorkCalendar:
    calendar = _slot.calendar
    if calendar is not None and time.monotonic() < _slot.fresh_until:
        return calendar  # the hot path: no settings lookup, no query
    return token_seen(current_token())


def expire(**_kwargs) -> None:
    """Look at the database token before the next use (connected to `request_started`)."""
    _slot.fresh_until = float("-inf")


def drop() -> None:
    """Forget the calendar altogether: the next use rebuilds it from the database."""
    _slot.calendar = None
    _slot.fresh_until = float("-inf")


def current_token() -> str | None:
    # Read on every request: a plain statement, not an ORM query to compile each time.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {token_subquery()}")
        row = cursor.fetchone()
    return row[0] if row else None


def token_subquery() -> str:
    """The token as a scalar subquery, for a hot read that takes it along with its own row
    and hands it to `token_seen` (the status endpoint): one round trip fewer per request."""
    return f"(SELECT token FROM {CalendarVersion._meta.db_table} WHERE id = 1)"


def token_seen(token: str | None) -> WorkCalendar:
    """The calendar of the database's token `token`, read in this request (by
    `current_calendar`, or by a hot read that took it along with its own row): the one held
    when it has that token, else rebuilt; fresh, with no query, until the next recheck."""
    calendar = _slot.calendar
    if calendar is None or calendar.token != token:
        calendar = load_calendar(token)
        _slot.calendar = calendar
    _slot.fresh_until = time.monotonic() + _recheck_seconds()
    return calendar


def load_calendar(token: str | None) -> WorkCalendar:
    """Build a snapshot. Read the token first: a concurrent edit then leaves a token that is
    older than the rows, which only causes one extra rebuild, never a stale calendar."""
    years = CalendarYear.objects.prefetch_related(
        Prefetch("days", queryset=CalendarDay.objects.only("calendar_year_id", "date", "kind",
                                                           "name"))
    )
    year_map, day_map = {}, {}
    for year in years:
        year_map[year.year] = year.status == YearStatus.PROVISIONAL
        for day in year.days.all():
            day_map[day.date] = (day.kind, day.name)
    return WorkCalendar(years=year_map, days=day_map, token=token)


def _recheck_seconds() -> float:
    return getattr(settings, "WORKDAYS_RECHECK_SECONDS", 5.0)
