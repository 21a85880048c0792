"""Outbound webhooks against a real local HTTP server: signed, sent after the commit, retried
with backoff by the tick, given up after the maximum, nothing sent for a rolled-back change."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from onewindow.complaints import jobs, services, webhooks
from onewindow.complaints.enums import DeliveryState
from onewindow.complaints.errors import RequestInputError
from onewindow.complaints.models import WebhookDelivery
from tests.complaints.conftest import file
from tests.complaints.factories import WebhookSubscriptionFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A local endpoint; `fail` makes it answer 500."""

    def __init__(self):
        self.received, self.fail = [], False
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(500 if receiver.fail else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def subscription(receiver):
    return WebhookSubscriptionFactory(url=receiver.url, secret="top-secret")


def test_webhook_sent_after_commit_with_valid_signature(zone, clock, subscription, receiver,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = file(zone)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(b"top-secret", headers["X-Onewindow-Timestamp"].encode()
                                    + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Onewindow-Signature"] == expected
    payload = json.loads(body)
    assert payload["event"] == "file" and payload["state"] == "submitted"
    assert payload["request"]["service_request_id"] == request.number
    assert WebhookDelivery.objects.get().state == DeliveryState.SENT


def test_webhook_one_delivery_per_status_change(zone, clock, subscription, receiver,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = file(zone)
        services.request_dispatch(actor=zone.dispatcher, request_id=request.pk, lead=zone.lead)
        services.request_nudge(actor=zone.dispatcher, request_id=request.pk, text="快")
    events = [json.loads(b)["event"] for _, b in receiver.received]
    assert events == ["file", "dispatch"]  # a nudge is not a status change


def test_webhook_not_queued_for_rolled_back_change(zone, clock, subscription, receiver,
                                                   django_capture_on_commit_callbacks):
    request = file(zone)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RequestInputError):
        services.request_dismiss(actor=zone.dispatcher, request_id=request.pk, reason="")
    assert WebhookDelivery.objects.filter(event="dismiss").count() == 0


def test_webhook_failure_retried_with_backoff_then_sent(zone, clock, subscription, receiver,
                                                        django_capture_on_commit_callbacks):
    receiver.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        file(zone)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.response_status == 500 and delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at > timezone.now()
    assert jobs.tick().webhooks_sent == 0  # not due yet: no second attempt
    assert WebhookDelivery.objects.get().attempts == 1
    receiver.fail = False
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert jobs.tick().webhooks_sent == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    assert len(receiver.received) == 2


def test_webhook_given_up_after_max_attempts(zone, clock, subscription, receiver, settings,
                                             django_capture_on_commit_callbacks):
    settings.ONEWINDOW_COMPLAINTS_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        file(zone)
    for _ in range(2):
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        jobs.tick()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 3
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    jobs.tick()
    assert WebhookDelivery.objects.get().attempts == 3


def test_webhook_unreachable_records_error(zone, clock, django_capture_on_commit_callbacks):
    WebhookSubscriptionFactory(url="http://127.0.0.1:9/nothing-listens")
    with django_capture_on_commit_callbacks(execute=True):
        file(zone)
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.response_status is None and delivery.last_error


def test_webhook_backoff_doubles():
    assert [webhooks.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]


def test_webhook_claimed_delivery_not_sent_twice(zone, clock, subscription, receiver):
    file(zone)  # queued; on_commit never runs inside the test transaction
    pk = WebhookDelivery.objects.get().pk
    assert webhooks.deliver(pk) == DeliveryState.SENT
    assert webhooks.deliver(pk) is None
    assert len(receiver.received) == 1
