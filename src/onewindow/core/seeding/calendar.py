"""The demo's working-day calendar beyond the packages' last year.

The State Council's notice for a new year comes out around November; until an administrator
enters it, deadlines that run into that year cannot be computed. So that the demo zone works
all year, the seed enters the next uncovered year as *provisional* (weekends off, New Year's
Day off, nothing else) — every deadline computed on it says "暂定", and entering the real
notice replaces it. A production zone enters the notice instead (docs/workdays.md).
"""

from __future__ import annotations

import datetime as dt

from onewindow.workdays.enums import DayKind, YearStatus
from onewindow.workdays.models import CalendarYear
from onewindow.workdays.services import DaySpec, calendar_year_enter

NOTICE = "演示用暂定日历：仅含周末和元旦，待国务院办公厅发布当年节假日安排后录入替换"


def seed_provisional_year() -> int | None:
    """Enter the year after the last covered one as provisional, once. Returns the year."""
    last = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    if last is None or last > dt.date.today().year:
        return None
    year = last + 1
    calendar_year_enter(actor=None, year=year, status=YearStatus.PROVISIONAL, notice=NOTICE,
                        days=[DaySpec(dt.date(year, 1, 1), DayKind.HOLIDAY, "元旦")])
    return year
