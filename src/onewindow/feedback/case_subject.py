"""The "case" subject: an applicant rates their own completed or delivered case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.cases.selectors import (
    RATABLE_STATES,
    case_get_for_user,
    completed_case_handling,
    completed_cases_since,
)
from onewindow.cases.selectors_bundles import case_display_title
from onewindow.feedback.models import RatingInvitation
from onewindow.feedback.subjects import Subject


def resolve_case(user, object_id: int) -> Subject | None:
    """The case when `user` is on its applicant side and it is completed; else None."""
    try:
        case = case_get_for_user(user=user, pk=object_id)
    except Http404:
        return None
    if case.state not in RATABLE_STATES or not user.has_perm("cases.apply", case):
        return None
    clerk = case.claimed_by or _accepting_clerk(case)
    return Subject(obj=case, department=case.department,
                   window=clerk.window if clerk is not None else None, clerk=clerk,
                   title=case_display_title(case),
                   url=reverse("cases:detail", kwargs={"pk": case.pk}))


def _accepting_clerk(case):
    event = (AuditEvent.objects.select_related("actor", "actor__window")
             .filter(object_type="cases.case", object_id=str(case.pk),
                     action__in=("case_accept", "case_accept_with_tolerance"),
                     actor__isnull=False)
             .order_by("id").first())
    return event.actor if event is not None else None


# --- what the tick and the ranking read from cases (through cases' selectors) ----------------
def completed_cases_to_invite(*, since) -> list[tuple[int, object, str]]:
    """(case id, applicant, title) of cases completed since `since` with no invitation yet."""
    invited = RatingInvitation.objects.filter(kind="case").values("object_id")
    cases = completed_cases_since(since=since).exclude(pk__in=invited)
    return [(case.pk, case.applicant, case_display_title(case)) for case in cases]


@dataclass(frozen=True)
class CompletedCase:
    clerk_id: int | None
    window_id: int | None
    on_time: bool


def completed_cases_between(start: dt.datetime, end: dt.datetime) -> list[CompletedCase]:
    """Cases completed in [start, end) with who handled them and whether the decision came by
    the promised limit (the legal one when no promise; instant approvals are on time)."""
    rows = completed_case_handling(start=start, end=end)
    return [CompletedCase(clerk, window, _on_time(decided, promised or legal))
            for clerk, window, decided, promised, legal in rows]


def _on_time(decided_at, due) -> bool:
    if due is None:
        return True
    return decided_at is not None and timezone.localtime(decided_at).date() <= due
