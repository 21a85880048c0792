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

import math
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from onewindow.cases import jobs, notify

# After rounds that could not even start (the database away, a backend that does not load),
# the worker waits twice as long each time, up to this, rather than log the same error every
# few seconds.
LONGEST_WAIT = 60.0


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
        if not (math.isfinite(every) and 0 < every <= LONGEST_WAIT):
            raise CommandError(f"--every must be more than 0 and at most {LONGEST_WAIT:g} "
                               f"seconds")
        if once:
            summary = self.deliver_round()
            if summary.errors:
                raise CommandError(f"could not handle: {', '.join(summary.errors)}")
            return
        self.stopping = False

        def stop(*_):  # a flag only: nothing here may wait for a lock the loop holds
            self.stopping = True

        before = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM,
                                                                     signal.SIGINT)}
        self.say(f"delivering queued messages every {every:g} s; stop with SIGTERM or Ctrl-C")
        wait = every
        try:
            while not self.stopping:
                close_old_connections()  # a long-lived process: drop a connection gone bad
                summary = self.deliver_round(stop=lambda: self.stopping)
                if summary.handled:
                    wait = every  # there may be more: on at once
                    continue
                wait = min(wait * 2, LONGEST_WAIT) if summary.errors else every
                self.pause(wait)
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)
        self.say("delivery worker stopped")

    def deliver_round(self, stop=None) -> notify.DeliverySummary:
        summary = notify.send_due_deliveries(stop=stop)
        if summary:
            self.say(f"{summary}, errors {len(summary.errors)}")
        return summary

    def pause(self, seconds: float) -> None:
        """Sleep, waking early when told to stop."""
        end = time.monotonic() + seconds
        while not self.stopping and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()  # a service's output is a pipe: each line as it happens
