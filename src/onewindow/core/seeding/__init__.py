"""Seeding the demo zone from `core/demo_data/`: organisations, the curated catalog, demo users.

Idempotent: each row is found by its natural key (code, implementation code, username …) and
written only when it is missing or differs from the data, so a second run writes nothing and
records no audit event. Rows are added or brought back in line with the data; nothing is
deleted, and many-to-many links added by hand are kept.
"""

from onewindow.core.seeding.runner import SeedReport, seed_demo
from onewindow.core.seeding.users import DEMO_PASSWORD, demo_users_disabled, logins_table

__all__ = ["DEMO_PASSWORD", "SeedReport", "demo_users_disabled", "logins_table", "seed_demo"]
