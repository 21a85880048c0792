"""Writes of decision tables: tables, draft versions, publishing, decision records.

A version is a draft until it is published; publishing checks it (`TableInvalid` lists every
problem, row by row) and freezes it. Changing a published table means a new version: every
version is kept, and each case records the version and row that decided it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.core.db import insert_all
from onewindow.decisions.engine import Result, compile_table
from onewindow.decisions.errors import DecisionForbidden, VersionImmutable, VersionSuperseded
from onewindow.decisions.models import DecisionRecord, DecisionTable, DecisionTableVersion
from onewindow.decisions.selectors import version_in_force


def _require(actor) -> None:
    """Tables are kept by catalog and system administrators; None is the system (the seed)."""
    if actor is not None and not actor.has_perm("decisions.manage_tables"):
        raise DecisionForbidden(_("只有事项管理员或系统管理员可以维护决策表。"))


@transaction.atomic
def table_create(*, actor, item, name: str, description: str = "") -> DecisionTable:
    _require(actor)
    table = DecisionTable(item=item, name=name.strip(), description=description.strip())
    table.full_clean()
    table.save()
    audit_record(actor=actor, action="decision_table_create", obj=table,
                 new={"name": table.name, "item": item.pk})
    return table


@transaction.atomic
def version_create(*, actor, table: DecisionTable, hit_policy: str, inputs, rows,
                   note: str = "") -> DecisionTableVersion:
    """A new draft version of `table`, numbered after the last one."""
    _require(actor)
    DecisionTable.objects.select_for_update().filter(pk=table.pk).first()  # numbers in turn
    last = table.versions.aggregate(n=Max("number"))["n"] or 0
    version = DecisionTableVersion(table=table, number=last + 1, hit_policy=hit_policy,
                                   inputs=inputs, rows=rows, note=note.strip(),
                                   created_by=actor if _is_user(actor) else None)
    version.full_clean()
    version.save()
    audit_record(actor=actor, action="decision_version_create", obj=version,
                 new={"table": table.pk, "number": version.number})
    return version


@transaction.atomic
def version_update(*, actor, version_id: int, hit_policy: str, inputs, rows,
                   note: str = "") -> DecisionTableVersion:
    """Change a draft. A published version refuses (VersionImmutable)."""
    _require(actor)
    version = _lock(version_id)
    old = {"hit_policy": version.hit_policy, "inputs": version.inputs, "rows": version.rows,
           "note": version.note}
    version.hit_policy, version.inputs, version.rows = hit_policy, inputs, rows
    version.note = note.strip()
    version.full_clean()
    version.save()
    new = {"hit_policy": hit_policy, "inputs": inputs, "rows": rows, "note": version.note}
    audit_record(actor=actor, action="decision_version_change", obj=version,
                 old={k: v for k, v in old.items() if v != new[k]},
                 new={k: v for k, v in new.items() if v != old[k]})
    return version


@transaction.atomic
def version_copy(*, actor, version_id: int) -> DecisionTableVersion:
    """A new draft with the content of `version_id` (published or not), to edit."""
    source = DecisionTableVersion.objects.select_related("table").get(pk=version_id)
    return version_create(actor=actor, table=source.table, hit_policy=source.hit_policy,
                          inputs=source.inputs, rows=source.rows,
                          note=_("基于第 %(n)s 版") % {"n": source.number})


@transaction.atomic
def version_publish(*, actor, version_id: int) -> DecisionTableVersion:
    """Check the draft and publish it; from now on it decides the item's cases.

    Raises TableInvalid (every problem, "第N行：…") and publishes nothing when it is wrong."""
    _require(actor)
    version = _lock(version_id)
    in_force = version_in_force(version.table.item_id)
    if in_force is not None and in_force.number > version.number:
        # The newest published version decides: this one never would.
        raise VersionSuperseded(version, in_force)
    compile_table(version.hit_policy, version.inputs, version.rows)
    version.published_at = timezone.now()
    version.published_by = actor if _is_user(actor) else None
    version.save(update_fields=["published_at", "published_by"])
    audit_record(actor=actor, action="decision_version_publish", obj=version,
                 new={"table": version.table_id, "number": version.number,
                      "rows": len(version.rows)})
    return version


@transaction.atomic
def version_delete(*, actor, version_id: int) -> None:
    """Delete a draft that was never published (a published version is kept forever)."""
    _require(actor)
    version = _lock(version_id)
    audit_record(actor=actor, action="decision_version_delete", obj=version,
                 old={"table": version.table_id, "number": version.number})
    version.delete()


def _lock(version_id: int) -> DecisionTableVersion:
    version = (DecisionTableVersion.objects.select_for_update().select_related("table")
               .get(pk=version_id))
    if version.published_at is not None:
        raise VersionImmutable(version)
    return version


def decision_record_add(*, case, version: DecisionTableVersion | None, result: Result,
                        snapshot: dict, reason: str | None = None) -> DecisionRecord:
    """Record what the table said about `case`. Call while holding the case row lock, in the
    transaction that acts on it."""
    record = DecisionRecord(case=case, version=version, row_number=result.row,
                            outcome=result.outcome, reason=reason or result.reason,
                            inputs=snapshot)
    record.full_clean(exclude=["case", "version"])
    insert_all([record])  # on every instant attempt: the INSERT is written once
    return record


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)
