"""Demo logins, one per role, and the table that tells people how to sign in.

The shared password is set only when a user is created: a second seed never resets a password
someone has changed. With ONEWINDOW_NO_DEMO_USERS=1 no demo user is created at all, so a
production database never gets an account with a published password.
"""

from __future__ import annotations

import unicodedata

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from onewindow.accounts.enums import Role
from onewindow.accounts.models import EnterpriseMembership, User
from onewindow.catalog.services import catalog_admin_group
from onewindow.config import env_bool
from onewindow.core.seeding import data
from onewindow.core.seeding.organisations import Organisations
from onewindow.core.seeding.sync import Recorder, add_links, sync_row

DEMO_PASSWORD = "Demo@2026"
NO_DEMO_USERS_ENV = "ONEWINDOW_NO_DEMO_USERS"


def demo_users_disabled() -> bool:
    return env_bool(NO_DEMO_USERS_ENV, False)


def demo_user_specs() -> list[dict]:
    return data.load("users.json")["users"]


def seed_users(recorder: Recorder, orgs: Organisations) -> list[User]:
    password = _DemoPassword()
    return [_user(recorder, raw, orgs, password) for raw in demo_user_specs()]


class _DemoPassword:
    """Hashes the shared password once per run: argon2 takes ~0.4 s a hash by design, and a
    salt of its own per account protects nothing when every account has the published password.
    """

    def __init__(self) -> None:
        self._encoded: str | None = None

    def __call__(self, user: User) -> None:
        validate_password(DEMO_PASSWORD, user)
        if self._encoded is None:
            self._encoded = make_password(DEMO_PASSWORD)
        user.password = self._encoded


def _user(recorder: Recorder, raw: dict, orgs: Organisations, password: _DemoPassword) -> User:
    values = {
        "first_name": raw["first_name"],
        "last_name": raw["last_name"],
        "email": raw.get("email", ""),
        "role": raw["role"],
        "phone": raw.get("phone", ""),
        "ric": data.make_ric(raw["ric_body"]) if "ric_body" in raw else "",
        "department": orgs.departments[raw["department"]] if "department" in raw else None,
        "window": orgs.windows[raw["window"]] if "window" in raw else None,
        "is_staff": raw.get("is_staff", False),
        "is_superuser": raw.get("is_superuser", False),
    }
    user = sync_row(
        recorder, User, lookup={"username": raw["username"]}, values=values,
        before_create=password,
    )
    if "enterprise" in raw:
        sync_row(
            recorder,
            EnterpriseMembership,
            lookup={"user": user, "enterprise": orgs.enterprises[raw["enterprise"]]},
            values={"capacity": raw.get("capacity", EnterpriseMembership.Capacity.HANDLER)},
            parent=user,
        )
    if raw["role"] == Role.CATALOG_ADMIN:
        # The catalog's own service keeps the group's permissions (and audits changes to them).
        add_links(recorder, user, "groups", [catalog_admin_group(actor=None)])
    return user


def logins_table() -> str:
    """The demo logins as a text table, for the end of `seed` and the start of `demo`."""
    if demo_users_disabled():
        return (
            f"Demo users are disabled ({NO_DEMO_USERS_ENV}=1): no account with the demo "
            "password exists. Create an administrator with `onewindow createsuperuser`.\n"
        )
    specs = demo_user_specs()
    existing = {
        u.username: u
        for u in User.objects.filter(username__in=[s["username"] for s in specs])
        .select_related("department")
        .prefetch_related("enterprises")
    }
    rows = [("用户名 username", "角色 role", "姓名 name", "单位 organisation")]
    for spec in specs:
        user = existing.get(spec["username"])
        if user is not None:
            rows.append((user.username, f"{user.get_role_display()} ({user.role})",
                         user.get_full_name(), _organisation(user)))
    lines = [
        f"Demo logins — password for every account: {DEMO_PASSWORD}",
        "(set when the account was created; a later seed never resets a changed password)",
        "",
        *_format_rows(rows),
    ]
    return "\n".join(lines) + "\n"


def _organisation(user: User) -> str:
    enterprises = list(user.enterprises.all())
    if enterprises:
        return "、".join(e.name for e in enterprises)
    if user.department is not None:
        return user.department.name
    return "个人" if user.role == Role.APPLICANT else ""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _format_rows(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return [line(rows[0]), rule, *(line(row) for row in rows[1:])]
