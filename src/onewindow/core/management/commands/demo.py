"""`onewindow demo`: migrate, seed the demo zone, print the logins and serve it."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from onewindow.core.seeding import logins_table

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Apply migrations, seed the demo zone and serve it on http://127.0.0.1:8000 "
        "(static files included). Running it again keeps the data and the passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--addrport", default=DEFAULT_ADDRPORT,
            help=f"address and port to serve on (default {DEFAULT_ADDRPORT})",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="migrate and seed, then stop"
        )

    def handle(self, *args, addrport=DEFAULT_ADDRPORT, no_serve=False, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        call_command("seed", no_logins=True, verbosity=verbosity, stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(logins_table())
        self.stdout.write(f"onewindow demo: open {site_url(addrport)}")
        if no_serve:
            return
        runserver_args = [addrport, "--noreload"]
        if not settings.DEBUG:
            # DEBUG is off by default; --insecure lets runserver serve the static files anyway.
            runserver_args.append("--insecure")
        # For `demo`, daphne is first in INSTALLED_APPS (settings.SERVES_WITH_RUNSERVER), so
        # this runserver is daphne's: it serves the ASGI application (HTTP and the bidding
        # session's WebSocket) from one process.
        call_command("runserver", *runserver_args)


def site_url(addrport: str) -> str:
    """The address to open in a browser for a runserver `addrport` ("8000", "0.0.0.0:8000")."""
    host, _, port = addrport.rpartition(":")
    if host in ("", "0.0.0.0", "[::]", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"
