"""The published indicators, per lead department and per category, computed from the rows.

- response rate (响应率): first responses (accept or answer) within the response limit, over
  the requests whose response clock has ended (responded, or the limit passed);
- on-time rate (按时办结率): answers within the closing limit (extensions included), over the
  requests whose closing clock has ended (answered, or the limit passed);
- resolution rate (解决率): answered requests whose requester did not give a bad rating,
  over the answered requests;
- satisfaction (满意率): ratings that are not bad reviews, over the rated requests (ratings
  are feedback's, read with `ratings_by_subject`).
Withdrawn and dismissed requests are not counted. A reopened request counts its latest round.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from onewindow.complaints import clocks
from onewindow.complaints.enums import ANSWERED_STATES, RequestState
from onewindow.complaints.models import ServiceRequest
from onewindow.feedback.enums import BAD_LEVELS
from onewindow.feedback.selectors import ratings_by_subject

FIELDS = ("pk", "state", "lead_department__name", "category__name", "response_due",
          "responded_at", "closing_due", "answered_at")


@dataclass
class Row:
    label: str
    total: int = 0
    response_due: int = 0
    response_ok: int = 0
    closing_due: int = 0
    closing_ok: int = 0
    answered: int = 0
    resolved: int = 0
    rated: int = 0
    satisfied: int = 0
    extra: dict = field(default_factory=dict)

    @staticmethod
    def _rate(n: int, d: int) -> float | None:
        return round(100 * n / d, 1) if d else None

    @property
    def response_rate(self):
        return self._rate(self.response_ok, self.response_due)

    @property
    def on_time_rate(self):
        return self._rate(self.closing_ok, self.closing_due)

    @property
    def resolution_rate(self):
        return self._rate(self.resolved, self.answered)

    @property
    def satisfaction(self):
        return self._rate(self.satisfied, self.rated)

    def add(self, row: dict, rating, now: dt.datetime) -> None:
        self.total += 1
        if row["responded_at"] is not None or row["response_due"] < now:
            self.response_due += 1
            self.response_ok += row["responded_at"] is not None and \
                row["responded_at"] <= row["response_due"]
        if row["answered_at"] is not None or row["closing_due"] < now:
            self.closing_due += 1
            self.closing_ok += row["answered_at"] is not None and \
                row["answered_at"] <= row["closing_due"]
        bad = rating is not None and rating.level in BAD_LEVELS
        if row["state"] in ANSWERED_STATES:
            self.answered += 1
            self.resolved += not bad
        if rating is not None:
            self.rated += 1
            self.satisfied += not bad


def request_metrics(*, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """{"departments": [Row…], "categories": [Row…], "total": Row} for requests filed in
    [start, end] (local dates, both optional)."""
    requests = ServiceRequest.objects.exclude(
        state__in=(RequestState.WITHDRAWN, RequestState.DISMISSED))
    if start:
        requests = requests.filter(filed_at__gte=_day_start(start))
    if end:
        requests = requests.filter(filed_at__lt=_day_start(end + dt.timedelta(days=1)))
    rows = list(requests.values(*FIELDS))
    ratings = ratings_by_subject(model=ServiceRequest, ids=[r["pk"] for r in rows])
    now, total = clocks.now(), Row(label="")
    departments: dict[str, Row] = defaultdict(lambda: Row(label=""))
    categories: dict[str, Row] = defaultdict(lambda: Row(label=""))
    for row in rows:
        rating = ratings.get(row["pk"])
        total.add(row, rating, now)
        departments[row["lead_department__name"] or ""].add(row, rating, now)
        categories[row["category__name"]].add(row, rating, now)
    for label, group in (*departments.items(), *categories.items()):
        group.label = label
    return {"departments": sorted(departments.values(), key=lambda r: r.label),
            "categories": sorted(categories.values(), key=lambda r: r.label), "total": total}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()),
                               timezone.get_current_timezone())
