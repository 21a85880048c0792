"""Writing to the audit trail. Every module calls `audit_record` for each state change.

The chain has one head row, and appending locks it until the transaction ends: two
transactions that audit queue behind each other from the first append to the commit. A service
that audits several times in a long transaction (a case's move, instant approval) wraps its
body in `audit_deferred()`: its events are then appended together as the block ends, so the
head is held only from there to the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager
from functools import cache
from typing import Any, NamedTuple

from django.db import connections, transaction
from django.utils import timezone

from onewindow.audit.models import GENESIS, AuditEvent, AuditHead, object_type_of
from onewindow.core.db import insert_all, insert_statement, inserted

logger = logging.getLogger("onewindow.audit")


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
    """Append one event for `obj` to the chain, inside the caller's transaction; inside an
    `audit_deferred()` block, when the block ends (the event returned has no id or hash yet).

    This is on every state change's path, so it is two statements of hand-written SQL rather
    than four ORM queries: one reads (and on PostgreSQL locks) the chain's head together with
    the object's last hash; one inserts the events and moves the head (a single statement on
    PostgreSQL). The row lock on the head serialises appends until the caller commits."""
    connection = connections[AuditEvent.objects.db]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        at=timezone.now().astimezone(dt.UTC),
        actor=actor if authenticated else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if authenticated else "",
        actor_role=role if role is not None else getattr(actor, "role", "") or "",
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        old_value=_jsonable(old),
        new_value=_jsonable(new),
        note=note,
    )
    if getattr(connection, "_audit_deferring", 0):
        transaction.on_commit(_Deferred(event), using=connection.alias)
        return event
    _chain(connection, [event])
    return event


@contextmanager
def audit_deferred():
    """Hold back the block's audit events and append them, in order, as it ends.

    Use inside a transaction. The events are registered as the transaction's on-commit
    callbacks, so one recorded inside a savepoint that is rolled back goes with it, as the
    change it describes does. Nested blocks append when the outermost ends. When an error leaves
    the block and the transaction is still usable, the events are appended all the same (a
    caller that catches the error may commit what was done); if that fails, the transaction is
    marked for rollback: it cannot commit without its events. An event still held back at
    commit (a bug) is appended then, in a transaction of its own, and logged."""
    connection = connections[AuditEvent.objects.db]
    if not connection.in_atomic_block:
        raise RuntimeError("audit_deferred needs a transaction")
    depth = getattr(connection, "_audit_deferring", 0)
    connection._audit_deferring = depth + 1
    try:
        yield
    except BaseException:
        connection._audit_deferring = depth
        if depth == 0 and not connection.needs_rollback:
            try:
                _flush(connection)
            except Exception:
                logger.exception("audit events of a failed block could not be appended")
                transaction.set_rollback(True, using=connection.alias)
        raise
    connection._audit_deferring = depth
    if depth == 0:
        _flush(connection)


class _Deferred:
    """An event held back by `audit_deferred`, waiting in the transaction's on-commit list."""

    def __init__(self, event: AuditEvent):
        self.event = event
        self.__qualname__ = "audit_deferred"  # Django names a failing callback by it

    def __call__(self) -> None:  # after the commit: `_flush` takes appended events off the list
        logger.error("audit event %s on %s:%s was held back past its commit; appended late",
                     self.event.action, self.event.object_type, self.event.object_id)
        with transaction.atomic(using=AuditEvent.objects.db):
            _chain(connections[AuditEvent.objects.db], [self.event])


def _flush(connection) -> None:
    """Append the held-back events still in the transaction (Django drops a rolled-back
    savepoint's on-commit callbacks), then take them off the list: they are rows now."""
    waiting = [func for _sids, func, _robust in connection.run_on_commit
               if isinstance(func, _Deferred)]
    if waiting:
        _chain(connection, [w.event for w in waiting])
        connection.run_on_commit = [entry for entry in connection.run_on_commit
                                    if not isinstance(entry[1], _Deferred)]


