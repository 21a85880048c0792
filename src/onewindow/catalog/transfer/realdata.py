"""Loading a real district catalog from JSON (`shared/data/guangan-service-items.json`).

Each record has a department name, a group, an item name, an implementation code and a task
type (权力类型 code). Nothing else is known, so the items are created as imported drafts:
source `imported`, unpublished unless asked, no time limits, and the modest service features
(one visit, online consultation only) rather than promises nobody has checked.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.models import Department
from onewindow.catalog.enums import CaseType, ItemSource, ItemType, OnlineDepth
from onewindow.catalog.models import ServiceItem
from onewindow.catalog.transfer.plan import CHUNK, existing_items
from onewindow.catalog.transfer.report import ImportRejected, ImportResult, Problem
from onewindow.config import BASE_DIR

DEFAULT_JSON_PATH = BASE_DIR.parent / "shared" / "data" / "guangan-service-items.json"
SHEET = "JSON"
FIELDS = {"department": 100, "name": 200, "item_code": 64}
IMPORTED_DEFAULTS = {
    "source": ItemSource.IMPORTED,
    "case_type": CaseType.PROMISED,
    "online_depth": OnlineDepth.INFO,
    "visits_required": 1,
    "appointment_supported": False,
    "express_supported": False,
}
SYNCED_FIELDS = ("name", "item_type", "department_id", "implementing_body", "is_published")


@dataclass(frozen=True)
class Record:
    number: int  # 1-based position in the file
    department: str
    name: str
    code: str
    item_type: int


def department_code(name: str) -> str:
    """A stable code from the name alone, so that every run and every machine agree."""
    return "ga-" + hashlib.sha256(name.encode()).hexdigest()[:10]


def read_records(path: Path) -> tuple[list[Record], bytes]:
    try:
        data = path.read_bytes()
        raw = json.loads(data)
    except OSError as error:
        raise ImportRejected([Problem(_("无法读取文件：%(error)s") % {"error": error})]) from None
    except ValueError:
        raise ImportRejected([Problem(_("文件不是有效的 JSON"))]) from None
    if not isinstance(raw, list):
        raise ImportRejected([Problem(_("文件内容应为事项的列表"))])
    problems: list[Problem] = []
    records = [r for n, entry in enumerate(raw, 1) if (r := _record(n, entry, problems))]
    _check_duplicates(records, problems)
    if problems:
        raise ImportRejected(problems)
    return records, data


def _record(number: int, entry, problems: list[Problem]) -> Record | None:
    if not isinstance(entry, dict):
        problems.append(Problem(_("应为一个对象"), sheet=SHEET, row=number))
        return None
    before = len(problems)
    for key, limit in FIELDS.items():
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip() or len(value.strip()) > limit:
            problems.append(Problem(_("应为不超过 %(n)s 个字符的非空文本") % {"n": limit},
                                    sheet=SHEET, row=number, column=key))
    task_type = entry.get("task_type")
    if isinstance(task_type, bool) or task_type not in ItemType.values:
        problems.append(Problem(_("不是已知的权力类型代码：%(value)s") % {"value": task_type},
                                sheet=SHEET, row=number, column="task_type"))
    if len(problems) > before:
        return None
    return Record(number, entry["department"].strip(), entry["name"].strip(),
                  entry["item_code"].strip(), task_type)


def _check_duplicates(records: list[Record], problems: list[Problem]) -> None:
    first: dict[str, int] = {}
    for record in records:
        if record.code in first:
            problems.append(Problem(_("实施编码与第 %(row)s 条重复") % {"row": first[record.code]},
                                    sheet=SHEET, row=record.number, column="item_code"))
        first.setdefault(record.code, record.number)


def ensure_departments(names: list[str], result: ImportResult) -> dict[str, Department]:
    """Departments by name, or by the derived code if an administrator renamed one since;
    the missing ones are created."""
    found = {d.name: d for d in Department.objects.filter(name__in=names)}
    codes = {department_code(name): name for name in names if name not in found}
    found |= {codes[d.code]: d for d in Department.objects.filter(code__in=list(codes))}
    new = [Department(code=department_code(name), name=name, order=100 + index)
           for index, name in enumerate(names) if name not in found]
    for department in new:
        department.full_clean()
    Department.objects.bulk_create(new)
    result.departments_created = len(new)
    return found | {d.name: d for d in new}


def load_records(records: list[Record], *, publish: bool) -> ImportResult:
    """Create the missing items and refresh the imported ones that differ."""
    result = ImportResult()
    names = list(dict.fromkeys(r.department for r in records))
    departments = ensure_departments(names, result)
    existing = existing_items([r.code for r in records])
    new, updated = [], []
    for record in records:
        wanted = _wanted(record, departments[record.department], publish)
        item = existing.get(record.code)
        if item is None:
            new.append(_new_item(record, wanted))
        elif item.source != ItemSource.IMPORTED:
            result.items_skipped += 1  # an administrator has taken this item over
        elif _refresh(item, wanted):
            updated.append(item)
    ServiceItem.objects.bulk_create(new, batch_size=CHUNK)
    ServiceItem.objects.bulk_update(updated, [*SYNCED_FIELDS, "updated_at"], batch_size=CHUNK)
    result.items_created, result.items_updated = len(new), len(updated)
    result.items_unchanged = len(records) - len(new) - len(updated) - result.items_skipped
    result.changed_codes = [item.implementation_code for item in new + updated]
    return result


def _wanted(record: Record, department: Department, publish: bool) -> dict:
    return {"name": record.name, "item_type": record.item_type, "department_id": department.pk,
            "implementing_body": department.name, "is_published": publish}


def _new_item(record: Record, wanted: dict) -> ServiceItem:
    item = ServiceItem(implementation_code=record.code, **IMPORTED_DEFAULTS, **wanted)
    try:
        item.full_clean(exclude=["department"], validate_unique=False)
    except ValidationError as error:
        raise ImportRejected([Problem("；".join(error.messages), sheet=SHEET,
                                      row=record.number)]) from None
    return item


def _refresh(item: ServiceItem, wanted: dict) -> bool:
    """Set what differs; True if anything did."""
    changed = [name for name, value in wanted.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, wanted[name])
    if changed:
        item.updated_at = timezone.now()
    return bool(changed)
