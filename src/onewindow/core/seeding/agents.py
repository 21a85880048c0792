"""The demo help agent: assigned to the demo applicant's enterprise, authorised by it for
half a year, with one entry in its visit log. Made once, through the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.accounts import services
from onewindow.accounts.enums import AuthorisationScope
from onewindow.accounts.models import AgentAssignment, User

PLAN = "一企一策：每月走访一次，代办产业园一期建设手续，重大事项当天报告。"


def seed_demo_agents() -> int:
    """Returns how many objects were made (0 when the agent is already assigned)."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["agent", "applicant", "supervisor"])}
    if len(users) < 3 or AgentAssignment.objects.filter(agent=users["agent"]).exists():
        return 0
    enterprise = users["applicant"].enterprises.order_by("pk").first()
    if enterprise is None:
        return 0
    today = timezone.localdate()
    services.agent_assign(actor=users["supervisor"], agent=users["agent"], enterprise=enterprise,
                          project_name="智能科技产业园一期", plan=PLAN)
    services.authorisation_grant(actor=users["applicant"], enterprise=enterprise,
                                 agent=users["agent"], scope=AuthorisationScope.ALL,
                                 expires_on=today + dt.timedelta(days=180))
    services.agent_visit_record(actor=users["agent"], enterprise=enterprise, visited_on=today,
                                kind="visit", subject="上门了解产业园一期开工手续需求",
                                follow_up="代办施工许可一件事")
    return 3
