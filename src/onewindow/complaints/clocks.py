"""The two clocks of a request: first response and closing, in hours or working days.

An hour limit is plain elapsed time. A working-day limit ends at the end of the Nth working
day after the day the clock started (that day not counted), on the zone's calendar.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.complaints.enums import LimitUnit
from onewindow.complaints.errors import CalendarGap
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.selectors import add_working_days


def now() -> dt.datetime:
    """The current time; tests move it."""
    return timezone.now()


def due_after(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    if unit == LimitUnit.HOURS:
        return start + dt.timedelta(hours=amount)
    local = timezone.localtime(start)
    try:
        day = add_working_days(local.date(), amount).date
    except CalendarNotCovered as exc:
        raise CalendarGap(exc.message + _("，请联系管理员录入节假日安排。")) from exc
    end = dt.datetime.combine(day, dt.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def colour(due: dt.datetime, done_at: dt.datetime | None, *, at: dt.datetime | None = None) -> str:
    """green, red (late) or done/done_late, for the pages."""
    if done_at is not None:
        return "done" if done_at <= due else "done_late"
    return "red" if (at or now()) > due else "green"
