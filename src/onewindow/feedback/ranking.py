"""Benchmark windows (标杆窗口): the monthly ranking of windows and of clerks.

For each window (and each clerk) in a month:
- satisfaction S = ratings at 基本满意 or better / all ratings given in the month;
- on-time rate T = cases completed in the month whose decision came by the promised limit
  (the legal limit when there is no promise) / cases completed in the month;
- volume V = cases completed in the month / the largest such number among the ranked;
- score = 100 × (0.5·S + 0.3·T + 0.2·V), rounded to one decimal.
A unit needs at least one rating and one completed case in the month to be ranked; the others
are listed as "样本不足". Third-party survey scores for the month are shown beside (not in the
score): the mean over the agencies that surveyed the window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from onewindow.accounts.models import Window
from onewindow.feedback.case_subject import completed_cases_between
from onewindow.feedback.enums import Level
from onewindow.feedback.models import Rating, SurveyResult

WEIGHTS = {"satisfaction": Decimal("0.5"), "on_time": Decimal("0.3"), "volume": Decimal("0.2")}


@dataclass
class Row:
    unit: object  # a Window or a User
    ratings: int = 0
    satisfied: int = 0
    average_level: float | None = None
    cases: int = 0
    on_time: int = 0
    score: Decimal | None = None
    rank: int | None = None
    survey_score: Decimal | None = None
    survey_samples: int = 0

    @property
    def satisfaction(self) -> Decimal | None:
        return _share(self.satisfied, self.ratings)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _share(self.on_time, self.cases)

    @property
    def ranked(self) -> bool:
        return self.ratings > 0 and self.cases > 0


@dataclass(frozen=True)
class Ranking:
    month: dt.date
    windows: list[Row]
    clerks: list[Row]


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first instant of the month, first instant of the next) in the zone's time zone."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (dt.datetime.combine(first, dt.time.min, tzinfo=zone),
            dt.datetime.combine(following, dt.time.min, tzinfo=zone))


def monthly_ranking(month: dt.date) -> Ranking:
    start, end = month_bounds(month)
    cases = completed_cases_between(start, end)
    windows = _rows("window", start, end, cases, Window.objects.select_related("hall"))
    clerks = _rows("clerk", start, end, cases,
                   get_user_model().objects.select_related("window", "department"))
    _add_surveys(windows, month.replace(day=1))
    return Ranking(month=month.replace(day=1), windows=_rank(windows), clerks=_rank(clerks))


def _rows(field: str, start, end, cases, units) -> dict[int, Row]:
    satisfied = Q(level__gte=Level.BASIC)
    counts = (Rating.objects.filter(created_at__gte=start, created_at__lt=end,
                                    **{f"{field}__isnull": False})
              .values(f"{field}_id")
              .annotate(n=Count("id"), good=Count("id", filter=satisfied), avg=Avg("level")))
    by_unit: dict[int, dict] = defaultdict(lambda: {"n": 0, "good": 0, "avg": None,
                                                    "cases": 0, "on_time": 0})
    for row in counts:
        by_unit[row[f"{field}_id"]].update(n=row["n"], good=row["good"], avg=row["avg"])
    for case in cases:
        unit_id = case.window_id if field == "window" else case.clerk_id
        if unit_id is not None:
            by_unit[unit_id]["cases"] += 1
            by_unit[unit_id]["on_time"] += case.on_time
    objects = units.in_bulk(list(by_unit))
    return {pk: Row(unit=objects[pk], ratings=v["n"], satisfied=v["good"],
                    average_level=v["avg"], cases=v["cases"], on_time=v["on_time"])
            for pk, v in by_unit.items() if pk in objects}


def _rank(rows: dict[int, Row]) -> list[Row]:
    ranked = [row for row in rows.values() if row.ranked]
    most = max((row.cases for row in ranked), default=0)
    for row in ranked:
        row.score = (100 * (WEIGHTS["satisfaction"] * row.satisfaction
                            + WEIGHTS["on_time"] * row.on_time_rate
                            + WEIGHTS["volume"] * Decimal(row.cases) / Decimal(most))
                     ).quantize(Decimal("0.1"))
    ranked.sort(key=lambda row: (-row.score, -row.cases, str(row.unit)))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    rest = sorted((row for row in rows.values() if not row.ranked), key=lambda r: str(r.unit))
    return ranked + rest


def _add_surveys(rows: dict[int, Row], month: dt.date) -> None:
    results = (SurveyResult.objects.filter(survey__month=month)
               .values("window_id").annotate(avg=Avg("score"), samples=Sum("sample_size")))
    windows = Window.objects.select_related("hall").in_bulk(
        [r["window_id"] for r in results if r["window_id"] not in rows])
    for result in results:
        row = rows.get(result["window_id"])
        if row is None:
            row = rows[result["window_id"]] = Row(unit=windows[result["window_id"]])
        row.survey_score = Decimal(result["avg"]).quantize(Decimal("0.01"))
        row.survey_samples = result["samples"]
