"""Reads of requests. Fetch-and-authorise in one call: missing and forbidden are the same 404."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from onewindow.complaints import clocks
from onewindow.complaints.enums import (
    ASSIGNMENT_ACTIVE,
    OPEN311_CLOSED_STATES,
    OPEN_STATES,
    ExtensionState,
)
from onewindow.complaints.models import Assignment, Category, ServiceRequest
from onewindow.complaints.records import RECORD_FIELDS
from onewindow.complaints.rules import is_department_staff, is_dispatcher

LIST_RELATED = ("category", "lead_department", "requester")


def visible_requests(user, *, related: tuple[str, ...] = LIST_RELATED) -> QuerySet:
    """Every request `user` may see (the rule `complaints.view_request`, as a query)."""
    requests = ServiceRequest.objects.select_related(*related)
    if not user.is_authenticated:
        return requests.none()
    if is_dispatcher(user):
        return requests
    mine = Q(requester=user) | Q(filed_by=user)
    if is_department_staff(user):
        ours = Assignment.objects.filter(request=OuterRef("pk"),
                                         department_id=user.department_id)
        return requests.filter(mine | Q(Exists(ours)))
    return requests.filter(mine)


def request_get_for_user(*, user, pk: int) -> ServiceRequest:
    request = visible_requests(user).filter(pk=pk).first()
    if request is None or not user.has_perm("complaints.view_request", request):
        raise Http404(_("诉求不存在。"))
    return request


def request_get_by_query_code(*, number: str, query_code: str) -> ServiceRequest:
    """For a requester without an account: the number and its query code, both exact."""
    request = ServiceRequest.objects.select_related(*LIST_RELATED).filter(
        number=number.strip().upper(), query_code=query_code.strip().upper()).first()
    if request is None:
        raise Http404(_("诉求编号或查询码不正确。"))
    return request


def request_by_token(token: str) -> ServiceRequest | None:
    return ServiceRequest.objects.filter(token=token).first()


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("default_department")


def progress_of(request: ServiceRequest, *, internal: bool) -> QuerySet:
    notes = request.notes.select_related("actor", "department")
    return notes if internal else notes.filter(public=True)


def assignments_of(request: ServiceRequest) -> QuerySet[Assignment]:
    return request.assignments.select_related("department").order_by("-cycle", "role", "pk")


def my_assignment(request: ServiceRequest, user) -> Assignment | None:
    if not is_department_staff(user):
        return None
    return request.assignments.filter(cycle=request.cycle, department_id=user.department_id,
                                      state__in=ASSIGNMENT_ACTIVE).first()


def pending_extension(request: ServiceRequest):
    return request.extensions.filter(state=ExtensionState.PENDING).first()


# --- workbenches --------------------------------------------------------------------------------
def dispatcher_queue(*, state: str = "", category: int | None = None,
                     department: int | None = None, overdue: bool = False,
                     kind: str = "", q: str = "") -> QuerySet:
    """Every request, the nearest closing deadline (so the late ones) first."""
    requests = ServiceRequest.objects.select_related(*LIST_RELATED)
    requests = _filter(requests, state=state, category=category, overdue=overdue, kind=kind, q=q)
    if department:
        requests = requests.filter(lead_department_id=department)
    return requests.order_by("closing_due")


def department_queue(user, *, state: str = "", category: int | None = None,
                     overdue: bool = False, kind: str = "", q: str = "") -> QuerySet:
    """The requests on which the user's department has an active part (or had, with a state
    filter)."""
    parts = Assignment.objects.filter(request=OuterRef("pk"), department_id=user.department_id)
    if not state:
        parts = parts.filter(state__in=ASSIGNMENT_ACTIVE)
    requests = ServiceRequest.objects.select_related(*LIST_RELATED).filter(Exists(parts))
    requests = _filter(requests, state=state, category=category, overdue=overdue, kind=kind, q=q)
    return requests.order_by("closing_due")


def _filter(requests, *, state, category, overdue, kind, q) -> QuerySet:
    if state:
        requests = requests.filter(state=state)
    if category:
        requests = requests.filter(category_id=category)
    if kind:
        requests = requests.filter(kind=kind)
    if overdue:
        now = clocks.now()
        requests = requests.filter(state__in=OPEN_STATES).filter(
            Q(closing_due__lt=now) | Q(responded_at__isnull=True, response_due__lt=now))
    if q:
        requests = requests.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return requests


# --- Open311 ------------------------------------------------------------------------------------
def open311_requests(*, ids: list[str] | None = None, service_code: str = "",
                     start: dt.datetime | None = None, end: dt.datetime | None = None,
                     status: str = "", limit: int = 1000) -> list[dict]:
    """Rows of `records.RECORD_FIELDS`, newest first. The spec's defaults: without ids or
    dates, the last 90 days, at most 1000."""
    requests = ServiceRequest.objects.all()
    if ids:
        return list(requests.filter(number__in=ids).order_by("-filed_at")
                    .values(*RECORD_FIELDS)[:limit])
    if service_code:
        requests = requests.filter(category__code=service_code)
    if start is None and end is None:
        start = clocks.now() - dt.timedelta(days=90)
    if start is not None:
        requests = requests.filter(filed_at__gte=start)
    if end is not None:
        requests = requests.filter(filed_at__lte=end)
    if status == "open":
        requests = requests.exclude(state__in=OPEN311_CLOSED_STATES)
    elif status == "closed":
        requests = requests.filter(state__in=OPEN311_CLOSED_STATES)
    return list(requests.order_by("-filed_at").values(*RECORD_FIELDS)[:limit])
