"""add / between / pauses / vectorised, on the generated calendar."""

import datetime as dt

import numpy as np
import pytest

from onewindow.workdays.errors import CalendarNotCovered, WorkdaysInputError
from onewindow.workdays.selectors import (
    add_working_days,
    add_working_days_many,
    span_is_provisional,
    working_days_between,
)
from onewindow.workdays.services import calendar_year_enter
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("start", "n", "expected"), [
    ("2026-03-06", 1, "2026-03-09"),   # Friday + 1: the next Monday, Friday not counted
    ("2026-03-09", 1, "2026-03-10"),
    ("2026-03-07", 1, "2026-03-09"),   # from a Saturday
    ("2026-02-13", 1, "2026-02-14"),   # Friday + 1 is the make-up Saturday
    ("2026-02-14", 1, "2026-02-24"),   # across the whole Spring Festival
    ("2026-02-13", 3, "2026-02-25"),
    ("2026-02-27", 1, "2026-02-28"),   # the second make-up Saturday
    ("2025-09-26", 1, "2025-09-28"),   # make-up Sunday before the golden week
    ("2025-09-30", 1, "2025-10-09"),   # 2025 golden week: Oct 1–8 off
    ("2025-09-30", 2, "2025-10-10"),
    ("2025-09-30", 3, "2025-10-11"),   # make-up Saturday after it
    ("2024-09-30", 1, "2024-10-08"),
    ("2026-09-30", 1, "2026-10-08"),
    ("2025-01-24", 1, "2025-01-26"),   # Fri → make-up Sun
    ("2025-01-27", 1, "2025-02-05"),   # 除夕 2025 and the Spring Festival off
    ("2024-02-08", 1, "2024-02-09"),   # 除夕 2024 was a working day
    ("2025-04-30", 1, "2025-05-06"),   # May 1–5 off in 2025
    ("2026-03-02", 20, "2026-03-30"),  # a legal 20-day limit
])
def test_add_working_days_on_notice_dates(start, n, expected):
    deadline = add_working_days(d(start), n)
    assert deadline.date == d(expected)
    assert deadline.provisional is False


@pytest.mark.parametrize("start", ["2026-03-07", "2026-03-09", "2026-02-16"])
def test_add_working_days_zero_returns_start(start):
    assert add_working_days(d(start), 0).date == d(start)
    assert working_days_between(d(start), d(start)) == 0


def test_add_working_days_negative_is_refused_in_chinese():
    with pytest.raises(WorkdaysInputError, match="不能为负数"):
        add_working_days(d("2026-03-02"), -1)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(d("2026-02-13"), d("2026-02-24")) == 2  # 14th, 24th
    assert working_days_between(d("2026-02-24"), d("2026-02-13")) == -2
    assert working_days_between(d("2026-03-06"), d("2026-03-08")) == 0


def test_deadline_into_uncovered_2027_fails_clearly():
    assert add_working_days(d("2026-12-20"), 9).date == d("2026-12-31")
    with pytest.raises(CalendarNotCovered) as info:
        add_working_days(d("2026-12-20"), 10)
    assert info.value.year == 2027
    assert info.value.message == "2027年的节假日安排尚未录入，无法计算期限"


@pytest.mark.parametrize("call", [
    lambda: add_working_days(d("2027-01-04"), 0),
    lambda: add_working_days(d("2003-12-31"), 1),
    lambda: working_days_between(d("2026-12-01"), d("2027-01-10")),
    lambda: span_is_provisional(d("2026-12-01"), d("2027-01-10")),
])
def test_uncovered_years_raise_calendar_not_covered(call):
    with pytest.raises(CalendarNotCovered):
        call()


def test_deadline_into_2027_succeeds_provisional_once_entered(enter_2027):
    enter_2027()
    deadline = add_working_days(d("2026-12-20"), 10)
    assert deadline == (d("2027-01-04"), True)  # Jan 1 off, Jan 2–3 weekend
    assert add_working_days(d("2026-12-20"), 9).provisional is False
    assert working_days_between(d("2026-12-20"), d("2027-01-04")) == 10


def test_year_gap_is_not_bridged(enter_2027):
    enter_2027()
    calendar_year_enter(actor=None, year=2029, status="provisional", days=[])
    with pytest.raises(CalendarNotCovered) as info:
        add_working_days(d("2027-12-20"), 30)
    assert info.value.year == 2028


# --- pauses: working days d with p_start < d <= p_end do not count --------------------------

@pytest.mark.parametrize(("pauses", "expected"), [
    ([], "2026-03-09"),
    ([("2026-03-03", "2026-03-05")], "2026-03-11"),           # Mar 4, 5 excluded
    ([("2026-03-04", "2026-03-04")], "2026-03-09"),           # same-day pause: nothing
    ([("2026-02-20", "2026-02-27")], "2026-03-09"),           # wholly before start
    ([("2026-02-27", "2026-03-04")], "2026-03-11"),           # overlaps start: Mar 3, 4 out
    ([("2026-03-03", "2026-03-05"), ("2026-03-04", "2026-03-06")], "2026-03-12"),  # merged
    ([("2026-03-10", "2026-03-20")], "2026-03-09"),           # after the result
    ([("2026-03-09", "2026-03-10")], "2026-03-09"),           # begins on the result day
    ([("2026-03-08", "2026-03-09")], "2026-03-10"),           # takes the result day
    ([("2026-03-03", "2026-03-04"), ("2026-03-05", "2026-03-06")], "2026-03-11"),  # 4, 6 out
])
def test_add_working_days_with_pauses(pauses, expected):
    spans = [(d(a), d(b)) for a, b in pauses]
    result = add_working_days(d("2026-03-02"), 5, pauses=spans).date
    assert result == d(expected)
    assert working_days_between(d("2026-03-02"), result, pauses=spans) == 5


def test_pause_over_spring_festival_costs_only_its_working_days():
    # (Feb 13, Feb 28] holds six working days: Sat Feb 14, Feb 24–27, Sat Feb 28.
    pauses = [(d("2026-02-13"), d("2026-02-28"))]
    assert working_days_between(d("2026-02-13"), d("2026-02-28")) == 6
    assert add_working_days(d("2026-02-12"), 2, pauses=pauses).date == d("2026-03-02")


def test_reversed_pause_is_refused_in_chinese():
    with pytest.raises(WorkdaysInputError, match="早于开始日期"):
        add_working_days(d("2026-03-02"), 5, pauses=[(d("2026-03-05"), d("2026-03-03"))])


# --- vectorised ------------------------------------------------------------------------------

def test_add_working_days_many_equals_scalar():
    starts = [d("2026-02-13"), d("2025-09-30"), d("2024-02-08"), d("2026-03-07")]
    days = [3, 1, 1, 0]
    results, provisional = add_working_days_many(starts, days)
    expected = [add_working_days(s, n).date for s, n in zip(starts, days, strict=True)]
    assert results.tolist() == expected
    assert not provisional.any()


def test_add_working_days_many_broadcasts_and_flags_provisional(enter_2027):
    enter_2027()
    starts = np.array(["2026-12-20", "2026-06-01"], dtype="datetime64[D]")
    results, provisional = add_working_days_many(starts, 10)
    assert results.tolist() == [d("2027-01-04"), dt.date(2026, 6, 15)]
    assert provisional.tolist() == [True, False]


def test_add_working_days_many_uncovered_raises():
    with pytest.raises(CalendarNotCovered) as info:
        add_working_days_many([d("2026-06-01"), d("2026-12-20")], 10)
    assert info.value.year == 2027
    with pytest.raises(WorkdaysInputError):
        add_working_days_many([d("2026-06-01")], -1)
