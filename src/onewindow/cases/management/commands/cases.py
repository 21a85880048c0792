"""`onewindow cases …`: case upkeep from the shell.

    onewindow cases tick                 # the clock job: deemed acceptance, warnings, escalations
    onewindow cases deliver [--every 2]  # the delivery worker: send queued email and SMS
    onewindow cases deliver --once       # send what is due now, then stop

`tick` is idempotent; run it from cron every few minutes (see docs/operations.md). It prints a
one-line summary and what it did; it exits non-zero when a case could not be handled (the
details are in the log), so cron can alert.

`deliver` sends the messages queued when `ONEWINDOW_NOTIFY_QUEUE` is on, and the retries that
are due, until it is stopped (SIGTERM or Ctrl-C: it finishes the message in hand first). Run it
as a service beside the web processes; several may run at once (each message is claimed).
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from onewindow.cases import jobs, notify


class Command(BaseCommand):
    help = "Cases: `tick` runs the clock job, `deliver` the delivery worker (docs/operations.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="deem overdue pre-reviews accepted, raise warnings and "
                                    "escalations; idempotent")
        deliver = sub.add_parser("deliver", help="send queued email and SMS until stopped")
        deliver.add_argument("--every", type=float, default=2.0, metavar="SECONDS",
                             help="how long to wait when nothing is due (default 2)")
        deliver.add_argument("--once", action="store_true",
                             help="send what is due now, then stop")

    def handle(self, *args, action, **options):
        if action == "deliver":
            self.deliver(every=options["every"], once=options["once"])
        else:
            self.tick()

    def tick(self) -> None:
        summary = jobs.tick()
        for label, numbers in (("deemed accepted", summary.deemed),
                               ("warning", summary.warnings),
                               ("escalated", summary.escalations),
                               ("tolerance lapsed", summary.lapsed),
                               ("verification escalated", summary.verifications_escalated)):
            for number in numbers:
                self.stdout.write(f"  {label}: {number}")
        if summary.failures:
            raise CommandError(f"{summary}; failed: {', '.join(summary.failures)}")
        self.stdout.write(str(summary))

    def deliver(self, *, every: float, once: bool) -> None:
        if every <= 0:
            raise CommandError("--every must be more than 0 seconds")
        stop = threading.Event()
        if once:
            self.deliver_due()
            return
        before = {signum: signal.signal(signum, lambda *_: stop.set())
                  for signum in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"delivering queued messages every {every:g} s; stop with SIGTERM or "
                          f"Ctrl-C")
        try:
            while not stop.is_set():
                close_old_connections()  # a long-lived process: drop a connection gone bad
                if not self.deliver_due(quiet=True):
                    stop.wait(every)  # nothing was due (or the database is away): wait
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)
        self.stdout.write("delivery worker stopped")

    def deliver_due(self, *, quiet: bool = False) -> bool:
        """One round; True when it sent or tried something (the worker goes on at once)."""
        summary = notify.send_due_deliveries()
        if summary:
            self.stdout.write(f"messages sent {summary.sent}, failed {summary.failed}, "
                              f"given up {summary.given_up}, errors {len(summary.errors)}")
        if summary.errors and not quiet:
            raise CommandError(f"could not handle: {', '.join(summary.errors)}")
        return bool(summary.sent or summary.failed or summary.given_up)
