"""One seed run: everything in one transaction, then one audit event per changed object."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import import_string

from onewindow.core.seeding.calendar import seed_provisional_year
from onewindow.core.seeding.cases import seed_demo_cases
from onewindow.core.seeding.catalog import seed_catalog
from onewindow.core.seeding.organisations import seed_organisations
from onewindow.core.seeding.sync import Recorder
from onewindow.core.seeding.users import demo_users_disabled, seed_users
from onewindow.decisions.seeding import seed_demo_tables


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)
    audit_events: int = 0
    users_skipped: bool = False
    provisional_year: int | None = None
    demo_cases: int = 0
    decision_tables: int = 0
    # Objects created by the other modules' seeders, by module: {"complaints": 12, …}.
    modules: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.linked or self.provisional_year
                    or self.demo_cases or self.decision_tables or any(self.modules.values()))


@transaction.atomic
def seed_demo(*, with_users: bool | None = None) -> SeedReport:
    """Bring the database in line with `core/demo_data/`; write nothing that already matches.

    `with_users` defaults to "unless ONEWINDOW_NO_DEMO_USERS is set".
    """
    if with_users is None:
        with_users = not demo_users_disabled()
    recorder = Recorder()
    orgs = seed_organisations(recorder)
    seed_catalog(recorder, orgs)
    if with_users:
        seed_users(recorder, orgs)
    events = recorder.flush()
    decision_tables = seed_demo_tables()
    provisional_year = seed_provisional_year()
    demo_cases = seed_demo_cases() if with_users else 0
    modules = seed_modules() if with_users else {}
    return SeedReport(
        provisional_year=provisional_year,
        demo_cases=demo_cases,
        decision_tables=decision_tables,
        created=dict(recorder.created),
        updated=dict(recorder.updated),
        linked=dict(recorder.linked),
        audit_events=events,
        users_skipped=not with_users,
        modules=modules,
    )


# By dotted path, imported when the seed runs: core never imports the business apps at import
# time, so their seeders may use core.seeding's helpers (the demo password …) without a cycle.
MODULE_SEEDERS = {
    "help agents": "onewindow.core.seeding.agents.seed_demo_agents",
    "guide": "onewindow.guide.seeding.seed_demo_guide",
    "appointments": "onewindow.appointments.seeding.seed_demo_appointments",
    "complaints": "onewindow.complaints.seeding.seed_demo_complaints",
    "feedback": "onewindow.feedback.seeding.seed_demo_feedback",
    "bidding": "onewindow.bidding.seeding.seed_demo_bidding",
}


def seed_modules() -> dict[str, int]:
    """The modules that build on the catalog, the users and the demo cases, in that order."""
    return {name: import_string(path)() for name, path in MODULE_SEEDERS.items()}
