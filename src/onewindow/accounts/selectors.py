from __future__ import annotations

import datetime as dt
from functools import cache

from django.db.models import Q
from django.utils import timezone

from onewindow.accounts.enums import AuthorisationScope, Role
from onewindow.accounts.models import (
    AgentAssignment,
    AgentAuthorisation,
    AgentVisit,
    ApiToken,
    Enterprise,
    User,
)
from onewindow.core.db import raw_first

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def user_for_api_key(key: str) -> User | None:
    """The active owner of a non-revoked token, or None.

    Every API call asks this, so it is one hand-written query (the ORM's compiling it cost
    several times its running): the owner's row, the token's id, and whether the token's
    last-used time is older than a minute."""
    now = timezone.now()
    owner = raw_first(User, token_owner_sql(), token_owner_params(key, now))
    return None if owner is None else token_used(owner, now)


@cache
def token_owner_sql(columns: str = "", join: str = "") -> str:
    """The statement `user_for_api_key` runs. A hot endpoint that always reads its own row
    after the owner's passes that row's `columns` and its outer `join`, so both come in one
    round trip (`token_owner_params` puts the join's parameters in their place)."""
    users, tokens = User._meta.db_table, ApiToken._meta.db_table
    more = f", {columns}" if columns else ""
    return (f"SELECT u.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s) "
            f"AS token_stale{more} FROM {users} u JOIN {tokens} t ON t.owner_id = u.id {join} "
            f"WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active")


def token_owner_params(key: str, now: dt.datetime, join_params: tuple = ()) -> list:
    return [now - LAST_USED_RESOLUTION, *join_params, ApiToken.hash_key(key)]


def token_used(owner: User, now: dt.datetime) -> User:
    """The token read with its owner was used at `now`: noted when its last use is older
    than a minute (a write per request would make every read a write)."""
    if owner.token_stale:
        ApiToken.objects.filter(pk=owner.token_id).update(last_used_at=now)
    return owner


# --- help agents (帮办代办) ---------------------------------------------------------------------
def active_authorisations(*, agent, on: dt.date | None = None):
    """The agent's authorisations in force on `on` (default today), with their scope loaded."""
    on = on or timezone.localdate()
    return (AgentAuthorisation.objects.filter(agent=agent, revoked_at__isnull=True,
                                              valid_from__lte=on, expires_on__gte=on)
            .select_related("enterprise").prefetch_related("departments", "items"))


def authorisation_covering(*, agent, enterprise, item=None, on: dt.date | None = None):
    """The authorisation in force that lets `agent` act for `enterprise` on `item`, or None.

    `item=None` (a bundle's parent case, or a question about the enterprise as a whole) is
    covered only by an authorisation for all items."""
    if agent is None or enterprise is None or getattr(agent, "role", None) != Role.HELP_AGENT:
        return None
    for authorisation in active_authorisations(agent=agent, on=on).filter(enterprise=enterprise):
        if authorisation_scope_covers(authorisation, item):
            return authorisation
    return None


def authorisation_scope_covers(authorisation, item) -> bool:
    if authorisation.scope == AuthorisationScope.ALL:
        return True
    if item is None:
        return False
    if authorisation.scope == AuthorisationScope.DEPARTMENTS:
        return any(d.pk == item.department_id for d in authorisation.departments.all())
    return any(i.pk == item.pk for i in authorisation.items.all())


def agent_case_filter(*, agent, on: dt.date | None = None) -> Q:
    """A Q on cases (fields enterprise, item, department) matching what `agent` may follow."""
    condition = Q(pk__in=[])
    for authorisation in active_authorisations(agent=agent, on=on):
        scope = Q(enterprise_id=authorisation.enterprise_id)
        if authorisation.scope == AuthorisationScope.DEPARTMENTS:
            scope &= Q(department_id__in=[d.pk for d in authorisation.departments.all()])
        elif authorisation.scope == AuthorisationScope.ITEMS:
            scope &= Q(item_id__in=[i.pk for i in authorisation.items.all()])
        condition |= scope
    return condition


def agent_enterprises(*, agent, on: dt.date | None = None) -> list:
    """Enterprises the agent serves: open assignments and authorisations in force, by name."""
    assigned = AgentAssignment.objects.filter(agent=agent, ended_at__isnull=True) \
        .values("enterprise_id")
    authorised = active_authorisations(agent=agent, on=on).values("enterprise_id")
    return list(Enterprise.objects.filter(Q(pk__in=assigned) | Q(pk__in=authorised))
                .order_by("name"))


def agent_authorisations(*, agent):
    """Every authorisation the agent holds or held, newest first (the workbench shows all)."""
    return (AgentAuthorisation.objects.filter(agent=agent)
            .select_related("enterprise", "granted_by")
            .prefetch_related("departments", "items").order_by("-granted_at"))


def agent_assignments_open(*, agent):
    return AgentAssignment.objects.filter(agent=agent, ended_at__isnull=True) \
        .select_related("enterprise", "assigned_by")


def agent_visits(*, agent, limit: int = 20):
    return AgentVisit.objects.filter(agent=agent).select_related("enterprise")[:limit]


def enterprise_authorisations(*, member):
    """Every authorisation granted by the enterprises `member` belongs to, newest first."""
    return (AgentAuthorisation.objects.filter(enterprise__memberships__user=member)
            .select_related("enterprise", "agent", "granted_by", "revoked_by")
            .prefetch_related("departments", "items").order_by("-granted_at"))


def assignments_open():
    return AgentAssignment.objects.filter(ended_at__isnull=True) \
        .select_related("agent", "enterprise", "assigned_by")
