"""`onewindow complaints …`: request upkeep from the shell.

    onewindow complaints tick    # escalate late clocks, close after the reopen period,
                                 # retry webhook deliveries; idempotent, run from cron
"""

from django.core.management.base import BaseCommand, CommandError

from onewindow.complaints import jobs


class Command(BaseCommand):
    help = "Complaints: `tick` runs the clock and webhook job (see docs/complaints.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="escalate overdue requests, close answered ones after the "
                                    "reopen period, retry webhooks; idempotent")

    def handle(self, *args, action, **options):
        summary = jobs.tick()
        for label, numbers in (("response overdue", summary.response_escalated),
                               ("closing overdue", summary.closing_escalated),
                               ("closed", summary.closed)):
            for number in numbers:
                self.stdout.write(f"  {label}: {number}")
        if summary.failures:
            raise CommandError(f"{summary}; failed: {', '.join(summary.failures)}")
        self.stdout.write(str(summary))
