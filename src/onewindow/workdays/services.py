"""Writes to the calendar. Each change of a year is audited and changes the calendar's token,
which makes every process rebuild its in-memory copy (see `cache.py`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.workdays import cache
from onewindow.workdays.enums import YearSource, YearStatus
from onewindow.workdays.generation import generate_years, package_covered_years
from onewindow.workdays.models import CalendarDay, CalendarVersion, CalendarYear


class DaySpec(NamedTuple):
    date: dt.date
    kind: str
    name: str = ""


@dataclass
class GenerateReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


@transaction.atomic
def calendar_year_enter(*, actor, year: int, status: str, days: Iterable[DaySpec],
                        notice: str = "", source: str = YearSource.NOTICE) -> CalendarYear:
    """Create or replace a year's arrangement (from the admin or a file) as one change.

    The days given replace the year's days entirely. Entering a year by hand clears its
    cross-checked flag when the days change.
    """
    calendar_year, _changed = _apply(
        actor=actor, action="calendar_year_enter", year=year, status=status, source=source,
        notice=notice, cross_checked=False, specs=list(days),
    )
    return calendar_year


@transaction.atomic
def calendar_year_delete(*, actor, calendar_year: CalendarYear) -> None:
    """Only a provisional year may be removed; an official one is corrected by editing it."""
    locked = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    if not locked.is_provisional:
        raise ValidationError(_("正式年度不能删除；如需更正，请修改该年度的节假日安排。"))
    audit_record(actor=actor, action="calendar_year_delete", obj=locked, old=_snapshot(locked))
    locked.delete()
    _calendar_changed()


@transaction.atomic
def calendar_generate(*, actor, years: Iterable[int] | None = None,
                      replace: bool = False) -> GenerateReport:
    """Generate years from the packages, checked day by day; idempotent.

    A year entered by an administrator (source notice/file) is left alone unless `replace`.
    Any disagreement between the packages raises `CalendarMismatch` before anything is written.
    """
    generated = generate_years(package_covered_years() if years is None else years)
    report = GenerateReport()
    for gy in generated:
        existing = CalendarYear.objects.filter(year=gy.year).first()
        if existing and existing.source != YearSource.GENERATED and not replace:
            report.skipped.append(gy.year)
            continue
        specs = [DaySpec(d.date, d.kind, d.name[:100]) for d in gy.days]
        _cal, changed = _apply(
            actor=actor, action="calendar_year_generate", year=gy.year,
            status=YearStatus.OFFICIAL, source=YearSource.GENERATED, notice=gy.note,
            cross_checked=True, specs=specs, keep_note_if_days_same=True,
        )
        bucket = report.unchanged if not changed else (
            report.updated if existing else report.created)
        bucket.append(gy.year)
    return report


def _apply(*, actor, action: str, year: int, status: str, source: str, notice: str,
           cross_checked: bool, specs: list[DaySpec],
           keep_note_if_days_same: bool = False) -> tuple[CalendarYear, bool]:
    """Lock, compare, write, audit. Returns (year, whether anything changed)."""
    _check_no_duplicates(specs)
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    old = _snapshot(calendar_year) if calendar_year else None
    new_days = _days_of(specs)
    same_days = old is not None and old["days"] == new_days
    if calendar_year is None:
        calendar_year = CalendarYear(year=year)
    if same_days and keep_note_if_days_same:
        notice = calendar_year.notice
    if not same_days or not calendar_year.cross_checked:
        calendar_year.cross_checked = cross_checked
        calendar_year.source = source
    calendar_year.status, calendar_year.notice = status, notice
    if old is not None and same_days and _snapshot_fields(calendar_year) == _fields_of(old):
        return calendar_year, False
    _save_year(calendar_year, specs, replace_days=not same_days)
    audit_record(actor=actor, action=action, obj=calendar_year, old=old,
                 new=_snapshot(calendar_year))
    _calendar_changed()
    return calendar_year, True


def _save_year(calendar_year: CalendarYear, specs: list[DaySpec], *, replace_days: bool):
    calendar_year.full_clean()
    calendar_year.save()
    if not replace_days:
        return
    calendar_year.days.all().delete()
    rows, errors = [], []
    for spec in sorted(specs):
        row = CalendarDay(calendar_year=calendar_year, date=spec.date, kind=spec.kind,
                          name=spec.name)
        try:
            row.full_clean()
        except ValidationError as exc:
            errors.extend(_prefixed(spec.date, exc))
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    CalendarDay.objects.bulk_create(rows)


def _check_no_duplicates(specs: list[DaySpec]) -> None:
    seen, dupes = set(), []
    for spec in specs:
        if spec.date in seen:
            dupes.append(spec.date.isoformat())
        seen.add(spec.date)
    if dupes:
        raise ValidationError(_("以下日期重复录入：%(dates)s") % {"dates": "、".join(dupes)})


def _prefixed(day: dt.date, exc: ValidationError) -> list[str]:
    messages = exc.messages if not hasattr(exc, "error_dict") else [
        m for msgs in exc.message_dict.values() for m in msgs]
    return [m if day.isoformat() in m else f"{day.isoformat()}：{m}" for m in messages]


def _days_of(specs: Iterable[DaySpec]) -> dict[str, str]:
    return {s.date.isoformat(): f"{s.kind} {s.name}".strip() for s in specs}


def _fields_of(snapshot: dict) -> dict:
    return {k: v for k, v in snapshot.items() if k != "days"}


def _snapshot_fields(calendar_year: CalendarYear) -> dict:
    return {"status": calendar_year.status, "source": calendar_year.source,
            "notice": calendar_year.notice, "cross_checked": calendar_year.cross_checked}


def _snapshot(calendar_year: CalendarYear) -> dict:
    days = _days_of(DaySpec(d.date, d.kind, d.name) for d in calendar_year.days.all())
    return {**_snapshot_fields(calendar_year), "days": days}


def _calendar_changed() -> None:
    """A new token tells every process to rebuild; this one drops its copy at once, so that
    the rest of the transaction already computes with the change.

    If the transaction is then rolled back, this process may use the uncommitted calendar
    until its next token check (the next request, or `WORKDAYS_RECHECK_SECONDS`): the token
    it holds was never committed, so the check always catches it.
    """
    CalendarVersion.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()})
    cache.drop()
