"""The curated catalog: life events, service items with their materials and steps, bundles."""

from __future__ import annotations

from onewindow.catalog.enums import CaseType, ItemSource, ItemType, LimitUnit, MaterialForm
from onewindow.catalog.models import (
    Bundle,
    BundleItem,
    LifeEvent,
    MaterialRequirement,
    ProcessStep,
    ServiceItem,
)
from onewindow.core.seeding import data
from onewindow.core.seeding.organisations import Organisations
from onewindow.core.seeding.sync import Recorder, RowIndex, add_links, sync_row

# Fields copied from the data as they are, with the value used when the data leaves one out.
ITEM_DEFAULTS = {
    "basic_code": "",
    "name": "",
    "item_type": ItemType.LICENSING,
    "audience": "enterprise",
    "legal_limit": None,
    "legal_limit_unit": LimitUnit.WORKING_DAY,
    "legal_limit_note": "",
    "promised_limit": None,
    "promised_limit_unit": LimitUnit.WORKING_DAY,
    "promised_limit_note": "",
    "case_type": CaseType.PROMISED,
    "visits_required": 0,
    "online_depth": 4,
    "appointment_supported": True,
    "express_supported": True,
    "handling_scope": "zone",
    "instant_approval": False,
    "commitment_allowed": False,
    "fee_required": False,
    "result_name": "",
}
MATERIAL_DEFAULTS = {
    "required": True,
    "form": MaterialForm.ELECTRONIC,
    "description": "",
    "source": "applicant",
    "tolerance_allowed": False,
    "commitment_replaces": False,
    "allowed_file_types": "pdf,jpg,png,ofd",
}
# (original_count, copy_count) when the data does not say.
FORM_COUNTS = {
    MaterialForm.ORIGINAL: (1, 0),
    MaterialForm.COPY: (0, 1),
    MaterialForm.ORIGINAL_AND_COPY: (1, 1),
    MaterialForm.ELECTRONIC: (0, 0),
}


def seed_catalog(recorder: Recorder, orgs: Organisations) -> dict[str, ServiceItem]:
    events = {raw["slug"]: _life_event(recorder, raw) for raw in data.load("life_events.json")}
    raws = data.all_items()
    codes = [_implementation_code(raw, orgs) for raw in raws]
    steps = RowIndex(
        ProcessStep.objects.filter(item__implementation_code__in=codes), ("item", "order")
    )
    items = {raw["key"]: _item(recorder, raw, orgs, events, steps) for raw in raws}
    # Materials second: `produced_by` may point at any item.
    materials = RowIndex(
        MaterialRequirement.objects.filter(item__in=list(items.values())), ("item", "name")
    )
    for raw in raws:
        item = items[raw["key"]]
        for order, material in enumerate(raw["materials"], start=1):
            _material(recorder, item, order, material, items, materials)
    for raw in data.load("bundles.json"):
        _bundle(recorder, raw, items, orgs, events)
    return items


def _life_event(recorder: Recorder, raw: dict) -> LifeEvent:
    values = {k: raw[k] for k in ("name", "audience", "description", "order")}
    return sync_row(recorder, LifeEvent, lookup={"slug": raw["slug"]}, values=values)


def item_values(raw: dict, orgs: Organisations) -> dict:
    """Every ServiceItem field the seed owns, from one item of the data."""
    department = orgs.departments[raw["department"]]
    code = _implementation_code(raw, orgs)
    values = {name: raw.get(name, default) for name, default in ITEM_DEFAULTS.items()}
    values.update(
        implementation_code=code,
        business_code=code[:-2] + "01",
        aliases="\n".join(raw.get("aliases", [])),
        summary=data.text(raw.get("summary")),
        department=department,
        implementing_body=department.name,
        conditions=data.text(raw.get("conditions")),
        legal_basis=data.text(raw.get("legal_basis")),
        fees=raw.get("fees") or ("按规定标准收费" if values["fee_required"] else "不收费"),
        where_to_apply=_where_to_apply(raw, orgs),
        office_hours=orgs.windows[raw["window"]].hall.opening_hours,
        consult_phone=department.phone,
        complaint_phone="12345",
        source=ItemSource.CURATED,
    )
    return values


