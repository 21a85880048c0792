"""Deadline arithmetic over an immutable, in-memory snapshot of the working-day calendar.

Definitions (the same in every function, the API and the CLI):

- `add(start, n)` is the Nth working day *after* `start`; `start` itself is never counted
  (民法典 Art. 201: the first day of a period is not counted). n=1 from a Friday is the next
  working day. n=0 returns `start` unchanged, whatever kind of day it is.
- `between(start, end)` counts the working days d with start < d <= end, so that
  `between(d, add(d, n).date) == n` for every n >= 0. It is negative when end < start:
  `between(a, b) == -between(b, a)`.
- A pause `(p_start, p_end)` takes the working days d with p_start < d <= p_end out of the
  count: the day the clock stops (p_start) still counts, the day it restarts (p_end) does not,
  and the working days in a pause are exactly `between(p_start, p_end)`. A case suspended and
  resumed on the same day loses nothing. Overlapping pauses are merged; parts of a pause on or
  before `start` change nothing.
- A result "touches" every year from the year of `start` to the year of the result (or of
  `end`). Any of those years without an arrangement raises `CalendarNotCovered`; any of them
  that is provisional makes the result provisional.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
from django.utils.translation import gettext as _

from onewindow.workdays.enums import DayKind
from onewindow.workdays.errors import CalendarNotCovered, WorkdaysInputError

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # numpy datetime64[D] counts from here


class Deadline(NamedTuple):
    date: dt.date
    provisional: bool


# NamedTuple's generated __new__ costs a third of a call; the hot path builds the tuple directly.
_deadline = tuple.__new__


class DayInfo(NamedTuple):
    date: dt.date
    working: bool
    provisional: bool
    kind: str  # "" for an ordinary weekday or weekend day
    name: str


class WorkCalendar:
    """Never mutated after construction; a new one is built when the database changes."""

    def __init__(self, *, years: Mapping[int, bool], days: Mapping[dt.date, tuple[str, str]],
                 token: str | None = None):
        """`years` maps each covered year to whether it is provisional; `days` maps an
        exception date to (kind, name)."""
        self.token = token
        self.years = dict(years)
        self.days = dict(days)
        self._ords = _working_ordinals(self.years, self.days)
        self._dates = [dt.date.fromordinal(o) for o in self._ords]
        self._np_days = np.asarray(self._ords, dtype=np.int64) - EPOCH_ORDINAL
        self._y0 = min(self.years, default=0)
        self._y1 = max(self.years, default=-1)
        self._uncovered, self._provisional = _year_prefixes(self.years, self._y0, self._y1)

    # --- coverage ----------------------------------------------------------------------
    def check_span(self, first_year: int, last_year: int) -> bool:
        """True when a year in the span is provisional; raises if one is not covered."""
        lo, hi = first_year - self._y0, last_year - self._y0 + 1
        if lo < 0 or last_year > self._y1 or self._uncovered[hi] != self._uncovered[lo]:
            raise CalendarNotCovered(self.first_uncovered(first_year))
        return self._provisional[hi] != self._provisional[lo]

    def first_uncovered(self, year: int) -> int:
        while year in self.years:
            year += 1
        return year

    # --- single dates ------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        self.check_span(day.year, day.year)
        o = day.toordinal()
        i = bisect_left(self._ords, o)
        return i < len(self._ords) and self._ords[i] == o

    def day_info(self, day: dt.date) -> DayInfo:
        working = self.is_working_day(day)
        kind, name = self.days.get(day, ("", ""))
        return DayInfo(day, working, self.years[day.year], kind, name)

    def add(self, start: dt.date, n: int, pauses: Iterable[tuple] | None = None) -> Deadline:
        if n < 0:
            raise WorkdaysInputError(_negative_days_message())
        if n == 0:
            return Deadline(start, self.check_span(start.year, start.year))
        s = start.toordinal()
        k = bisect_right(self._ords, s) + n - 1
        if pauses:
            k = self._skip_pauses(k, s, merge_pauses(pauses))
        if k >= len(self._dates):
            raise CalendarNotCovered(self.first_uncovered(start.year))
        result = self._dates[k]
        return _deadline(Deadline, (result, self.check_span(start.year, result.year)))

    def between(self, start: dt.date, end: dt.date, pauses: Iterable[tuple] | None = None) -> int:
        if end < start:
            return -self.between(end, start, pauses)
        self.check_span(start.year, end.year)
        s, e = start.toordinal(), end.toordinal()
        count = bisect_right(self._ords, e) - bisect_right(self._ords, s)
        for a, b in merge_pauses(pauses or ()):
            lo, hi = max(a, s), min(b, e)
            if hi > lo:
                count -= bisect_right(self._ords, hi) - bisect_right(self._ords, lo)
        return count

    def _skip_pauses(self, k: int, s: int, pauses: list[tuple[int, int]]) -> int:
        """Move index k (the result without pauses) past the working days inside pauses.

        Pauses are merged and sorted: each one either begins at or after the current result
        (and so does not matter, nor do the later ones) or pushes the result by the number of
        working days it holds after `s`.
        """
        ords = self._ords
        for a, b in pauses:
            lo = max(a, s)
            if b <= lo:
                continue
            if k >= len(ords) or ords[k] <= lo:
                break
            k += bisect_right(ords, b) - bisect_right(ords, lo)
        return k

    # --- many dates at once --------------------------------------------------------------
    def add_many(self, starts, days) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised `add` without pauses.

        `starts`: dates or anything numpy reads as datetime64[D]; `days`: an int or an array
        of the same length. Returns (datetime64[D] results, bool provisional flags). Raises
        `CalendarNotCovered` naming the earliest missing year if any element needs one.
        """
        s = np.asarray(starts, dtype="datetime64[D]").astype(np.int64)
        n = np.broadcast_to(np.asarray(days, dtype=np.int64), s.shape)
        if (n < 0).any():
            raise WorkdaysInputError(_negative_days_message())
        idx = np.searchsorted(self._np_days, s, side="right") + n - 1
        over = (n > 0) & (idx >= len(self._np_days))
        if over.any():
            raise CalendarNotCovered(self.first_uncovered(int(_years_of(s[over]).min())))
        picked = self._np_days[np.minimum(idx, len(self._np_days) - 1)] if len(self._np_days) \
            else s
        result = np.where(n == 0, s, picked)
        provisional = self._check_spans_many(_years_of(s), _years_of(result))
        return result.astype("datetime64[D]"), provisional

    def _check_spans_many(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        unc = np.asarray(self._uncovered)
        prov = np.asarray(self._provisional)
        outside = (first < self._y0) | (last > self._y1)
        lo = np.clip(first - self._y0, 0, len(unc) - 1)
        hi = np.clip(last - self._y0 + 1, 0, len(unc) - 1)
        bad = outside | (unc[hi] != unc[lo])
        if bad.any():
            raise CalendarNotCovered(self.first_uncovered(int(first[bad].min())))
        return prov[hi] != prov[lo]


def merge_pauses(pauses: Iterable[tuple]) -> list[tuple[int, int]]:
    """Pauses as sorted, non-overlapping (start, end) ordinals; rejects a reversed pause."""
    spans = []
    for p_start, p_end in pauses:
        if p_end < p_start:
            raise WorkdaysInputError(
                _pause_message() % {"start": p_start.isoformat(), "end": p_end.isoformat()}
            )
        spans.append((p_start.toordinal(), p_end.toordinal()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _working_ordinals(years: Mapping[int, bool], days: Mapping[dt.date, tuple[str, str]]):
    ords = []
    for year in sorted(years):
        day = dt.date(year, 1, 1)
        for o in range(day.toordinal(), dt.date(year, 12, 31).toordinal() + 1):
            day = dt.date.fromordinal(o)
            kind = days.get(day, (None,))[0]
            if kind == DayKind.WORKDAY or (kind is None and day.weekday() < 5):
                ords.append(o)
    return ords


def _year_prefixes(years: Mapping[int, bool], y0: int, y1: int) -> tuple[list[int], list[int]]:
    """Running counts of uncovered and provisional years, so a span is checked in O(1)."""
    uncovered, provisional = [0], [0]
    for year in range(y0, y1 + 1):
        uncovered.append(uncovered[-1] + (year not in years))
        provisional.append(provisional[-1] + bool(years.get(year, False)))
    return uncovered, provisional


def _years_of(epoch_days: np.ndarray) -> np.ndarray:
    return epoch_days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _negative_days_message() -> str:
    return _("工作日天数不能为负数")


def _pause_message() -> str:
    return _("暂停区间的结束日期 %(end)s 早于开始日期 %(start)s")
