"""Which items each window serves, halls' schedules, time slots, bookings and queue tickets.

A window serves the items of the departments stationed at it (`Window.departments`), except
those a `WindowItemOverride` removes, plus those one adds. Slots are per window: the window's
clerks are the capacity. `Slot.booked` is the number of active bookings, changed only under
the slot's row lock (services.booking), and a CHECK keeps it within `capacity`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import ServiceHall, Window
from onewindow.appointments.enums import ACTIVE_STATES, BookingState, DayType
from onewindow.catalog.models import ServiceItem


class WindowItemOverride(models.Model):
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="item_overrides",
                               verbose_name=_("窗口"))
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE,
                             related_name="window_overrides", verbose_name=_("事项"))
    serves = models.BooleanField(_("在此窗口办理"), default=True,
                                 help_text=_("勾选：增加本窗口可办事项；不勾选：从本窗口移除该事项"))

    class Meta:
        verbose_name = _("窗口事项调整")
        verbose_name_plural = _("窗口事项调整")
        constraints = [models.UniqueConstraint(fields=["window", "item"],
                                               name="window_item_override_unique")]

    def __str__(self):
        return f"{self.window} {'+' if self.serves else '−'} {self.item}"


class ScheduleRule(models.Model):
    """One stretch of bookable time on one type of day in a hall, cut into slots."""

    hall = models.ForeignKey(ServiceHall, on_delete=models.CASCADE, related_name="schedule_rules",
                             verbose_name=_("大厅"))
    day_type = models.CharField(_("适用日期"), max_length=16, choices=DayType.choices)
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    slot_minutes = models.PositiveSmallIntegerField(_("每时段分钟数"), default=30)
    capacity = models.PositiveSmallIntegerField(_("每窗口每时段可约人数"), default=2)
    after_hours = models.BooleanField(_("延时服务"), default=False)

    class Meta:
        verbose_name = _("预约时间安排")
        verbose_name_plural = _("预约时间安排")
        ordering = ["hall", "day_type", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="schedule_rule_order"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="schedule_rule_slot"),
        ]

    def __str__(self):
        return f"{self.hall} {self.get_day_type_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(_("结束时间必须晚于开始时间。"))
        needs_after_hours = self.after_hours or self.day_type != DayType.WORKDAY
        if self.hall_id and needs_after_hours and not self.hall.offers_after_hours:
            raise ValidationError(_("该大厅未提供延时服务，不能设置延时或周末预约时段。"))


class Slot(models.Model):
    hall = models.ForeignKey(ServiceHall, on_delete=models.CASCADE, related_name="slots",
                             verbose_name=_("大厅"))
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="slots",
                               verbose_name=_("窗口"))
    day = models.DateField(_("日期"))
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    capacity = models.PositiveSmallIntegerField(_("可约人数"))
    booked = models.PositiveSmallIntegerField(_("已约人数"), default=0)
    after_hours = models.BooleanField(_("延时服务"), default=False)

    class Meta:
        verbose_name = _("预约时段")
        verbose_name_plural = _("预约时段")
        ordering = ["start", "window_id"]
        constraints = [
            models.UniqueConstraint(fields=["window", "start"], name="slot_unique_per_window"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")),
                                   name="slot_booked_within_capacity"),
        ]
        indexes = [models.Index(fields=["day", "hall"], name="slot_day_hall")]

    def __str__(self):
        return f"{self.window} {self.start:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked)


class Booking(models.Model):
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="bookings", verbose_name=_("预约人"))
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("事项"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings",
                             verbose_name=_("时段"))
    day = models.DateField(_("预约日期"))  # the slot's day, for the one-per-day constraint
    state = models.CharField(_("状态"), max_length=16, choices=BookingState.choices,
                             default=BookingState.BOOKED)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("更新时间"), auto_now=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "item", "day"],
                # sorted: a set's order changes between runs, and the migration must not.
                condition=Q(state__in=sorted(s.value for s in ACTIVE_STATES)),
                name="booking_one_active_per_person_item_day",
                violation_error_message=_("您当天已预约过该事项，每人每天每个事项只能预约一次。"),
            ),
        ]
        indexes = [models.Index(fields=["applicant", "state"], name="booking_applicant_state")]

    def __str__(self):
        return f"{self.applicant} {self.item} {self.slot.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class HallDayCounter(models.Model):
    """The last queue number given out in a hall on a day; locked to hand out the next."""

    hall = models.ForeignKey(ServiceHall, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hall", "day"],
                                               name="hall_day_counter_unique")]

    def __str__(self):
        return f"{self.hall_id} {self.day} {self.last}"


class QueueTicket(models.Model):
    """取号: made when a booking checks in; the booking carries the state."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="ticket",
                                   verbose_name=_("预约"))
    hall = models.ForeignKey(ServiceHall, on_delete=models.PROTECT, related_name="tickets",
                             verbose_name=_("大厅"))
    day = models.DateField(_("日期"))
    number = models.CharField(_("排队号"), max_length=8)
    checked_in_at = models.DateTimeField(_("签到时间"))
    window = models.ForeignKey(Window, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="tickets", verbose_name=_("办理窗口"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    served_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="served_tickets",
                                  verbose_name=_("办理人员"))

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["day", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "day", "number"],
                                               name="ticket_number_unique_per_hall_day")]

    def __str__(self):
        return f"{self.hall} {self.day} {self.number}"
