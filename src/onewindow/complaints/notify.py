"""Who hears of what happens to a request (in-app after the commit, plus email/SMS backends)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from onewindow.accounts.enums import Role
from onewindow.cases.notify import notify_users
from onewindow.complaints.models import ServiceRequest
from onewindow.complaints.rules import DEPARTMENT_ROLES


def link(request: ServiceRequest) -> str:
    return reverse("complaints:detail", args=[request.pk])


def dispatchers():
    return get_user_model().objects.filter(is_active=True, role=Role.SUPERVISOR)


def department_staff(department_ids):
    return get_user_model().objects.filter(is_active=True, role__in=DEPARTMENT_ROLES,
                                           department_id__in=list(department_ids))


def requester(request: ServiceRequest) -> list:
    return [request.requester] if request.requester_id else []


def tell(users, request: ServiceRequest, *, verb: str, title: str, body: str = "") -> None:
    notify_users(users, verb=verb, title=f"{request.number} {title}", body=body,
                 link=link(request))
