"""Properties of the arithmetic over 2006–2025, against an independent day-by-day oracle.

The calendar is read from the database once per test; hypothesis then drives the pure
`WorkCalendar` (the selectors only add the cache lookup).
"""

import datetime as dt

import chinese_calendar
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.workdays.workcalendar import WorkCalendar

STARTS = st.dates(min_value=dt.date(2006, 1, 1), max_value=dt.date(2025, 6, 30))
DAYS = st.integers(min_value=0, max_value=250)  # ~1 year: the result stays before 2027
SHORT = st.integers(min_value=0, max_value=40)
PAUSES = st.lists(
    st.tuples(st.integers(min_value=-20, max_value=120), st.integers(min_value=0, max_value=30)),
    max_size=4,
)


def naive_add(start: dt.date, n: int) -> dt.date:
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def as_pauses(start: dt.date, raw) -> list[tuple[dt.date, dt.date]]:
    return [(start + dt.timedelta(days=a), start + dt.timedelta(days=a + length))
            for a, length in raw]


def test_add_between_roundtrip_and_monotonic(calendar: WorkCalendar):
    @settings(max_examples=300, deadline=None)
    @given(STARTS, DAYS, DAYS)
    def check(start, n, m):
        result = calendar.add(start, n).date
        assert calendar.between(start, result) == n
        assert calendar.between(result, start) == -n
        if n > 0:
            assert result > start and calendar.is_working_day(result)
        lo, hi = sorted((n, m))
        assert calendar.add(start, lo).date <= calendar.add(start, hi).date
        assert calendar.add(start + dt.timedelta(days=1), n).date >= result

    check()


def test_add_matches_day_by_day_chinesecalendar(calendar: WorkCalendar):
    @settings(max_examples=200, deadline=None)
    @given(STARTS, SHORT)
    def check(start, n):
        assert calendar.add(start, n).date == naive_add(start, n)

    check()


def test_add_with_pauses_roundtrip(calendar: WorkCalendar):
    @settings(max_examples=300, deadline=None)
    @given(STARTS, SHORT, PAUSES)
    def check(start, n, raw):
        pauses = as_pauses(start, raw)
        result = calendar.add(start, n, pauses).date
        assert calendar.between(start, result, pauses) == n
        assert result >= calendar.add(start, n).date
        paused = sum(calendar.between(max(a, start), min(b, result))
                     for a, b in _merged(pauses) if min(b, result) > max(a, start))
        assert calendar.between(start, result) == n + paused

    check()


def test_add_many_equals_scalar(calendar: WorkCalendar):
    @settings(max_examples=50, deadline=None)
    @given(st.lists(st.tuples(STARTS, DAYS), min_size=1, max_size=30))
    def check(pairs):
        starts = np.array([s for s, _n in pairs], dtype="datetime64[D]")
        results, provisional = calendar.add_many(starts, [n for _s, n in pairs])
        assert results.tolist() == [calendar.add(s, n).date for s, n in pairs]
        assert not provisional.any()

    check()


def _merged(pauses):
    merged = []
    for a, b in sorted(pauses):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
