"""The one transition function of the case state machine.

Every state change goes through `transition`: it locks the case row, checks that the action is
allowed from the current state (django-fsm-2's table on the model), lets the caller change the
case, saves, writes the audit event and the in-app notifications (email and SMS are sent after
the commit). An error anywhere rolls the whole transaction back: nothing is half-written.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cache

from django.db import OperationalError, models, transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from onewindow.audit.services import audit_deferred, audit_record
from onewindow.cases import notify
from onewindow.cases.errors import (
    CalendarGap,
    CaseBusy,
    CaseForbidden,
    CaseInputError,
    IllegalTransition,
)
from onewindow.cases.models import Case
from onewindow.cases.services import bundles
from onewindow.core.db import Prepared, save_fields
from onewindow.workdays.errors import CalendarNotCovered


def lock_case(case_id: int, *, busy: str | None = None) -> Case:
    """Fetch and lock the case row. Call inside a transaction. Raises Case.DoesNotExist.

    Every move starts here, so the query is compiled once (`Prepared`), and it brings what
    most moves read — the item (materials, limits, documents), the department (documents'
    stamp), the applicant and the enterprise (notifications, facts) — in the same statement;
    only the case row is locked. The loaded values are kept so that `save_changes` writes only
    what the move changed.

    `busy`: do not wait for a lock another transaction holds, refuse at once with
    `CaseBusy(busy)` (a caller holding another case's lock that this one's mover may wait for:
    the bundle stop rule, `bundles._terminate`)."""
    case = _LOCK.first(case_id) if busy is None else _lock_without_waiting(case_id, busy)
    if case is None:
        raise Case.DoesNotExist(f"case {case_id}")
    return track_changes(case)


def _lock_query(*, nowait: bool) -> Prepared:
    return Prepared(lambda pk: Case.objects.select_for_update(of=("self",), nowait=nowait)
                    .select_related("item", "enterprise", "department", "applicant")
                    .filter(pk=pk))


_LOCK, _LOCK_NOWAIT = _lock_query(nowait=False), _lock_query(nowait=True)


def _lock_without_waiting(case_id: int, busy: str) -> Case | None:
    try:
        with transaction.atomic():  # a savepoint: the refused lock leaves the rest usable
            return _LOCK_NOWAIT.first(case_id)
    except OperationalError:
        raise CaseBusy(busy) from None


def track_changes(case: Case) -> Case:
    """Remember the locked row's values, so that `save_changes` writes only what changes."""
    case._as_locked = _values(case)
    return case


def save_changes(case: Case) -> None:
    """Save the fields changed since `lock_case` (all of them for a case not loaded there)."""
    before = getattr(case, "_as_locked", None)
    if before is None:
        case.save()
        return
    after = _values(case)
    changed = [name for name, value in after.items() if before.get(name) != value]
    if changed:
        save_fields(case, [*changed, "updated_at"])  # auto_now: only when named
        after["updated_at"] = case.updated_at
    case._as_locked = after


def _values(case: Case) -> dict:
    # Copies of the JSON fields' values: a form's data changed in place must still count as
    # changed. (Read twice per move: the field lists are worked out once.)
    plain, json = _field_names()
    values = {name: getattr(case, name) for name in plain}
    values.update({name: copy.deepcopy(getattr(case, name)) for name in json})
    return values


@cache
def _field_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    json = tuple(f.attname for f in fields if isinstance(f, models.JSONField))
    return tuple(f.attname for f in fields if f.attname not in json), json


def require(actor, perm: str, case: Case, message: str) -> None:
    if actor is not None and not actor.has_perm(perm, case):
        raise CaseForbidden(message)


