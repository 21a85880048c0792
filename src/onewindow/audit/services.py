"""Writing to the audit trail. Every module calls `audit_record` for each state change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from onewindow.audit.models import GENESIS, AuditEvent, AuditHead, object_type_of


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


@transaction.atomic(savepoint=False)  # part of the caller's transaction: no savepoint needed
def audit_record(
    *,
    actor,
    action: str,
    obj,
    old: Any = None,
    new: Any = None,
    note: str = "",
    role: str | None = None,
) -> AuditEvent:
    """Append one event for `obj` to the chain. Runs inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    object_type = object_type_of(obj)
    object_id = str(obj.pk)
    last_for_object = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        at=timezone.now().astimezone(dt.UTC),
        actor=actor if authenticated else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if authenticated else "",
        actor_role=role if role is not None else getattr(actor, "role", "") or "",
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:200],
        action=action,
        old_value=_jsonable(old),
        new_value=_jsonable(new),
        note=note,
        prev_object_hash=last_for_object or GENESIS,
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    AuditHead.objects.filter(pk=head.pk).update(last_hash=event.hash, count=head.count + 1)
    return event
