"""`onewindow feedback …`: rating upkeep from the shell.

    onewindow feedback tick    # invite completed cases, remind once, escalate overdue tasks

Idempotent; run it from cron every few minutes (see docs/feedback.md). Exits non-zero when a
task could not be handled (details in the log), so cron can alert.
"""

from django.core.management.base import BaseCommand, CommandError

from onewindow.feedback import jobs


class Command(BaseCommand):
    help = "Feedback: `tick` sends rating invitations and reminders, escalates overdue " \
           "rectifications (see docs/feedback.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="invite, remind, escalate; idempotent")

    def handle(self, *args, action, **options):
        summary = jobs.tick()
        for task_id in summary.escalated:
            self.stdout.write(f"  escalated: rectification {task_id}")
        if summary.failures:
            raise CommandError(f"{summary}; failed: {', '.join(summary.failures)}")
        self.stdout.write(str(summary))