def _implementation_code(raw: dict, orgs: Organisations) -> str:
    return data.implementation_code(
        raw["basic_code"],
        data.organisations()["zone"]["division_code"],
        orgs.department_usccs[raw["department"]],
    )


def _where_to_apply(raw: dict, orgs: Organisations) -> str:
    window = orgs.windows[raw["window"]]
    hall = window.hall
    portal = data.organisations()["zone"]["online_portal"]
    counter = f"窗口办理：{hall.name}{window.number}号窗口（{window.name}），{hall.address}。"
    if raw.get("visits_required", 0) == 0:
        return f"网上办理：登录{portal}，全程网办，无需到现场。\n{counter}"
    return f"{counter}\n网上预审：登录{portal}提交材料预审，审核通过后到现场办理一次。"


def _item(
    recorder: Recorder, raw: dict, orgs: Organisations, events: dict, steps: RowIndex
) -> ServiceItem:
    values = item_values(raw, orgs)
    code = values.pop("implementation_code")
    item = sync_row(recorder, ServiceItem, lookup={"implementation_code": code}, values=values)
    add_links(recorder, item, "life_events", [events[s] for s in raw.get("life_events", [])])
    for order, (name, days, description) in enumerate(process_steps(raw), start=1):
        sync_row(
            recorder,
            ProcessStep,
            lookup={"item": item, "order": order},
            values={"name": name, "description": description, "limit_days": days},
            parent=item,
            index=steps,
        )
    return item


def process_steps(raw: dict) -> list[tuple[str, int, str]]:
    """The data's own steps, or the standard ones fitted to the promised limit."""
    if "steps" in raw:
        return [(name, days, text) for name, days, text in raw["steps"]]
    promised = raw.get("promised_limit") or 0
    in_days = raw.get("promised_limit_unit", LimitUnit.WORKING_DAY) == LimitUnit.WORKING_DAY
    if raw.get("instant_approval"):
        plan = [("申报即办", 0), ("送达", 0)]
    elif raw.get("case_type") == CaseType.ON_THE_SPOT or promised == 0 or not in_days:
        plan = [("收件", 0), ("当场办结", 0), ("送达", 0)]
    elif promised <= 2:
        plan = [("收件", 0), ("受理", 0), ("审查", 1), ("决定", promised - 1), ("送达", 0)]
    else:
        plan = [("收件", 0), ("受理", 1), ("审查", promised - 2), ("决定", 1), ("送达", 0)]
    texts = data.load("steps.json")
    return [(name, days, texts[name]) for name, days in plan]


def _material(
    recorder: Recorder, item: ServiceItem, order: int, raw: dict, items: dict, index: RowIndex
) -> MaterialRequirement:
    values = {name: raw.get(name, default) for name, default in MATERIAL_DEFAULTS.items()}
    original, copies = FORM_COUNTS[values["form"]]
    values.update(
        order=order,
        original_count=raw.get("original_count", original),
        copy_count=raw.get("copy_count", copies),
        produced_by=items[raw["produced_by"]] if "produced_by" in raw else None,
    )
    return sync_row(
        recorder,
        MaterialRequirement,
        lookup={"item": item, "name": raw["name"]},
        values=values,
        parent=item,
        index=index,
    )


def _bundle(
    recorder: Recorder, raw: dict, items: dict, orgs: Organisations, events: dict
) -> Bundle:
    fields = ("name", "description", "promised_limit_days", "legal_limit_days",
              "legal_extension_days", "continue_on_denial", "motto")
    values = {k: raw[k] for k in fields}
    values.update(
        lead_department=orgs.departments[raw["lead_department"]],
        life_event=events[raw["life_event"]],
    )
    bundle = sync_row(recorder, Bundle, lookup={"code": raw["code"]}, values=values)
    optional = set(raw.get("optional", []))
    for order, key in enumerate(raw["items"], start=1):
        sync_row(
            recorder,
            BundleItem,
            lookup={"bundle": bundle, "item": items[key]},
            values={"order": order, "is_optional": key in optional},
            parent=bundle,
        )
    return bundle
