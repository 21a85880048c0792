"""Outbound webhooks: linked platforms hear of every status change of a request.

A change queues one `WebhookDelivery` per active subscription inside the change's transaction
(so a rolled-back change sends nothing) and sends it after the commit. A delivery that fails
is retried by `onewindow complaints tick` with exponential backoff, then given up and logged.

The body is JSON: {"event", "old_state", "state", "request": <Open311 record>}. Headers:
`X-Onewindow-Event`, `X-Onewindow-Delivery` (the delivery id; receivers de-duplicate on it),
`X-Onewindow-Timestamp` (Unix seconds) and `X-Onewindow-Signature: sha256=<hex>`, the
HMAC-SHA256 with the subscription's secret of "<timestamp>.<body>".
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from onewindow.complaints import conf
from onewindow.complaints.enums import DeliveryState
from onewindow.complaints.models import ServiceRequest, WebhookDelivery, WebhookSubscription
from onewindow.complaints.records import open311_record, row_of
from onewindow.core.retry import backoff, claim

logger = logging.getLogger("onewindow.complaints.webhooks")


def enqueue(request: ServiceRequest, *, event: str, old_state: str) -> list[int]:
    """Queue deliveries for a change of `request`. Call inside the change's transaction."""
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True))
    if not subscriptions:
        return []
    now = timezone.now()
    payload = {"event": event, "old_state": old_state, "state": request.state,
               "request": open311_record(row_of(request))}
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, request=request, event=event, payload=payload,
                        next_attempt_at=now, created_at=now) for s in subscriptions)
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: [deliver(pk) for pk in ids], robust=True)
    return ids


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def deliver(pk: int) -> str | None:
    """Send one pending, due delivery; return its new state, or None if not ours to send."""
    now = timezone.now()
    if not claim(WebhookDelivery.objects.filter(pk=pk, state=DeliveryState.PENDING), now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=pk)
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    status, error = post(delivery.subscription, delivery, body)
    return _record(delivery, status, error)


def post(subscription: WebhookSubscription, delivery: WebhookDelivery,
         body: bytes) -> tuple[int | None, str]:
    """POST the body; (HTTP status, error text). A 2xx is success."""
    timestamp = int(timezone.now().timestamp())
    req = urllib.request.Request(subscription.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "onewindow-webhooks/1",
        "X-Onewindow-Event": delivery.event,
        "X-Onewindow-Delivery": str(delivery.pk),
        "X-Onewindow-Timestamp": str(timestamp),
        "X-Onewindow-Signature": sign(subscription.secret, timestamp, body),
    })
    try:
        with urllib.request.urlopen(req, timeout=conf.webhook_timeout()) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def _record(delivery: WebhookDelivery, status: int | None, error: str) -> str:
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_status = status
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.sent_at, delivery.last_error = DeliveryState.SENT, now, ""
    else:
        delivery.last_error = error or f"HTTP {status}"
        if delivery.attempts >= conf.webhook_max_attempts():
            delivery.state = DeliveryState.FAILED
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        logger.warning("webhook delivery %s failed (attempt %s): %s", delivery.pk,
                       delivery.attempts, delivery.last_error)
    delivery.save(update_fields=["attempts", "response_status", "state", "sent_at",
                                 "last_error", "next_attempt_at"])
    return delivery.state


def due_deliveries(*, limit: int = 500) -> list[int]:
    return list(WebhookDelivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now(),
    ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
