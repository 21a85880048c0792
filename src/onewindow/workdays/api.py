"""Working-day arithmetic over HTTP: /api/workdays/… (public, read-only).

Dates are YYYY-MM-DD. A bad date, a negative number of days or a year with no arrangement is a
422 with a Chinese `detail`; the same errors as the selectors raise, the same words.
"""

import datetime as dt
from contextlib import contextmanager

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from onewindow.core.schemas import ErrorOut
from onewindow.workdays.errors import WorkdaysError
from onewindow.workdays.importing import parse_iso_date
from onewindow.workdays.selectors import (
    add_working_days,
    day_info,
    span_is_provisional,
    working_days_between,
)

router = Router(tags=["workdays"])

DATE_HELP = "YYYY-MM-DD"


class DeadlineOut(Schema):
    date: dt.date
    provisional: bool


class BetweenOut(Schema):
    days: int
    provisional: bool


class DayOut(Schema):
    date: dt.date
    working: bool
    provisional: bool
    kind: str
    name: str


@contextmanager
def _as_422():
    """Domain errors become 422 {"detail": "<中文>"} (ninja's HttpError handler)."""
    try:
        yield
    except WorkdaysError as exc:
        raise HttpError(422, exc.message) from None


def _date_param(description: str):
    return Query(..., description=description, example="2026-01-05")


@router.get("/add", response={200: DeadlineOut, 422: ErrorOut}, summary="N 个工作日后的日期")
def add(request, start: str = _date_param("起算日（不计入） " + DATE_HELP),
        days: int = Query(..., description="工作日天数，≥ 0")):
    """The Nth working day after `start` (start not counted; days=0 returns start)."""
    with _as_422():
        deadline = add_working_days(parse_iso_date(start), days)
    return {"date": deadline.date, "provisional": deadline.provisional}


@router.get("/between", response={200: BetweenOut, 422: ErrorOut}, summary="两日之间的工作日数")
def between(request, start: str = _date_param("起算日（不计入） " + DATE_HELP),
            end: str = _date_param("截止日（计入） " + DATE_HELP)):
    """Working days d with start < d <= end (negative when end is before start)."""
    with _as_422():
        first, last = parse_iso_date(start), parse_iso_date(end)
        count = working_days_between(first, last)
        provisional = span_is_provisional(first, last)
    return {"days": count, "provisional": provisional}


@router.get("/is-working-day", response={200: DayOut, 422: ErrorOut}, summary="是否工作日")
def is_working_day(request, date: str = _date_param(DATE_HELP)):
    with _as_422():
        info = day_info(parse_iso_date(date))
    return info._asdict()
