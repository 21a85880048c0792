"""`onewindow appointments …`: appointments upkeep from the shell.

    onewindow appointments tick                 # no-shows, day-before reminders, slots ahead
    onewindow appointments slots --days 14      # generate missing slots from today

Both are idempotent; run `tick` from cron every few minutes (see docs/appointments.md).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from onewindow.appointments import jobs
from onewindow.appointments.services import slots_generate


class Command(BaseCommand):
    help = "Appointments: `tick` (no-shows, reminders, slots) and `slots` (generate slots)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("tick", help="mark no-shows, remind tomorrow's bookings, generate slots")
        slots = sub.add_parser("slots", help="generate the missing slots of the coming days")
        slots.add_argument("--days", type=int, default=14)
        slots.add_argument("--start", type=dt.date.fromisoformat, default=None,
                           help="first day, YYYY-MM-DD (default today)")

    def handle(self, *args, action, **options):
        if action == "tick":
            self.stdout.write(str(jobs.tick()))
            return
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        created = slots_generate(actor=None, start=options["start"], days=options["days"])
        self.stdout.write(f"{created} slots created")
