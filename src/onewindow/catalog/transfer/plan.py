"""Checking the rows against each other and against the models, before anything is written.

The result is a plan: the items as they will be saved (new or existing, with the file's values
set), and the materials and steps per item code. Every problem is collected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem
from onewindow.catalog.transfer.reader import Row, SheetData
from onewindow.catalog.transfer.report import Problem

CHUNK = 500  # keeps `IN (…)` lists well under every database's parameter limit


@dataclass
class ItemPlan:
    row: Row
    item: ServiceItem
    is_new: bool
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # rendered old, new
    life_events: list | None = None  # the wanted set, when the file has the column


@dataclass
class ChildPlan:
    """A material or step row: the built (unsaved) instance and the codes it names."""

    row: Row
    instance: Any
    item_code: str
    produced_by_code: str = ""


@dataclass
class Plan:
    items: list[ItemPlan] = field(default_factory=list)
    item_fields: set[str] = field(default_factory=set)
    materials: dict[str, list[ChildPlan]] | None = None
    material_fields: set[str] = field(default_factory=set)
    steps: dict[str, list[ChildPlan]] | None = None
    file_codes: set[str] = field(default_factory=set)  # every code in the 事项 sheet
    referenced: dict[str, ServiceItem] = field(default_factory=dict)  # catalog items named


def chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def existing_items(codes: list[str]) -> dict[str, ServiceItem]:
    found: dict[str, ServiceItem] = {}
    for part in chunks(codes):
        query = ServiceItem.objects.filter(implementation_code__in=part)
        found.update({i.implementation_code: i for i in query.select_related("department")})
    return found


def current_life_events(items: list[ServiceItem]) -> dict[int, list]:
    through = ServiceItem.life_events.through
    result: dict[int, list] = defaultdict(list)
    for part in chunks([item.pk for item in items]):
        links = through.objects.filter(serviceitem_id__in=part).select_related("lifeevent")
        for link in links:
            result[link.serviceitem_id].append(link.lifeevent)
    return result


def validation_problems(error: ValidationError, sheet: SheetData, row: Row) -> list[Problem]:
    problems = []
    for name, messages in error.message_dict.items():
        header = "" if name == NON_FIELD_ERRORS else sheet.header_of(name)
        problems += [Problem(m, sheet=sheet.spec.name, row=row.number, column=header)
                     for m in messages]
    return problems


# ---- items -----------------------------------------------------------------------------------

def plan_items(sheet: SheetData, problems: list[Problem]) -> list[ItemPlan]:
    codes = [r.values["implementation_code"] for r in sheet.rows
             if r.values.get("implementation_code")]
    existing = existing_items(sorted(set(codes)))
    events = current_life_events(list(existing.values())) if "life_events" in sheet.fields else {}
    seen: dict[str, int] = {}
    plans = []
    for row in sheet.rows:
        code = row.values.get("implementation_code")
        if code and code in seen:
            problems.append(Problem(_("实施编码与第 %(row)s 行重复") % {"row": seen[code]},
                                    sheet=sheet.spec.name, row=row.number, column="实施编码"))
            continue
        seen[code] = row.number
        if row.bad:
            continue
        plan = _plan_item(sheet, row, existing.get(code), events)
        try:
            plan.item.full_clean(exclude=["department"], validate_unique=False,
                                 validate_constraints=False)
        except ValidationError as error:
            problems += validation_problems(error, sheet, row)
        plans.append(plan)
    return plans


def _plan_item(sheet: SheetData, row: Row, item: ServiceItem | None, events) -> ItemPlan:
    plan = ItemPlan(row, item or ServiceItem(), is_new=item is None)
    values = dict(row.values)
    wanted_events = values.pop("life_events", None)
    if not values.get("implementing_body") and ("implementing_body" in values or plan.is_new):
        values["implementing_body"] = values["department"].name
    columns = sheet.spec.by_field()
    for name, new in values.items():
        kind = columns[name].kind
        old = None if plan.is_new else getattr(plan.item, name)
        if plan.is_new or not kind.same(old, new):
            plan.changes[name] = (None if old is None else kind.render(old), kind.render(new))
            setattr(plan.item, name, new)
    if wanted_events is not None:
        _plan_life_events(plan, wanted_events, events.get(plan.item.pk, []), columns)
    return plan


def _plan_life_events(plan: ItemPlan, wanted: list, current: list, columns) -> None:
    kind = columns["life_events"].kind
    plan.life_events = wanted
    if not kind.same(current, wanted):
        plan.changes["life_events"] = (kind.render(current), kind.render(wanted))


# ---- materials and steps ---------------------------------------------------------------------

def plan_children(sheet: SheetData, model, plan: Plan, problems: list[Problem],
                  unique_field: str) -> dict[str, list[ChildPlan]]:
    """Rows grouped by item code, each built and checked; `unique_field` is unique per item."""
    _resolve_codes(sheet, plan.file_codes, plan, problems)
    groups: dict[str, list[ChildPlan]] = defaultdict(list)
    first_row: dict[tuple[str, Any], int] = {}  # (item code, unique value) → row number
    for row in sheet.rows:
        code = row.values.get("item", "")
        if row.bad or code not in plan.file_codes and code not in plan.referenced:
            continue
        child = _build_child(model, row, code, len(groups[code]) + 1)
        key = (code, getattr(child.instance, unique_field))
        if key in first_row:
            problems.append(_duplicate(sheet, row, unique_field, first_row[key]))
            continue
        first_row[key] = row.number
        _check_child(child, sheet, problems)
        groups[code].append(child)
    return dict(groups)


def _resolve_codes(sheet: SheetData, file_codes: set[str], plan: Plan, problems) -> None:
    """Look up the item codes the sheet names that are not in the 事项 sheet."""
    named = {(r.values.get(f) or "") for r in sheet.rows for f in ("item", "produced_by")}
    missing = sorted(named - file_codes - set(plan.referenced) - {""})
    plan.referenced.update(existing_items(missing))
    for row in sheet.rows:
        for name in ("item", "produced_by"):
            code = row.values.get(name) or ""
            if code and code not in file_codes and code not in plan.referenced:
                problems.append(Problem(
                    _("实施编码“%(code)s”既不在“事项”表中，也不在事项目录中") % {"code": code},
                    sheet=sheet.spec.name, row=row.number, column=sheet.header_of(name)))


def _build_child(model, row: Row, code: str, position: int) -> ChildPlan:
    values = dict(row.values)
    values.pop("item")
    produced_by = values.pop("produced_by", "") or ""
    if values.get("order") is None:
        values["order"] = position
    return ChildPlan(row, model(**values), code, produced_by)


def _duplicate(sheet: SheetData, row: Row, field_name: str, first: int) -> Problem:
    header = sheet.header_of(field_name)
    return Problem(_("同一事项下“%(header)s”与第 %(row)s 行重复") % {"header": header,
                                                                   "row": first},
                   sheet=sheet.spec.name, row=row.number, column=header)


def _check_child(child: ChildPlan, sheet: SheetData, problems) -> None:
    try:
        child.instance.full_clean(exclude=["item", "produced_by", "template", "sample"],
                                  validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems += validation_problems(error, sheet, child.row)


def build_plan(items: SheetData, materials: SheetData | None, steps: SheetData | None,
               problems: list[Problem]) -> Plan:
    plan = Plan(item_fields=items.fields)
    plan.file_codes = {r.values.get("implementation_code") for r in items.rows} - {None, ""}
    plan.items = plan_items(items, problems)
    if materials is not None:
        plan.material_fields = materials.fields - {"item"}
        plan.materials = plan_children(materials, MaterialRequirement, plan, problems, "name")
    if steps is not None:
        plan.steps = plan_children(steps, ProcessStep, plan, problems, "order")
    if not plan.items and not problems:
        problems.append(Problem(_("“事项”表中没有数据"), sheet=items.spec.name))
    return plan
