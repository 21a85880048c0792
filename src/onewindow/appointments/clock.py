"""The zone's time for appointments: one place to read "now", which tests replace."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zone()).date()


def today() -> dt.date:
    return local_date(now())


def at(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment of `time` on `day` in the zone's time zone."""
    return dt.datetime.combine(day, time, tzinfo=zone())
