"""The one transition function of the request state machine.

`transition` locks the request row, checks the actor's permission, picks and checks the move
(django-fsm-2's table on the model), lets the caller change the request under the lock, saves,
writes the audit event and, when the state changed, queues the webhook deliveries in the same
transaction. An error anywhere rolls everything back: nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from onewindow.audit.services import audit_record
from onewindow.complaints import webhooks
from onewindow.complaints.errors import IllegalTransition, RequestForbidden
from onewindow.complaints.models import ServiceRequest

Move = str | Callable[[ServiceRequest], str | None] | None


def lock_request(request_id: int) -> ServiceRequest:
    """Fetch and lock the request row. Call inside a transaction."""
    return ServiceRequest.objects.select_for_update().get(pk=request_id)


@transaction.atomic
def transition(*, request_id: int, action: str, actor, perm: str | None, move: Move = None,
               apply: Callable[[ServiceRequest], dict | None] | None = None,
               note: str = "") -> ServiceRequest:
    """Change request `request_id` by `action`.

    `perm` is checked against the actor (None: a system job). `move` names the @transition
    method to run (or is a function of the locked request that names it, or None for a change
    that is not a move). `apply(request)` runs after the move, under the lock, may raise a
    `ComplaintError`, and may return extra audit details.
    """
    request = lock_request(request_id)
    if perm is not None and not actor.has_perm(perm, request):
        raise RequestForbidden(_("您无权对该诉求执行此操作。"))
    old = request.state
    name = move(request) if callable(move) else move
    if name is not None:
        method = getattr(request, name)
        if not can_proceed(method):
            raise IllegalTransition(request, action)
        method()
    details = apply(request) if apply is not None else None
    request.full_clean()
    request.save()
    audit_record(actor=actor, action=f"request.{action}", obj=request, old={"state": old},
                 new={"state": request.state, **(details or {})}, note=note)
    if request.state != old:
        webhooks.enqueue(request, event=action, old_state=old)
    return request
