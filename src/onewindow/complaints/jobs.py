"""The clock job, `onewindow complaints tick`: escalate late clocks, close answered requests
after the reopen period, retry failed webhook deliveries. Idempotent: a second run in the
same minute does nothing new (each escalation is marked on the row, under its lock)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db.models import Q

from onewindow.complaints import clocks, conf, webhooks
from onewindow.complaints.enums import LimitUnit, RequestState
from onewindow.complaints.errors import ComplaintError
from onewindow.complaints.models import ServiceRequest
from onewindow.complaints.services import request_close
from onewindow.complaints.services.handling import request_escalate

logger = logging.getLogger("onewindow.complaints.jobs")
RESPONSE_WAITING = (RequestState.SUBMITTED, RequestState.DISPATCHED, RequestState.RETURNED)
CLOSING_WAITING = (*RESPONSE_WAITING, RequestState.ACCEPTED)


@dataclass
class Summary:
    response_escalated: list[str] = field(default_factory=list)
    closing_escalated: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    webhooks_sent: int = 0
    webhooks_failed: int = 0
    failures: list[str] = field(default_factory=list)

    def __str__(self):
        return (f"complaints tick: {len(self.response_escalated)} response escalations, "
                f"{len(self.closing_escalated)} closing escalations, {len(self.closed)} closed, "
                f"webhooks {self.webhooks_sent} sent / {self.webhooks_failed} failed")


def tick() -> Summary:
    summary = Summary()
    now = clocks.now()
    late_response = ServiceRequest.objects.filter(
        state__in=RESPONSE_WAITING, responded_at__isnull=True, response_overdue_at__isnull=True,
        response_due__lt=now)
    late_closing = ServiceRequest.objects.filter(
        state__in=CLOSING_WAITING, answered_at__isnull=True, closing_overdue_at__isnull=True,
        closing_due__lt=now)
    for clock, rows, out in (("response", late_response, summary.response_escalated),
                             ("closing", late_closing, summary.closing_escalated)):
        for pk, number in rows.values_list("pk", "number"):
            _run(summary, number, lambda pk=pk, clock=clock: request_escalate(
                request_id=pk, clock=clock), out)
    for pk, number in _closable(now):
        _run(summary, number, lambda pk=pk: request_close(actor=None, request_id=pk),
             summary.closed)
    for pk in webhooks.due_deliveries():
        state = webhooks.deliver(pk)
        if state == "sent":
            summary.webhooks_sent += 1
        elif state is not None:
            summary.webhooks_failed += 1
    return summary


def _closable(now):
    """Answered requests whose reopen period is over."""
    candidates = ServiceRequest.objects.filter(state=RequestState.ANSWERED).filter(
        ~Q(answered_at__isnull=True)).values_list("pk", "number", "answered_at")
    days = conf.reopen_days()
    return [(pk, number) for pk, number, answered_at in candidates
            if clocks.due_after(answered_at, days, LimitUnit.WORKING_DAYS) < now]


def _run(summary, number, call, out) -> None:
    try:
        if call() is not None:
            out.append(number)
    except ComplaintError:
        # Another process acted first (state moved): nothing to do for this row.
        logger.info("complaints tick: %s skipped", number)
    except Exception:
        logger.exception("complaints tick failed for %s", number)
        summary.failures.append(number)
