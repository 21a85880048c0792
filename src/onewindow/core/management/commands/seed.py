"""`onewindow seed`: the demo zone's organisations, curated catalog and demo logins."""

import time

from django.core.management.base import BaseCommand

from onewindow.core.seeding import SeedReport, logins_table, seed_demo


class Command(BaseCommand):
    help = (
        "Seed the demo zone: departments, halls and windows, enterprises, the curated catalog "
        "(items, materials, steps, bundles) and one demo user per role. Safe to run again: "
        "rows that already match are not written. Set ONEWINDOW_NO_DEMO_USERS=1 to skip the "
        "demo users (production)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-logins", action="store_true", help="do not print the demo logins table"
        )

    def handle(self, *args, no_logins=False, **options):
        started = time.monotonic()
        report = seed_demo()
        seconds = time.monotonic() - started
        if options["verbosity"] >= 1:
            self.stdout.write(summary(report, seconds))
            if not no_logins:
                self.stdout.write("")
                self.stdout.write(logins_table())


def summary(report: SeedReport, seconds: float) -> str:
    if not report.changed:
        return f"Seed: nothing to change, the demo data is up to date ({seconds:.1f} s)."
    lines = [f"Seed: {report.audit_events} objects created or updated ({seconds:.1f} s)."]
    for label, count in sorted(report.created.items()):
        lines.append(f"  created {count:4d} {label}")
    for label, count in sorted(report.updated.items()):
        lines.append(f"  updated {count:4d} {label}")
    for label, count in sorted(report.linked.items()):
        lines.append(f"  linked  {count:4d} {label}")
    if report.users_skipped:
        lines.append("  demo users skipped (ONEWINDOW_NO_DEMO_USERS=1)")
    if report.decision_tables:
        lines.append(f"  decision tables published: {report.decision_tables} (秒批)")
    if report.demo_cases:
        lines.append(f"  demo cases: {report.demo_cases} "
                     "(submitted, returned, in review, delivered)")
    for module, count in sorted(report.modules.items()):
        if count:
            lines.append(f"  {module}: {count} demo objects")
    if report.provisional_year:
        lines.append(f"  working-day calendar: {report.provisional_year} entered as PROVISIONAL"
                     " (weekends and New Year's Day only) until its notice is entered")
    return "\n".join(lines)
