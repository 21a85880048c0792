"""Write a row only when it is missing or differs from the data, and remember what changed.

The seed is run again and again (`onewindow demo` runs it on every start). Comparing before
writing is what makes a second run write nothing: no row, no `updated_at`, no audit event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from onewindow.audit.services import audit_record

SEED_NOTE = "onewindow seed"


@dataclass
class ObjectChange:
    obj: models.Model
    created: bool
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    children: list[str] = field(default_factory=list)


class Recorder:
    """Counts the rows written and collects one change per top-level object for the audit."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.linked: Counter[str] = Counter()
        self._changes: dict[tuple[str, Any], ObjectChange] = {}

    def _change(self, obj: models.Model, *, created: bool = False) -> ObjectChange:
        key = (obj._meta.label, obj.pk)
        if key not in self._changes:
            self._changes[key] = ObjectChange(obj=obj, created=created)
        return self._changes[key]

    def object_created(self, obj: models.Model, values: dict[str, Any]) -> None:
        self._change(obj, created=True).new.update(values)

    def object_updated(self, obj: models.Model, diffs: dict[str, tuple[Any, Any]]) -> None:
        change = self._change(obj)
        for name, (old, new) in diffs.items():
            change.old.setdefault(name, old)
            change.new[name] = new

    def child_changed(self, parent: models.Model, description: str) -> None:
        self._change(parent).children.append(description)

    @property
    def changed(self) -> bool:
        return bool(self._changes)

    def flush(self) -> int:
        """Write one audit event per changed top-level object; return how many."""
        for change in self._changes.values():
            new = dict(change.new)
            if change.children:
                new["changes"] = change.children
            audit_record(
                actor=None,
                action="seed_create" if change.created else "seed_update",
                obj=change.obj,
                old=change.old or None,
                new=new,
                note=SEED_NOTE,
            )
        count = len(self._changes)
        self._changes.clear()
        return count


def differences(obj: models.Model, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of `obj` whose stored value differs from `values`, as (old, new)."""
    diffs = {}
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            new = value.pk if value is not None else None
        else:
            new = model_field.to_python(value)
        old = getattr(obj, model_field.attname)
        if old != new:
            diffs[name] = (old, new)
    return diffs


class RowIndex:
    """The rows of a queryset by their natural key, read with one query instead of one each."""

    def __init__(self, queryset: models.QuerySet, key_fields: tuple[str, ...]) -> None:
        self.key_fields = key_fields
        self._attnames = [queryset.model._meta.get_field(f).attname for f in key_fields]
        self._rows = {self._key_of(obj): obj for obj in queryset.order_by()}

    def _key_of(self, obj: models.Model) -> tuple:
        return tuple(getattr(obj, attname) for attname in self._attnames)

    def get(self, lookup: dict[str, Any]) -> models.Model | None:
        key = tuple(
            v.pk if isinstance(v, models.Model) else v for v in (lookup[f] for f in self.key_fields)
        )
        return self._rows.get(key)

    def add(self, obj: models.Model) -> None:
        self._rows[self._key_of(obj)] = obj


def _find(model: type[models.Model], lookup: dict[str, Any], index: RowIndex | None):
    if index is not None:
        return index.get(lookup)
    try:
        return model._default_manager.get(**lookup)
    except model.DoesNotExist:
        return None


def sync_row(
    recorder: Recorder,
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any],
    parent: models.Model | None = None,
    before_create: Callable[[models.Model], None] | None = None,
    index: RowIndex | None = None,
) -> models.Model:
    """Create the row found by `lookup`, or bring its `values` in line with the data.

    A row with a `parent` is reported in the parent's audit event instead of its own.
    """
    obj = _find(model, lookup, index)
    label = model._meta.label
    if obj is None:
        obj = model(**lookup, **values)
        if before_create is not None:
            before_create(obj)
        obj.full_clean()
        obj.save()
        if index is not None:
            index.add(obj)
        recorder.created[label] += 1
        if parent is None:
            recorder.object_created(obj, {**lookup, **values})
        else:
            recorder.child_changed(parent, f"+ {model._meta.verbose_name}：{obj}")
        return obj
    diffs = differences(obj, values)
    if diffs:
        for name, (_old, new) in diffs.items():
            setattr(obj, obj._meta.get_field(name).attname, new)
        obj.full_clean()
        obj.save()
        recorder.updated[label] += 1
        if parent is None:
            recorder.object_updated(obj, diffs)
        else:
            fields = "、".join(diffs)
            recorder.child_changed(parent, f"~ {model._meta.verbose_name}：{obj}（{fields}）")
    return obj


def add_links(
    recorder: Recorder, obj: models.Model, name: str, targets: Iterable[models.Model]
) -> None:
    """Add the missing many-to-many links; links made by hand are left alone."""
    manager = getattr(obj, name)
    present = set(manager.values_list("pk", flat=True))
    missing = [target for target in targets if target.pk not in present]
    if not missing:
        return
    manager.add(*missing)
    recorder.linked[f"{obj._meta.label}.{name}"] += len(missing)
    verbose = obj._meta.get_field(name).verbose_name
    recorder.child_changed(obj, f"+ {verbose}：" + "、".join(str(t) for t in missing))
