"""Reading a year's arrangement from a file (`onewindow workdays import FILE`).

Two formats, described in docs/workdays.md:

- JSON: {"year": 2027, "status": "provisional", "notice": "…",
         "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, …]}
- CSV (UTF-8, or GB18030 as Excel saves it): a header `date,kind,name`, one day a row; the year,
  status and notice come from the command's options.

`kind` is `holiday` (or 放假/休) or `workday` (or 上班/班). Every row is checked before anything is
written; one bad row rejects the whole file with a message naming each bad row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onewindow.workdays.enums import DayKind, YearStatus
from onewindow.workdays.errors import WorkdaysInputError
from onewindow.workdays.models import check_calendar_day
from onewindow.workdays.services import DaySpec

KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "班": DayKind.WORKDAY,
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ImportedYear:
    year: int
    status: str
    notice: str
    days: list[DaySpec]


def parse_iso_date(text: str) -> dt.date:
    """A strict YYYY-MM-DD date, or a `WorkdaysInputError` that says what is wrong."""
    value = str(text).strip()
    try:
        if ISO_DATE.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise WorkdaysInputError(
        _("日期“%(value)s”无效，请按 YYYY-MM-DD 格式填写，例如 2026-01-05") % {"value": value})


def read_calendar_file(path: Path, *, year: int | None = None, status: str | None = None,
                       notice: str = "") -> ImportedYear:
    raw = path.read_bytes()
    text = _decode(raw)
    if path.suffix.lower() == ".json":
        return parse_json(text)
    return parse_csv(text, year=year, status=status, notice=notice)


def parse_json(text: str) -> ImportedYear:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(_("JSON 格式错误（第 %(line)s 行）") % {"line": exc.lineno}) from None
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        raise ValidationError(_("JSON 文件应包含 year、status 和 days 列表"))
    rows = [(i + 1, row) for i, row in enumerate(data["days"])]
    return _build(rows, year=data.get("year"), status=data.get("status"),
                  notice=str(data.get("notice", "")), where=_("第 %(n)s 条"))


def parse_csv(text: str, *, year: int | None, status: str | None,
              notice: str = "") -> ImportedYear:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"date", "kind"} <= {
            (f or "").strip() for f in reader.fieldnames}:
        raise ValidationError(_("CSV 文件第一行应为表头：date,kind,name"))
    rows = [(reader.line_num, {(k or "").strip(): v for k, v in row.items()})
            for row in reader]
    return _build(rows, year=year, status=status, notice=notice, where=_("第 %(n)s 行"))


def _build(rows, *, year, status, notice: str, where: str) -> ImportedYear:
    errors, days = [], []
    parsed = []
    for n, row in rows:
        try:
            parsed.append((n, _day(row)))
        except (WorkdaysInputError, ValidationError) as exc:
            message = exc.message if isinstance(exc, WorkdaysInputError) else "；".join(
                exc.messages)
            errors.append(f"{where % {'n': n}}：{message}")
    days = [spec for _n, spec in parsed]
    year = _year(year, days, errors)
    for n, spec in parsed:
        try:
            check_calendar_day(spec.date, spec.kind, year)
        except ValidationError as exc:
            errors.append(f"{where % {'n': n}}：" + "；".join(exc.messages))
    if status not in YearStatus.values:
        errors.append(_("状态应为 official（正式）或 provisional（暂定）"))
    if errors:
        raise ValidationError(errors)
    return ImportedYear(year=year, status=status, notice=notice, days=days)


def _day(row) -> DaySpec:
    if not isinstance(row, dict):
        raise ValidationError(_("应为包含 date、kind、name 的对象"))
    day = parse_iso_date(row.get("date") or "")
    kind = KIND_ALIASES.get(str(row.get("kind") or "").strip().lower())
    if kind is None:
        raise ValidationError(_("类型“%(kind)s”无效，应为 holiday（放假）或 workday（上班）")
                              % {"kind": row.get("kind") or ""})
    name = str(row.get("name") or "").strip()
    if len(name) > 100:
        raise ValidationError(_("名称不能超过 100 个字"))
    return DaySpec(day, kind.value, name)


def _year(year, days: list[DaySpec], errors: list[str]) -> int | None:
    if year in (None, "") and days:
        years = {d.date.year for d in days}
        if len(years) == 1:
            return years.pop()
    try:
        return int(year)
    except (TypeError, ValueError):
        errors.append(_("请指定年度（例如 2027），或使文件中的日期都在同一年内"))
        return None


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("文件编码无法识别，请保存为 UTF-8"))
