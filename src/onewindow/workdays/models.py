"""The working-day calendar: one row per year that has an arrangement, and its exceptions.

A day is a working day when it is Monday to Friday, unless a `CalendarDay` of kind `holiday`
says otherwise; a Saturday or Sunday is a working day only when a `CalendarDay` of kind
`workday` (调休上班) says so. Only years with a `CalendarYear` row are covered: arithmetic that
touches any other year fails (see `workcalendar.py`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.workdays.enums import MAX_YEAR, MIN_YEAR, DayKind, YearSource, YearStatus


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
    )
    status = models.CharField(_("状态"), max_length=16, choices=YearStatus.choices,
                              default=YearStatus.OFFICIAL)
    source = models.CharField(_("来源"), max_length=16, choices=YearSource.choices,
                              default=YearSource.NOTICE)
    notice = models.TextField(_("通知文号与说明"), blank=True,
                              help_text=_("例如：国办发明电〔2025〕7号，或暂定安排的依据"))
    cross_checked = models.BooleanField(_("已与两个数据包逐日核对"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=YearStatus.values),
                                   name="calendaryear_status_valid"),
            models.CheckConstraint(condition=models.Q(source__in=YearSource.values),
                                   name="calendaryear_source_valid"),
        ]

    def __str__(self):
        return _("%(year)s年工作日历") % {"year": self.year}

    @property
    def is_provisional(self) -> bool:
        return self.status == YearStatus.PROVISIONAL


class CalendarDay(models.Model):
    """A day that the notice changes: a weekday off (holiday) or a weekend day on (workday)."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days",
                                      verbose_name=_("年度"))
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True,
                            help_text=_("例如：春节、国庆节调休上班"))

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日与调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values),
                                   name="calendarday_kind_valid"),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        if self.date is None:
            return
        parent = self.calendar_year if self.calendar_year_id or _has_parent(self) else None
        check_calendar_day(self.date, self.kind, parent.year if parent is not None else None)


def check_calendar_day(day, kind: str, year: int | None) -> None:
    """The rules of one exception day, shared by the model and the file import."""
    if year is not None and day.year != year:
        raise ValidationError({"date": _(
            "%(date)s 不在 %(year)s 年内；每个日期录入到它所在的年度"
        ) % {"date": day.isoformat(), "year": year}})
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationError({"kind": _(
            "%(date)s 是周一至周五，本来就是工作日，无需录入为调休上班"
        ) % {"date": day.isoformat()}})


def _has_parent(day: CalendarDay) -> bool:
    # In an admin "add" page the parent year is not saved yet but is already attached.
    return CalendarDay.calendar_year.is_cached(day)


class CalendarVersion(models.Model):
    """One row whose token changes with every edit of the calendar.

    Each process keeps the calendar in memory together with the token it was built from and
    compares tokens (one indexed read) at most once per request or every few seconds; a random
    token rather than a counter, so that a rolled-back edit can never be mistaken for a later one.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("工作日历版本")
        verbose_name_plural = _("工作日历版本")

    def __str__(self):
        return self.token
