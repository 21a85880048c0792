"""The case's clocks, in working days (first day not counted; see workdays.workcalendar).

- pre-review: 5 working days from receipt (Art. 32: if the applicant is not told in time, the
  application counts as accepted from receipt);
- legal and promised: from acceptance, with special procedures (Art. 45) taken out, and the
  legal limit lengthened by an approved extension (Art. 42).
Time with the applicant is recorded as its own pauses and reported separately. A bundle's
parent (一件事) has pauses of its own: the times when every part still open waited on the
applicant or on a special procedure (`bundles`); its decision clocks stand still in all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from onewindow.cases.enums import (
    DECISION_CLOCK_STATES,
    PRE_ACCEPTANCE_STATES,
    CaseState,
    ClockColour,
    PauseKind,
)
from onewindow.cases.models import ClockPause
from onewindow.core.db import Prepared
from onewindow.workdays.selectors import add_working_days, working_days_between

PRE_REVIEW_DAYS = 5


def today() -> dt.date:
    return timezone.localdate()


def yellow_share() -> float:
    return getattr(settings, "ONEWINDOW_CLOCK_YELLOW_SHARE", 0.8)


@dataclass(frozen=True)
class Clock:
    name: str  # pre_review | legal | promised
    limit: int
    used: int
    due: dt.date
    colour: str
    provisional: bool

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def overdue_days(self) -> int:
        return max(self.used - self.limit, 0)


def pause_spans(case, kind: str, *, until: dt.date | None = None) -> list[tuple[dt.date, dt.date]]:
    """The case's pauses of `kind` as (start, end) spans; an open pause ends `until`."""
    return _spans([p for p in _pauses(case) if p.kind == kind], until)


def decision_pause_spans(case, *, until: dt.date | None = None,
                         pauses: list[ClockPause] | None = None) -> list[tuple[dt.date, dt.date]]:
    """The spans the legal and promised clocks stand still: special procedures (Art. 45); on a
    bundle's parent, each of its pauses (every open part waiting, `bundles._sync_clock`)."""
    return _spans([p for p in (_pauses(case) if pauses is None else pauses)
                   if case.is_bundle_parent or p.kind == PauseKind.SPECIAL_PROCEDURE], until)


def _spans(pauses: list[ClockPause], until: dt.date | None) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each pause; one still open ends `until` (today by default)."""
    end = until or today()
    return [(p.started_on, p.ended_on or max(end, p.started_on)) for p in pauses]


def open_pause(case, pauses: list[ClockPause] | None = None) -> ClockPause | None:
    """The case's pause still running (a special procedure, time with the applicant; on a
    bundle's parent, its parts all waiting), if any; `pauses`: the case's, already read."""
    return next((p for p in (_pauses(case) if pauses is None else pauses)
                 if p.ended_on is None), None)


def _pauses(case) -> list[ClockPause]:
    """`case.pauses.all()`: prefetched where a list or the status endpoint loaded them, else
    read with a statement compiled once (every move that computes a clock reads them)."""
    if "pauses" in getattr(case, "_prefetched_objects_cache", {}):
        return list(case.pauses.all())
    return _PAUSES.all(case.pk)


_PAUSES = Prepared(lambda case_id: ClockPause.objects.filter(case_id=case_id)
                   .order_by("started_on", "pk"))


def compute_dues(case) -> None:
    """Set legal_due / promised_due / due_provisional from acceptance and special procedures.

    Call while holding the case row lock."""
    if case.accepted_on is None:
        return
    pauses = decision_pause_spans(case)
    provisional = False
    case.legal_due = case.promised_due = None
    if case.legal_limit_days is not None:
        legal = add_working_days(case.accepted_on, case.limit_with_extension, pauses)
        case.legal_due, provisional = legal.date, legal.provisional
    if case.promised_limit_days is not None:
        promised = add_working_days(case.accepted_on, case.promised_limit_days, pauses)
        case.promised_due = promised.date
        provisional = provisional or promised.provisional
    case.due_provisional = provisional


def pre_review_due(received_on: dt.date):
    return add_working_days(received_on, PRE_REVIEW_DAYS)


def _colour(used: int, limit: int, on: dt.date, due: dt.date) -> str:
    if on > due:
        return ClockColour.RED
    if limit and used >= limit * yellow_share():
        return ClockColour.YELLOW
    return ClockColour.GREEN


def clocks(case, *, on: dt.date | None = None) -> list[Clock]:
    """The clocks that apply to the case now, in the order a person reads them."""
    on = on or today()
    if case.state in PRE_ACCEPTANCE_STATES and case.received_on and case.pre_review_due:
        used = working_days_between(case.received_on, on)
        return [Clock("pre_review", PRE_REVIEW_DAYS, used, case.pre_review_due,
                      _colour(used, PRE_REVIEW_DAYS, on, case.pre_review_due), False)]
    if case.accepted_on is None:
        return []
    running = case.state in DECISION_CLOCK_STATES
    end = on if running else (case.decided_at and timezone.localdate(case.decided_at)) or on
    rows = _pauses(case)
    pauses = decision_pause_spans(case, until=end, pauses=rows)
    used = max(working_days_between(case.accepted_on, end, pauses), 0)
    # A bundle whose open parts all wait stands still in review, as a suspended case does.
    waiting = case.is_bundle_parent and open_pause(case, rows) is not None
    result = []
    for name, limit, due in (("legal", case.limit_with_extension, case.legal_due),
                             ("promised", case.promised_limit_days, case.promised_due)):
        if limit is None or due is None:
            continue
        if case.state == CaseState.SUSPENDED or (running and waiting):
            colour = ClockColour.PAUSED
        elif not running:
            colour = ClockColour.RED if end > due else ClockColour.STOPPED
        else:
            colour = _colour(used, limit, on, due)
        result.append(Clock(name, limit, used, due, colour, case.due_provisional))
    return result


def applicant_days(case, *, on: dt.date | None = None) -> int:
    """Working days the case spent with the applicant (returned for correction)."""
    spans = pause_spans(case, PauseKind.WITH_APPLICANT, until=on)
    return sum(max(working_days_between(s, e), 0) for s, e in spans)
