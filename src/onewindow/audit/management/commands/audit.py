from django.core.management.base import BaseCommand, CommandError

from onewindow.audit.selectors import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `audit verify` walks the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check every event's hash and both chains")

    def handle(self, *args, action, **options):
        checked, broken = audit_verify()
        if broken is not None:
            where = f"event #{broken.event_id}" if broken.event_id else "chain head"
            raise CommandError(
                f"audit chain broken at {where}: {broken.reason} ({checked} ok before it)"
            )
        self.stdout.write(f"audit chain ok: {checked} events verified")
