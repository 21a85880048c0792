"""Writing a checked plan in bulk. Call inside a transaction: a failure must roll it all back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem
from onewindow.catalog.transfer.plan import CHUNK, ChildPlan, Plan, chunks
from onewindow.catalog.transfer.report import ImportResult


@dataclass
class ItemChange:
    """What one item looked like before and after, for its audit event."""

    item: ServiceItem
    created: bool
    old: dict[str, Any] | None
    new: dict[str, Any] = field(default_factory=dict)


def apply_plan(plan: Plan) -> tuple[ImportResult, list[ItemChange]]:
    result = ImportResult()
    now = timezone.now()
    _save_items(plan, now, result)
    code_map = {p.item.implementation_code: p.item for p in plan.items} | plan.referenced
    children: dict[str, dict[str, Any]] = defaultdict(dict)
    if plan.materials is not None:
        counts = _sync_children(MaterialRequirement, plan.materials, plan.material_fields,
                                "name", code_map, children)
        result.materials_created, result.materials_updated, result.materials_deleted = counts
    if plan.steps is not None:
        counts = _sync_children(ProcessStep, plan.steps, {"order", "name", "description",
                                "limit_days"}, "order", code_map, children)
        result.steps_created, result.steps_updated, result.steps_deleted = counts
    return result, _item_changes(plan, code_map, children, now, result)


def _save_items(plan: Plan, now, result: ImportResult) -> None:
    ServiceItem.objects.bulk_create([p.item for p in plan.items if p.is_new], batch_size=CHUNK)
    for p in plan.items:
        # One UPDATE of just the changed columns per item: Django's bulk_update writes a
        # CASE per column per row and costs far more for the usual "a few columns changed".
        fields = set(p.changes) - {"life_events"}
        if not p.is_new and fields:
            p.item.updated_at = now
            p.item.save(update_fields=[*fields, "updated_at"])
    _save_life_events([p for p in plan.items if "life_events" in p.changes])


def _save_life_events(plans) -> None:
    through = ServiceItem.life_events.through
    for part in chunks([p.item.pk for p in plans if not p.is_new]):
        through.objects.filter(serviceitem_id__in=part).delete()
    links = [through(serviceitem_id=p.item.pk, lifeevent_id=event.pk)
             for p in plans for event in p.life_events]
    through.objects.bulk_create(links, batch_size=CHUNK)


def _sync_children(model, groups: dict[str, list[ChildPlan]], fields: set[str], key: str,
                   code_map, summaries) -> tuple[int, int, int]:
    """Make each named item's children match the file: match on `key`, update the `fields`
    the file has, add the new ones, delete those the file no longer lists."""
    items = [code_map[code] for code in groups]
    current: dict[int, dict[Any, Any]] = defaultdict(dict)
    for part in chunks([item.pk for item in items]):
        for child in model.objects.filter(item_id__in=part):
            current[child.item_id][getattr(child, key)] = child
    create, update, delete = [], [], []
    for code, children in groups.items():
        item = code_map[code]
        existing = current.get(item.pk, {})
        summary = _diff_children(item, children, existing, fields, key, code_map,
                                 (create, update, delete))
        if any(summary.values()):
            summaries[code][model._meta.model_name] = summary
    model.objects.filter(pk__in=[c.pk for c in delete]).delete()
    for child, changed in update:
        child.save(update_fields=changed)
    model.objects.bulk_create(create, batch_size=CHUNK)
    return len(create), len(update), len(delete)


def _diff_children(item, children, existing: dict, fields, key, code_map, out) -> dict:
    create, update, delete = out
    summary: dict[str, list] = {"created": [], "updated": [], "deleted": []}
    for child in children:
        instance = child.instance
        instance.item = item
        if "produced_by" in fields:
            instance.produced_by = code_map.get(child.produced_by_code)
        current = existing.pop(getattr(instance, key), None)
        if current is None:
            create.append(instance)
            summary["created"].append(str(getattr(instance, key)))
        elif changed := _copy_changed(instance, current, fields):
            update.append((current, changed))
            summary["updated"].append(str(getattr(current, key)))
    delete += existing.values()
    summary["deleted"] = [str(k) for k in existing]
    return summary


def _copy_changed(source, target, fields: set[str]) -> list[str]:
    """Copy the differing `fields` from source to target; return their names."""
    changed = []
    for name in sorted(fields):
        attname = "produced_by_id" if name == "produced_by" else name
        if getattr(source, attname) != getattr(target, attname):
            setattr(target, attname, getattr(source, attname))
            changed.append(name)
    return changed


def _item_changes(plan: Plan, code_map, children, now, result: ImportResult) -> list[ItemChange]:
    changes = []
    for p in plan.items:
        code = p.item.implementation_code
        if not (p.is_new or p.changes or code in children):
            result.items_unchanged += 1
            continue
        old = None if p.is_new else {name: o for name, (o, _n) in p.changes.items()}
        new = {name: n for name, (_o, n) in p.changes.items()} | children.get(code, {})
        changes.append(ItemChange(p.item, p.is_new, old, new))
    for code in children:
        if code not in plan.file_codes:  # an item named only in 材料/流程
            changes.append(ItemChange(code_map[code], False, {}, children[code]))
    touched = [c.item.pk for c in changes if not c.created]
    for part in chunks(touched):
        ServiceItem.objects.filter(pk__in=part).update(updated_at=now)
    result.items_created = sum(c.created for c in changes)
    result.items_updated = len(changes) - result.items_created
    result.changed_codes = [c.item.implementation_code for c in changes]
    return changes
