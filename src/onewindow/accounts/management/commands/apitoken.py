from django.core.management.base import BaseCommand, CommandError

from onewindow.accounts.models import User
from onewindow.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for another system: `apitoken create USERNAME NAME`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("name")

    def handle(self, *args, action, username, name, **options):
        owner = User.objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"no user {username!r}")
        _token, key = api_token_create(actor=None, owner=owner, name=name)
        self.stdout.write(key)
