"""The set of values a condition lets through, to tell whether two rows can both match.

Numbers and dates are unions of intervals (dates as day numbers with closed ends, so that
"< 2025-01-02" and "> 2025-01-01" are seen not to overlap: no day lies between them). Text,
choices and yes/no are finite sets or the complement of one ("not in"). Each domain can
intersect another, say whether it is empty, and name one value inside it (the example shown
to the administrator when two rows overlap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Interval:
    lo: float
    lo_closed: bool
    hi: float
    hi_closed: bool

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    def meet(self, other: Interval) -> Interval:
        if self.lo != other.lo:
            lo, lo_closed = max((self.lo, self.lo_closed), (other.lo, other.lo_closed))
        else:
            lo, lo_closed = self.lo, self.lo_closed and other.lo_closed
        if self.hi != other.hi:
            hi, hi_closed = min((self.hi, self.hi_closed), (other.hi, other.hi_closed))
        else:
            hi, hi_closed = self.hi, self.hi_closed and other.hi_closed
        return Interval(lo, lo_closed, hi, hi_closed)

    def witness(self) -> float:
        if self.lo == self.hi:
            return self.lo
        if self.lo == -INF and self.hi == INF:
            return 0.0
        if self.lo == -INF:
            return self.hi if self.hi_closed else self.hi - 1
        if self.hi == INF:
            return self.lo if self.lo_closed else self.lo + 1
        if self.lo_closed:
            return self.lo
        if self.hi_closed:
            return self.hi
        return (self.lo + self.hi) / 2


EVERYTHING = (Interval(-INF, False, INF, False),)


@dataclass(frozen=True)
class Intervals:
    """A union of intervals over numbers (reals) or days (integers, `days=True`)."""

    parts: tuple[Interval, ...]
    days: bool = False

    def meet(self, other: Intervals) -> Intervals:
        parts = tuple(p for a in self.parts for b in other.parts
                      if not (p := a.meet(b)).empty)
        return Intervals(parts, self.days)

    @property
    def empty(self) -> bool:
        return not self.parts

    def witness(self) -> str:
        value = self.parts[0].witness()
        if self.days:
            if not 1 <= value <= dt.date.max.toordinal():  # unbounded both ways
                value = dt.date.today().toordinal()
            return dt.date.fromordinal(int(value)).isoformat()
        return f"{value:g}"


def closed(lo: float, hi: float) -> Interval:
    return Interval(lo, lo != -INF, hi, hi != INF)


def number_domain(op: str, values: tuple) -> Intervals:
    """The reals that `x op values` lets through."""
    v = values[0] if values else None
    parts = {
        "==": lambda: (closed(v, v),),
        "!=": lambda: (Interval(-INF, False, v, False), Interval(v, False, INF, False)),
        "<": lambda: (Interval(-INF, False, v, False),),
        "<=": lambda: (Interval(-INF, False, v, True),),
        ">": lambda: (Interval(v, False, INF, False),),
        ">=": lambda: (Interval(v, True, INF, False),),
        "between": lambda: (closed(values[0], values[1]),),
        "in": lambda: tuple(closed(x, x) for x in sorted(set(values))),
        "not in": lambda: _gaps(sorted(set(values))),
        "any": lambda: EVERYTHING,
    }[op]()
    return Intervals(tuple(p for p in parts if not p.empty))


def day_domain(op: str, values: tuple) -> Intervals:
    """The days that `x op values` lets through, as closed intervals of day numbers."""
    n = [d.toordinal() for d in values]
    v = n[0] if n else None
    parts = {
        "==": lambda: (closed(v, v),),
        "!=": lambda: (closed(-INF, v - 1), closed(v + 1, INF)),
        "<": lambda: (closed(-INF, v - 1),),
        "<=": lambda: (closed(-INF, v),),
        ">": lambda: (closed(v + 1, INF),),
        ">=": lambda: (closed(v, INF),),
        "between": lambda: (closed(n[0], n[1]),),
        "in": lambda: tuple(closed(x, x) for x in sorted(set(n))),
        "not in": lambda: _day_gaps(sorted(set(n))),
        "any": lambda: EVERYTHING,
    }[op]()
    return Intervals(tuple(p for p in parts if not p.empty), days=True)


def _gaps(points: list[float]) -> tuple[Interval, ...]:
    bounds = [-INF, *points, INF]
    return tuple(Interval(a, False, b, False) for a, b in zip(bounds, bounds[1:], strict=False))


def _day_gaps(points: list[int]) -> tuple[Interval, ...]:
    bounds = [-INF, *points, INF]
    return tuple(closed(a + 1 if a != -INF else a, b - 1 if b != INF else b)
                 for a, b in zip(bounds, bounds[1:], strict=False))


@dataclass(frozen=True)
class Discrete:
    """A finite set of values, or (`negated`) everything except one. `universe` is the whole
    set of possible values when it is finite (choices, yes/no), None for free text."""

    values: frozenset
    negated: bool = False
    universe: frozenset | None = None

    def meet(self, other: Discrete) -> Discrete:
        if not self.negated and not other.negated:
            return Discrete(self.values & other.values, False, self.universe)
        if self.negated and other.negated:
            return Discrete(self.values | other.values, True, self.universe)
        positive, negative = (self, other) if not self.negated else (other, self)
        return Discrete(positive.values - negative.values, False, self.universe)

    def _members(self) -> frozenset | None:
        if not self.negated:
            return self.values
        return None if self.universe is None else self.universe - self.values

    @property
    def empty(self) -> bool:
        members = self._members()
        return members is not None and not members

    def witness(self) -> str:
        members = self._members()
        if members is None:
            return "…"  # free text: any text other than the excluded values
        value = sorted(members, key=str)[0]
        if isinstance(value, bool):
            return "是" if value else "否"
        return str(value)


def discrete_domain(op: str, values: tuple, universe: frozenset | None) -> Discrete:
    if op == "any":
        return Discrete(frozenset(), True, universe)
    negated = op in ("!=", "not in")
    return Discrete(frozenset(values), negated, universe)
