from django.db import models
from django.utils.translation import gettext_lazy as _


class DayType(models.TextChoices):
    """Which days a schedule rule applies to. Working days come from the workdays calendar, so
    a make-up working Saturday takes the WORKDAY rules and a public holiday takes none."""

    WORKDAY = "workday", _("工作日")
    SATURDAY = "saturday", _("周六（非工作日）")
    SUNDAY = "sunday", _("周日（非工作日）")


class BookingState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到取号")
    CALLED = "called", _("已叫号")
    SERVED = "served", _("已办理")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("爽约")


# A booking that holds its place in the slot and counts towards "one per person, item and day".
ACTIVE_STATES = frozenset({BookingState.BOOKED, BookingState.CHECKED_IN, BookingState.CALLED})
# A ticket waiting in the hall's queue or at a window.
QUEUE_STATES = frozenset({BookingState.CHECKED_IN, BookingState.CALLED})
