"""Typed errors of the working-day calendar. Each carries a message a user can read."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


class WorkdaysError(Exception):
    """Base class; `message` is in the user's language (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CalendarNotCovered(WorkdaysError):
    """A computation needs a year whose holiday arrangement has not been entered."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(_("%(year)s年的节假日安排尚未录入，无法计算期限") % {"year": year})


class WorkdaysInputError(WorkdaysError, ValueError):
    """Bad arguments: a negative number of days, a malformed date, a reversed pause."""


class CalendarMismatch(WorkdaysError):
    """`holidays` and `chinesecalendar` disagree on some days: the calendar is not generated."""

    def __init__(self, disagreements: list[tuple[dt.date, bool, bool]]):
        self.disagreements = disagreements
        self.dates = [day for day, _h, _c in disagreements]
        shown = "、".join(
            _("%(date)s（holidays：%(h)s，chinesecalendar：%(c)s）")
            % {"date": day.isoformat(), "h": _label(h), "c": _label(c)}
            for day, h, c in disagreements[:20]
        )
        more = len(disagreements) - 20
        if more > 0:
            shown += _("，另有 %(n)s 天") % {"n": more}
        super().__init__(
            _("两个节假日数据包对以下日期的判断不一致，未生成日历：%(dates)s。"
              "请核对国务院通知后由管理员录入。") % {"dates": shown}
        )


def _label(working: bool) -> str:
    return _("工作日") if working else _("休息日")
