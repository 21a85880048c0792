"""Reads of cases. Fetch-and-authorise in one call: missing and forbidden are the same 404."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role
from onewindow.accounts.models import EnterpriseMembership, User
from onewindow.accounts.selectors import (
    agent_case_filter,
    token_owner_params,
    token_owner_sql,
    token_used,
)
from onewindow.cases.enums import OPEN_STATES, PRE_ACCEPTANCE_STATES, CaseState
from onewindow.cases.models import Case, ClockPause
from onewindow.core.db import known_empty, raw_first, raw_first_of
from onewindow.workdays import cache as workday_cache

LIST_RELATED = ("item", "department", "applicant", "enterprise", "claimed_by", "review_handler")


def visible_cases(user, *, related: tuple[str, ...] = LIST_RELATED) -> QuerySet[Case]:
    """Every case `user` may see (the same rule as `cases.view_case`, as a query)."""
    cases = Case.objects.select_related(*related) if related else Case.objects.all()
    if not user.is_authenticated:
        return cases.none()
    if user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN, Role.WINDOW_CLERK):
        return cases.exclude(state="draft") if user.role != Role.SYSTEM_ADMIN else cases
    if user.role in (Role.REVIEWER, Role.APPROVER) and user.department_id:
        return cases.filter(department_id=user.department_id).exclude(state="draft")
    if user.role == Role.HELP_AGENT:
        return cases.filter(agent_case_filter(agent=user))
    # A subquery, not a join: no DISTINCT, and the planner can use each index (16 ms → <1 ms).
    my_enterprises = EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    mine = Q(applicant=user) | Q(filed_by=user) | Q(enterprise_id__in=my_enterprises)
    return cases.filter(mine)


def case_get_for_user(*, user, pk: int, related: tuple[str, ...] = LIST_RELATED) -> Case:
    """`related`: what to join; () for a lightweight read such as the status endpoint."""
    case = visible_cases(user, related=related).filter(pk=pk).first()
    if case is None or not user.has_perm("cases.view_case", case):
        raise Http404(_("办件不存在。"))
    return case


# What the status (state, clocks, next step) and the view permission read: nothing else is loaded.
STATUS_FIELDS = ("number", "state", "item_id", "bundle_id", "parent_id", "department_id",
                 "applicant_id", "filed_by_id", "enterprise_id", "received_on",
                 "pre_review_due", "accepted_on", "decided_at", "legal_limit_days",
                 "extension_days", "promised_limit_days", "legal_due", "promised_due",
                 "due_provisional")


STATUS_PREFIX = "case__"  # the case's columns beside its reader's, in one statement


def _status_columns(prefix: str) -> str:
    columns = ", ".join(f"c.{f} AS {prefix}{f}" for f in ("id", *STATUS_FIELDS))
    return (f"{columns}, EXISTS (SELECT 1 FROM {ClockPause._meta.db_table} p "
            f"WHERE p.case_id = c.id) AS {prefix}has_pauses, "
            f"{workday_cache.token_subquery()} AS {prefix}calendar_token")


@cache
def _status_sql() -> str:
    return f"SELECT {_status_columns('')} FROM {Case._meta.db_table} c WHERE c.id = %s"


@cache
def _status_with_owner_sql() -> str:
    return token_owner_sql(_status_columns(STATUS_PREFIX),
                           f"LEFT JOIN {Case._meta.db_table} c ON c.id = %s")


def case_status_get_for_user(*, user, pk: int) -> Case:
    """`case_get_for_user` for the status endpoint, the most frequent read of all: one
    hand-written query (compiling the ORM's cost more than running it) for the fields the
    clocks need and the working calendar's version, none for the pauses when the case has
    none. Who may see it is decided on the row by the same rule as `visible_cases`
    (tests/cases/test_selectors.py holds the two together): `case_status_visible`."""
    return case_status_visible(user=user, case=raw_first(Case, _status_sql(), [pk]))


def case_status_for_api_key(*, key: str, pk: int) -> tuple[User | None, Case | None]:
    """The active owner of API token `key` (as `user_for_api_key`) and case `pk`'s status row
    (as `case_status_get_for_user` reads it, None when there is no such case), in one
    statement: a script polling the status costs one round trip, not two. Whether the owner
    may see the case is still for `case_status_visible` to say."""
    now = timezone.now()
    found = raw_first_of(((User, ""), (Case, STATUS_PREFIX)), _status_with_owner_sql(),
                         token_owner_params(key, now, (pk,)))
    if found is None:
        return None, None
    owner, case = found
    return token_used(owner, now), case


def case_status_visible(*, user, case: Case | None) -> Case:
    """`case` (a status row) when `user` may see it, else Http404, as for a missing case."""
    if case is not None:  # the calendar's token came with the row: the clocks need no query
        workday_cache.token_seen(case.calendar_token)
    if case is None or not user.has_perm("cases.view_case", case) or (
            case.state == CaseState.DRAFT and user.role != Role.SYSTEM_ADMIN
            and not user.has_perm("cases.apply", case)):
        raise Http404(_("办件不存在。"))
    if not case.has_pauses:  # read with the row: the clocks need no query for them
        known_empty(case, "pauses", read_only=True)  # a status row is only read
    return case


def case_get_by_query_code(*, number: str, query_code: str) -> Case:
    """For a person without an account: the case number and its query code, both exact."""
    case = Case.objects.select_related(*LIST_RELATED).filter(
        number=number.strip().upper(), query_code=query_code.strip().upper()).first()
    if case is None:
        raise Http404(_("办件编号或查询码不正确。"))
    return case


def overdue_pre_review_ids(*, on: dt.date) -> list[int]:
    return list(Case.objects.filter(state__in=PRE_ACCEPTANCE_STATES, pre_review_due__lt=on)
                .values_list("pk", flat=True))


def open_cases() -> QuerySet[Case]:
    return Case.objects.filter(state__in=OPEN_STATES).select_related(*LIST_RELATED)


# --- for other modules (ratings, rankings) ---------------------------------------------------
RATABLE_STATES = frozenset({CaseState.COMPLETED, CaseState.DELIVERED})


def completed_cases_since(*, since: dt.datetime) -> QuerySet[Case]:
    """Applications (not parts of a bundle) completed or delivered since `since`, with their
    applicant, item and bundle."""
    return (Case.objects.filter(state__in=RATABLE_STATES, completed_at__gte=since,
                                parent__isnull=True)
            .select_related("applicant", "item", "bundle"))


def completed_case_handling(*, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """One row per single-item case completed in [start, end): (clerk id, the clerk's window
    id, decided at, promised due, legal due) — what a ranking of windows and clerks needs."""
    return list(Case.objects.filter(completed_at__gte=start, completed_at__lt=end,
                                    item__isnull=False)
                .values_list("claimed_by_id", "claimed_by__window_id", "decided_at",
                             "promised_due", "legal_due"))
