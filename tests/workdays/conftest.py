"""Fixtures for the working-day tests. (The autouse cache reset is in tests/conftest.py.)"""

import datetime as dt

import pytest

from onewindow.workdays import cache
from onewindow.workdays.enums import DayKind, YearStatus
from onewindow.workdays.services import DaySpec, calendar_year_enter


@pytest.fixture
def calendar(db):
    return cache.current_calendar()


@pytest.fixture
def enter_2027(db):
    """Enter 2027 as a provisional year with New Year's Day off (the notice is not out)."""

    def enter(actor=None, status=YearStatus.PROVISIONAL):
        return calendar_year_enter(
            actor=actor, year=2027, status=status, notice="暂定：参照往年",
            days=[DaySpec(dt.date(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
        )

    return enter


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
