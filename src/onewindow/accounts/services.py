"""Writes for accounts: users, enterprises, API tokens, help agents. Each change is audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.enums import AuthorisationScope, Role
from onewindow.accounts.errors import AuthorisationError, AuthorisationForbidden
from onewindow.accounts.models import (
    AgentAssignment,
    AgentAuthorisation,
    AgentVisit,
    ApiToken,
    Enterprise,
    User,
)
from onewindow.accounts.selectors import agent_enterprises
from onewindow.accounts.validators import clean_uscc
from onewindow.audit.services import audit_record


@transaction.atomic
def enterprise_register(*, actor, name: str, uscc: str, legal_representative: str,
                        **fields) -> Enterprise:
    enterprise = Enterprise(name=name, uscc=clean_uscc(uscc),
                            legal_representative=legal_representative, **fields)
    enterprise.full_clean()
    enterprise.save()
    audit_record(actor=actor, action="enterprise_register", obj=enterprise,
                 new={"name": name, "uscc": enterprise.uscc})
    return enterprise


@transaction.atomic
def api_token_create(*, actor, owner: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = "ow_" + secrets.token_urlsafe(32)
    token = ApiToken(name=name, owner=owner, key_hash=ApiToken.hash_key(key), prefix=key[3:11])
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token_create", obj=token, new={"owner": owner.pk})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token_revoke", obj=token)
    return token


# --- help agents (帮办代办) ---------------------------------------------------------------------
# An authorisation longer than this is refused: an enterprise renews it, it does not lapse
# into a standing power of attorney nobody remembers.
MAX_AUTHORISATION_DAYS = 366
ASSIGNING_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})


def _require_agent(agent) -> None:
    if agent is None or agent.role != Role.HELP_AGENT or not agent.is_active:
        raise AuthorisationError(_("只能指派或授权给在岗的帮办代办员。"))


@transaction.atomic
def agent_assign(*, actor, agent, enterprise, project_name: str = "", plan: str = "") \
        -> AgentAssignment:
    """A supervisor assigns a help agent to an enterprise (or one of its projects)."""
    if actor.role not in ASSIGNING_ROLES:
        raise AuthorisationForbidden(_("只有督查人员或系统管理员可以指派帮办代办员。"))
    _require_agent(agent)
    if AgentAssignment.objects.filter(agent=agent, enterprise=enterprise, ended_at__isnull=True,
                                      project_name=project_name.strip()).exists():
        raise AuthorisationError(_("该代办员已在为这家企业（或该项目）服务。"))
    assignment = AgentAssignment(agent=agent, enterprise=enterprise, assigned_by=actor,
                                 project_name=project_name.strip(), plan=plan.strip())
    assignment.full_clean()
    assignment.save()
    audit_record(actor=actor, action="agent_assign", obj=assignment,
                 new={"agent": agent.username, "enterprise": enterprise.uscc,
                      "project": assignment.project_name})
    return assignment


@transaction.atomic
def agent_assignment_end(*, actor, assignment_id: int) -> AgentAssignment:
    if actor.role not in ASSIGNING_ROLES:
        raise AuthorisationForbidden(_("只有督查人员或系统管理员可以结束指派。"))
    assignment = AgentAssignment.objects.select_for_update().get(pk=assignment_id)
    if assignment.ended_at is None:
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        audit_record(actor=actor, action="agent_assignment_end", obj=assignment)
    return assignment


def _may_grant_for(actor, enterprise) -> bool:
    return actor.is_authenticated and actor.memberships.filter(enterprise=enterprise).exists()


@transaction.atomic
def authorisation_grant(*, actor, enterprise, agent, scope: str, expires_on: dt.date,
                        valid_from: dt.date | None = None, departments=(), items=()) \
        -> AgentAuthorisation:
    """A member of `enterprise` authorises `agent` to file and follow its cases in `scope`."""
    if not _may_grant_for(actor, enterprise):
        raise AuthorisationForbidden(_("只有该企业的法定代表人或经办人可以授权代办。"))
    _require_agent(agent)
    today = timezone.localdate()
    valid_from = valid_from or today
    _check_period(valid_from, expires_on, today)
    departments, items = list(departments), list(items)
    _check_scope(scope, departments, items)
    authorisation = AgentAuthorisation(enterprise=enterprise, agent=agent, scope=scope,
                                       valid_from=valid_from, expires_on=expires_on,
                                       granted_by=actor)
    authorisation.full_clean()
    authorisation.save()
    authorisation.departments.set(departments if scope == AuthorisationScope.DEPARTMENTS else [])
    authorisation.items.set(items if scope == AuthorisationScope.ITEMS else [])
    audit_record(actor=actor, action="authorisation_grant", obj=authorisation, new={
        "enterprise": enterprise.uscc, "agent": agent.username, "scope": scope,
        "valid_from": valid_from, "expires_on": expires_on,
        "departments": [d.code for d in departments],
        "items": [i.implementation_code for i in items]})
    return authorisation


def _check_period(valid_from: dt.date, expires_on: dt.date, today: dt.date) -> None:
    if expires_on < today:
        raise AuthorisationError(_("授权截止日期不能早于今天。"))
    if expires_on < valid_from:
        raise AuthorisationError(_("授权截止日期不能早于生效日期。"))
    if (expires_on - valid_from).days > MAX_AUTHORISATION_DAYS:
        raise AuthorisationError(_("一次授权最长一年，到期后可以重新授权。"))


def _check_scope(scope: str, departments: list, items: list) -> None:
    if scope not in AuthorisationScope.values:
        raise AuthorisationError(_("授权范围不正确。"))
    if scope == AuthorisationScope.DEPARTMENTS and not departments:
        raise AuthorisationError(_("请至少选择一个授权部门。"))
    if scope == AuthorisationScope.ITEMS and not items:
        raise AuthorisationError(_("请至少选择一个授权事项。"))


@transaction.atomic
def authorisation_revoke(*, actor, authorisation_id: int, reason: str = "") \
        -> AgentAuthorisation:
    """The enterprise (any member) or a supervisor withdraws an authorisation at once."""
    authorisation = AgentAuthorisation.objects.select_for_update().select_related(
        "enterprise").filter(pk=authorisation_id).first()
    if authorisation is None or not (_may_grant_for(actor, authorisation.enterprise)
                                     or actor.role in ASSIGNING_ROLES):
        raise AuthorisationForbidden(_("授权不存在。"))
    if authorisation.revoked_at is not None:
        raise AuthorisationError(_("该授权已于 %(at)s 撤销。") % {
            "at": timezone.localtime(authorisation.revoked_at).strftime("%Y-%m-%d %H:%M")})
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_by = actor
    authorisation.revoke_reason = reason.strip()[:200]
    authorisation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(actor=actor, action="authorisation_revoke", obj=authorisation,
                 note=authorisation.revoke_reason)
    return authorisation


@transaction.atomic
def agent_visit_record(*, actor, enterprise, visited_on: dt.date, subject: str, kind: str,
                       notes: str = "", follow_up: str = "") -> AgentVisit:
    """An entry in the agent's own visit log, for an enterprise the agent serves."""
    if actor.role != Role.HELP_AGENT:
        raise AuthorisationForbidden(_("只有帮办代办员可以记录走访。"))
    if enterprise.pk not in {e.pk for e in agent_enterprises(agent=actor)}:
        raise AuthorisationForbidden(_("您没有为这家企业提供帮办服务，不能记录走访。"))
    if visited_on > timezone.localdate():
        raise AuthorisationError(_("走访日期不能晚于今天。"))
    visit = AgentVisit(agent=actor, enterprise=enterprise, visited_on=visited_on, kind=kind,
                       subject=subject.strip(), notes=notes.strip(), follow_up=follow_up.strip())
    visit.full_clean()
    visit.save()
    audit_record(actor=actor, action="agent_visit_record", obj=visit,
                 new={"enterprise": enterprise.uscc, "kind": kind, "on": visited_on})
    return visit
