"""The booking policy, from Django settings (each with a default), read when used so tests and
operators can change it. Settings that come from the environment belong in onewindow.config;
these are project policy, overridable in a settings module:

- APPOINTMENTS_BOOKING_DAYS (14): how many days ahead slots are generated and bookable.
- APPOINTMENTS_CANCEL_CUTOFF_MINUTES (60): change or cancel until this long before the slot.
- APPOINTMENTS_CHECKIN_EARLY_MINUTES (60): check in from this long before the slot starts.
- APPOINTMENTS_NO_SHOW_LIMIT (3), APPOINTMENTS_NO_SHOW_WINDOW_DAYS (90),
  APPOINTMENTS_NO_SHOW_BLOCK_DAYS (30): that many no-shows within the window block booking
  for the block period, counted from the last of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "APPOINTMENTS_BOOKING_DAYS": 14,
    "APPOINTMENTS_CANCEL_CUTOFF_MINUTES": 60,
    "APPOINTMENTS_CHECKIN_EARLY_MINUTES": 60,
    "APPOINTMENTS_NO_SHOW_LIMIT": 3,
    "APPOINTMENTS_NO_SHOW_WINDOW_DAYS": 90,
    "APPOINTMENTS_NO_SHOW_BLOCK_DAYS": 30,
}


@dataclass(frozen=True)
class Policy:
    booking_days: int
    cancel_cutoff: dt.timedelta
    checkin_early: dt.timedelta
    no_show_limit: int
    no_show_window: dt.timedelta
    no_show_block: dt.timedelta


def _setting(name: str) -> int:
    value = getattr(settings, name, DEFAULTS[name])
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ImproperlyConfigured(f"{name}={value!r} must be a whole number ≥ 0")
    return value


def policy() -> Policy:
    return Policy(
        booking_days=_setting("APPOINTMENTS_BOOKING_DAYS"),
        cancel_cutoff=dt.timedelta(minutes=_setting("APPOINTMENTS_CANCEL_CUTOFF_MINUTES")),
        checkin_early=dt.timedelta(minutes=_setting("APPOINTMENTS_CHECKIN_EARLY_MINUTES")),
        no_show_limit=max(1, _setting("APPOINTMENTS_NO_SHOW_LIMIT")),
        no_show_window=dt.timedelta(days=_setting("APPOINTMENTS_NO_SHOW_WINDOW_DAYS")),
        no_show_block=dt.timedelta(days=_setting("APPOINTMENTS_NO_SHOW_BLOCK_DAYS")),
    )
