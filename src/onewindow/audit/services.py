"""Writing to the audit trail. Every module calls `audit_record` for each state change."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, NamedTuple

from django.db import connections, transaction
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
    """Append one event for `obj` to the chain. Runs inside the caller's transaction.

    This is on every state change's path, so it is two statements of hand-written SQL rather
    than four ORM queries: one reads (and on PostgreSQL locks) the chain's head together with
    the object's last hash; one inserts the event and moves the head (a single statement on
    PostgreSQL). The row lock on the head serialises appends until the caller commits."""
    connection = connections[AuditEvent.objects.db]
    object_type = object_type_of(obj)
    object_id = str(obj.pk)
    head = _read_head(connection, object_type, object_id)
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
        prev_object_hash=head.last_for_object or GENESIS,
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    _append(connection, event)
    return event


class _Head(NamedTuple):
    last_hash: str
    last_for_object: str | None


def _read_head(connection, object_type: str, object_id: str) -> _Head:
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor).read_head, [object_type, object_id])
        row = cursor.fetchone()
    if row is None:  # a new database: the head is made once, then read under the lock
        AuditHead.objects.get_or_create(pk=1)
        return _read_head(connection, object_type, object_id)
    return _Head(*row)


def _append(connection, event: AuditEvent) -> None:
    sql = _sql(connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in _fields()]
    with connection.cursor() as cursor:
        if sql.insert_and_move:
            cursor.execute(sql.insert_and_move, [*values, event.hash])
            event.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql.insert, values)
            event.pk = cursor.fetchone()[0]
            cursor.execute(sql.move_head, [event.hash])
    event._state.adding = False
    event._state.db = connection.alias


@cache
def _fields() -> list:
    return [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]


class _Statements(NamedTuple):
    read_head: str
    insert: str
    move_head: str
    insert_and_move: str | None  # PostgreSQL: the insert and the head's move in one statement


@cache
def _sql(vendor: str) -> _Statements:
    events, head = AuditEvent._meta.db_table, AuditHead._meta.db_table
    lock = " FOR UPDATE OF h" if vendor == "postgresql" else ""  # SQLite: the file is locked
    read_head = (f"SELECT h.last_hash, (SELECT e.hash FROM {events} e WHERE e.object_type = %s "
                 f"AND e.object_id = %s ORDER BY e.id DESC LIMIT 1) FROM {head} h "
                 f"WHERE h.id = 1{lock}")
    columns = ", ".join(f'"{f.column}"' for f in _fields())
    placeholders = ", ".join(["%s"] * len(_fields()))
    insert = f"INSERT INTO {events} ({columns}) VALUES ({placeholders}) RETURNING id"
    move_head = f"UPDATE {head} SET last_hash = %s, count = count + 1 WHERE id = 1"
    both = (f"WITH e AS ({insert}) {move_head} RETURNING (SELECT id FROM e)"
            if vendor == "postgresql" else None)
    return _Statements(read_head, insert, move_head, both)