@transaction.atomic
@audit_deferred()  # the chain's head is locked from the block's end to the commit only
def transition(*, case_id: int, action: str, actor, perm: str | None, note: str = "",
               apply: Callable[[Case], dict | None] | None = None,
               event: str | None = None, whole_bundle: bool = False,
               busy: str | None = None) -> Case:
    """Move case `case_id` by `action` (a @transition method of Case).

    `perm` is checked against the actor (None: a system job). `apply(case)` runs after the
    move, under the lock, and may return extra audit details. `whole_bundle`: the bundle
    service's own act on a bundle's parent (anyone else acts on its parts, see `require_act`).
    `busy`: refuse at once rather than wait for the case's lock (`lock_case`).
    """
    return move_as(actor, perm, lock_case(case_id, busy=busy), action=action, note=note,
                   apply=apply, event=event, whole_bundle=whole_bundle)


def move_as(actor, perm: str | None, case: Case, *, action: str, note: str = "",
            apply: Callable[[Case], dict | None] | None = None, event: str | None = None,
            tell: bool = True, whole_bundle: bool = False) -> Case:
    """`move`, after checking `perm` against the actor (None: a system job): `transition` for
    a case the caller already holds locked (`lock_case`) in its open transaction."""
    require_act(actor, perm, case, whole_bundle=whole_bundle)
    return move(case, action=action, actor=actor, note=note, apply=apply, event=event,
                tell=tell)


def require_act(actor, perm: str | None, case: Case, *, whole_bundle: bool = False) -> None:
    """May `actor` act on `case` with `perm` (None: a system job, always)? A person acts on a
    bundle's parts, not on its parent, which the parts move (`bundles.bundle_part_moved`):
    only the bundle service's own acts on the parent (`whole_bundle`) pass."""
    if perm is None:
        return
    require(actor, perm, case, _forbidden_message())
    if case.is_bundle_parent and not whole_bundle:
        raise CaseInputError(_("这是“一件事”的主办件，请在一件事页面办理，或办理其中的各个事项。"))


def move(case: Case, *, action: str, actor, note: str = "",
         apply: Callable[[Case], dict | None] | None = None, event: str | None = None,
         tell: bool = True, save: bool = True) -> Case:
    """`transition` for a case the caller already holds locked (`lock_case`, or
    `track_changes` after its own `select_for_update`) in its open transaction: a service that
    makes several moves under one lock (instant approval) makes them without a savepoint and a
    fresh lock for each. `tell=False`: nobody is notified of this move, because the caller
    tells of the transaction's outcome instead (an instant approval is one message, not
    three). `save=False`: the caller's next move on the case saves this one's changes with
    its own, in one UPDATE (a part of a bundle is saved at once: its parent reads it)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("core.move needs the transaction that locked the case")
    step = getattr(case, action)
    if not can_proceed(step):
        raise IllegalTransition(case, action)
    old = case.state
    step()
    details = _run(apply, case)
    if save or case.parent_id is not None:
        save_changes(case)
    audit_record(actor=actor, action=f"case_{event or action}", obj=case,
                 old={"state": old}, new={"state": case.state, **(details or {})}, note=note)
    if tell:
        notify.case_event(case, event or action)
    if case.parent_id is not None:  # a part of a bundle (一件事): in the same transaction
        bundles.bundle_part_moved(case=case, actor=actor)
    return case


@transaction.atomic
@audit_deferred()
def record(*, case_id: int, action: str, actor, perm: str | None, note: str = "",
           apply: Callable[[Case], dict | None], whole_bundle: bool = False) -> Case:
    """A change that is not a move (an extension, a review opinion): same lock and audit."""
    case = lock_case(case_id)
    require_act(actor, perm, case, whole_bundle=whole_bundle)
    details = _run(apply, case)
    save_changes(case)
    audit_record(actor=actor, action=f"case_{action}", obj=case, new=details, note=note)
    notify.case_event(case, action)
    return case


def _run(apply, case):
    if apply is None:
        return None
    try:
        return apply(case)
    except CalendarNotCovered as exc:
        raise CalendarGap(exc.message + _("，请联系管理员录入节假日安排。")) from exc


def _forbidden_message() -> str:
    return _("您无权对该办件执行此操作。")
