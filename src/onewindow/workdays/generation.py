"""The calendar of past years, generated from two packages and checked day by day.

`holidays.China().is_working_day` (which knows the make-up days) gives the calendar;
`chinese_calendar.is_workday` checks every day of it. A day on which they disagree stops the
generation, unless it is listed in `REVIEWED` with the State Council notice that settles it and
the verdict agrees with one of the two packages. Only years that `chinesecalendar` covers are
generated: past them `holidays` guesses (no make-up days), and a guess is never made official.

Pure functions, no database: the data migration and `onewindow workdays generate` both use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import version

import chinese_calendar
import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.workdays.enums import DayKind
from onewindow.workdays.errors import CalendarMismatch, WorkdaysInputError

Predicate = Callable[[dt.date], bool]


@dataclass(frozen=True)
class Reviewed:
    working: bool
    name: str
    source: str


# Days on which the packages disagree, settled by reading the notice. Keep the citation.
REVIEWED: dict[dt.date, Reviewed] = {
    # chinesecalendar 1.11 has it as a rest day; holidays ≥ 0.10x as a working day.
    dt.date(2005, 12, 31): Reviewed(
        working=True,
        name=gettext_noop("元旦调休上班"),
        source="国办发明电〔2005〕35号《国务院办公厅关于2006年部分节假日安排的通知》："
        "“12月31日（星期六）上班”",
    ),
}

# chinesecalendar names the festival a make-up day belongs to, in English.
FESTIVAL_NAMES = {
    "New Year's Day": gettext_noop("元旦"),
    "Spring Festival": gettext_noop("春节"),
    "Tomb-sweeping Day": gettext_noop("清明节"),
    "Labour Day": gettext_noop("劳动节"),
    "Dragon Boat Festival": gettext_noop("端午节"),
    "National Day": gettext_noop("国庆节"),
    "Mid-autumn Festival": gettext_noop("中秋节"),
    "Anti-Fascist 70th Day": gettext_noop("中国人民抗日战争胜利70周年纪念日"),
}


@dataclass(frozen=True)
class GeneratedDay:
    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class GeneratedYear:
    year: int
    days: tuple[GeneratedDay, ...]
    note: str


def package_covered_years() -> list[int]:
    """The years `chinesecalendar` has notices for (it raises outside them)."""
    years = []
    for year in range(1990, 2101):
        try:
            chinese_calendar.is_workday(dt.date(year, 7, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return years


def generate_years(years: Iterable[int], *, primary: Predicate | None = None,
                   reference: Predicate | None = None) -> list[GeneratedYear]:
    """Exceptions for each year; raises `CalendarMismatch` naming every disputed date.

    `primary`/`reference` default to the two packages; tests pass their own to provoke a
    disagreement.
    """
    years = sorted(set(years))
    _check_years_covered(years, reference)
    cn = holidays.China(years=range(years[0], years[-1] + 2), language="zh_CN") if years \
        else None
    primary = primary or cn.is_working_day
    reference = reference or chinese_calendar.is_workday
    disputed: list[tuple[dt.date, bool, bool]] = []
    result = [_generate_year(y, cn, primary, reference, disputed) for y in years]
    if disputed:
        raise CalendarMismatch(disputed)
    return result


def _check_years_covered(years: list[int], reference: Predicate | None) -> None:
    if reference is not None:
        return
    covered = set(package_covered_years())
    missing = [y for y in years if y not in covered]
    if missing:
        raise WorkdaysInputError(
            _("chinesecalendar %(version)s 没有 %(years)s 年的数据，不能自动生成；"
              "请在国务院通知发布后由管理员录入。")
            % {"version": version("chinesecalendar"), "years": "、".join(map(str, missing))}
        )


def _generate_year(year, cn, primary, reference, disputed) -> GeneratedYear:
    days, notes = [], []
    for o in range(dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal() + 1):
        day = dt.date.fromordinal(o)
        working = _verdict(day, primary(day), reference(day), disputed, notes)
        if working is None or working == (day.weekday() < 5):
            continue
        kind = DayKind.WORKDAY if working else DayKind.HOLIDAY
        days.append(GeneratedDay(day, kind.value, _day_name(day, working, cn)))
    return GeneratedYear(year, tuple(days), _year_note(notes))


def _verdict(day, p: bool, r: bool, disputed: list, notes: list) -> bool | None:
    reviewed = REVIEWED.get(day)
    if reviewed is not None and reviewed.working in (p, r):
        if p != r:
            notes.append(f"{day.isoformat()}：{reviewed.source}")
        return reviewed.working
    if p != r or reviewed is not None:
        disputed.append((day, p, r))
        return None
    return p


def _day_name(day: dt.date, working: bool, cn) -> str:
    reviewed = REVIEWED.get(day)
    if reviewed is not None:
        return _(reviewed.name)
    if not working:
        return (cn.get(day) if cn is not None else "") or _("放假")
    festival = chinese_calendar.get_holiday_detail(day)[1] if _cc_knows(day) else None
    if festival in FESTIVAL_NAMES:
        return _("%(festival)s调休上班") % {"festival": _(FESTIVAL_NAMES[festival])}
    return _("调休上班")


def _cc_knows(day: dt.date) -> bool:
    try:
        chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False
    return True


def _year_note(resolved: list[str]) -> str:
    note = _("由 holidays %(h)s 生成，逐日与 chinesecalendar %(c)s 核对。") % {
        "h": version("holidays"), "c": version("chinesecalendar")}
    if resolved:
        note += _("两者不一致、依通知认定的日期：") + "；".join(resolved)
    return note
