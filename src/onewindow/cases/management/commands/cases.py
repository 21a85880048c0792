"""`onewindow cases …`: case upkeep from the shell.

    onewindow cases tick    # the clock job: deemed acceptance, warnings, escalations

`tick` is idempotent; run it from cron every few minutes (see docs/operations.md). It prints a
one-line summary and what it did; it exits non-zero when a case could not be handled (the
details are in the log), so cron can alert.
"""

from django.core.management.base import BaseCommand, CommandError

from onewindow.cases import jobs


class Command(BaseCommand):
    help = "Cases: `tick` runs the clock job (see docs/operations.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="deem overdue pre-reviews accepted, raise warnings and "
                                    "escalations; idempotent")

    def handle(self, *args, action, **options):
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
