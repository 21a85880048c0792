"""What every bidding service shares: the tender lock, refusals that are audited, live events.

A refusal must leave nothing changed and still be on the record. `refusals_audited` runs the
service in its own atomic block (a savepoint inside a caller's transaction); when the service
raises a `BiddingError`, that block is rolled back first and the refusal is written after it,
in the caller's transaction (or its own).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.bidding import live
from onewindow.bidding.errors import BiddingError, BiddingStateError
from onewindow.bidding.models import Tender


def lock_tender(tender_id: int) -> Tender:
    """Fetch and lock the tender row. Call inside a transaction; every session write takes this
    lock, so a score and the chair's close are strictly ordered."""
    return Tender.objects.select_for_update().get(pk=tender_id)


def require_state(tender: Tender, states, message: str) -> None:
    if tender.state not in states:
        raise BiddingStateError(message)


def publish_on_commit(*, tender_id: int, event: str, payload: dict) -> None:
    transaction.on_commit(
        lambda: live.publish(tender_id=tender_id, event=event, payload=payload), robust=True)


def _tender_of(kwargs: dict[str, Any]):
    for name in ("tender", "bid", "member", "report", "criterion", "recording", "recheck"):
        obj = kwargs.get(name)
        if obj is None:
            continue
        return obj if isinstance(obj, Tender) else getattr(obj, "tender", None)
    return None


def _describe(kwargs: dict[str, Any]) -> dict:
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in kwargs.items()
            if k not in ("signer", "content", "file")}


def refusals_audited(action: str):
    """Decorate a keyword-only service: a `BiddingError` is audited as `bidding.refused`."""
    def wrap(service):
        @functools.wraps(service)
        def run(*, actor, **kwargs):
            try:
                with transaction.atomic():
                    return service(actor=actor, **kwargs)
            except BiddingError as exc:
                tender = _tender_of(kwargs)
                if tender is not None:
                    with transaction.atomic():
                        audit_record(actor=actor, action="bidding.refused", obj=tender,
                                     new={"action": action, "input": _describe(kwargs),
                                          "status": exc.status}, note=exc.message)
                raise
        return run
    return wrap