def _chain(connection, events: list[AuditEvent]) -> None:
    """Link `events` (in order) to the chain and to their objects' chains, and insert them.
    The first read locks the head (PostgreSQL; SQLite's write lock is the file's)."""
    first = events[0]
    head = _read_head(connection, first.object_type, first.object_id)
    last_hash = head.last_hash
    last_for: dict[tuple[str, str], str] = {
        (first.object_type, first.object_id): head.last_for_object or GENESIS}
    others = list({(e.object_type, e.object_id) for e in events} - last_for.keys())
    last_for.update(_last_for_objects(connection, others))  # one statement for all of them
    for event in events:
        key = (event.object_type, event.object_id)
        event.prev_object_hash, event.prev_hash = last_for[key], last_hash
        event.hash = last_for[key] = last_hash = event.compute_hash()
    _append(connection, events)


class _Head(NamedTuple):
    last_hash: str
    last_for_object: str | None


def _read_head(connection, object_type: str, object_id: str) -> _Head:
    """The head (locked) and the object's last hash, in one statement when nobody appended
    while it waited for the lock. On PostgreSQL the whole statement reads the snapshot taken
    before the wait, but the locked row as it is after: the head as seen in the snapshot is read
    too, and if the two differ, events were committed meanwhile and the object's last hash is
    read again."""
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor).read_head, [object_type, object_id])
        row = cursor.fetchone()
    if row is None:  # a new database: the head is made once, then read under the lock
        AuditHead.objects.get_or_create(pk=1)
        return _read_head(connection, object_type, object_id)
    locked, seen, last_for_object = row
    if locked != seen:
        key = (object_type, object_id)
        last_for_object = _last_for_objects(connection, [key])[key]
    return _Head(locked, last_for_object)


def _last_for_objects(connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Each object's last hash (GENESIS for none), in one statement however many objects."""
    if not keys:
        return {}
    last = _sql(connection.vendor).last_for_object
    union = " UNION ALL ".join(f"SELECT {n} AS n, ({last}) AS h" for n in range(len(keys)))
    with connection.cursor() as cursor:
        cursor.execute(f"{union} ORDER BY n", [v for key in keys for v in key])
        hashes = [row[1] for row in cursor.fetchall()]
    return {key: found or GENESIS for key, found in zip(keys, hashes, strict=True)}


def _append(connection, events: list[AuditEvent]) -> None:
    """Insert `events`, already linked, and move the head to the last: on PostgreSQL in one
    statement; on SQLite, whose writers queue on the file anyway, in two."""
    move_head = _sql(connection.vendor).move_head
    head = [events[-1].hash, len(events)]
    if connection.vendor != "postgresql":
        insert_all(events)
        with connection.cursor() as cursor:
            cursor.execute(move_head, head)
        return
    insert, params = insert_statement(events, connection)
    with connection.cursor() as cursor:
        cursor.execute(_insert_and_move(insert, move_head), params + head)
        inserted(events, [row[0] for row in cursor.fetchall()], connection)


@cache
def _insert_and_move(insert: str, move_head: str) -> str:
    return f"WITH e AS ({insert}), h AS ({move_head}) SELECT id FROM e ORDER BY id"


class _Statements(NamedTuple):
    read_head: str
    last_for_object: str
    move_head: str


@cache
def _sql(vendor: str) -> _Statements:
    events, head = AuditEvent._meta.db_table, AuditHead._meta.db_table
    lock = " FOR UPDATE OF h" if vendor == "postgresql" else ""  # SQLite: the file is locked
    last_for_object = (f"SELECT e.hash FROM {events} e WHERE e.object_type = %s "
                       f"AND e.object_id = %s ORDER BY e.id DESC LIMIT 1")
    read_head = (f"SELECT h.last_hash, (SELECT s.last_hash FROM {head} s WHERE s.id = 1), "
                 f"({last_for_object}) FROM {head} h WHERE h.id = 1{lock}")
    move_head = f"UPDATE {head} SET last_hash = %s, count = count + %s WHERE id = 1"
    return _Statements(read_head, last_for_object, move_head)
