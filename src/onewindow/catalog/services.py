"""Writes to the catalog: imports from Excel and from the real catalog's JSON, and the
permissions of catalog administrators. Every change is audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role
from onewindow.accounts.models import Department, User
from onewindow.audit.services import audit_record
from onewindow.catalog.enums import ImportKind
from onewindow.catalog.models import CatalogImport, LifeEvent
from onewindow.catalog.transfer.apply import apply_plan
from onewindow.catalog.transfer.columns import SHEETS, Lookups
from onewindow.catalog.transfer.plan import build_plan
from onewindow.catalog.transfer.reader import open_workbook, read_sheet
from onewindow.catalog.transfer.realdata import DEFAULT_JSON_PATH, load_records, read_records
from onewindow.catalog.transfer.report import ImportRejected, ImportResult, Problem

CATALOG_ADMIN_GROUP = "事项管理员"
CATALOG_ADMIN_APPS = ("catalog", "workdays", "decisions")
CATALOG_ADMIN_EXTRA = Q(content_type__app_label="accounts", codename="view_department")


@transaction.atomic
def catalog_import_excel(*, actor, data: bytes, filename: str) -> ImportResult:
    """Import a workbook in the documented format, all or nothing.

    Raises ImportRejected listing every problem found; then nothing has been written."""
    problems: list[Problem] = []
    workbook = open_workbook(data)
    try:
        lookups = _lookups()
        items, materials, steps = (read_sheet(workbook, s, lookups, problems) for s in SHEETS)
    finally:
        workbook.close()
    if items is None:
        raise ImportRejected(problems)
    plan = build_plan(items, materials, steps, problems)
    if problems:
        raise ImportRejected(problems)
    try:
        with transaction.atomic():  # a savepoint, so that a failed statement can be reported
            result, changes = apply_plan(plan)
    except ProtectedError:
        raise ImportRejected([Problem(_("要删除的材料或流程已被办件引用，无法删除；"
                                        "请在表中保留它们后重新导入"))]) from None
    except IntegrityError:
        raise ImportRejected([Problem(_("导入期间事项目录被同时修改（例如有人同时导入了相同的"
                                        "实施编码），请稍后重新上传"))]) from None
    batch = _record_batch(actor, ImportKind.EXCEL, filename, data, result)
    for change in changes:
        _audit_item(actor, batch, change.item, change.created, change.old, change.new)
    return result


@transaction.atomic
def catalog_import_json(*, actor, path: Path | None = None, publish: bool = False
                        ) -> ImportResult:
    """Load the real district catalog (default: shared/data beside the checkout).

    Idempotent: a second run with the same file and options changes nothing. Items an
    administrator has marked curated are left alone (counted as skipped)."""
    path = Path(path) if path is not None else DEFAULT_JSON_PATH
    records, data = read_records(path)
    result = load_records(records, publish=publish)
    # Reference data loaded in bulk: one audit event for the batch, naming every changed item
    # (an event per item would cost four statements each, 1,135 times over).
    _record_batch(actor, ImportKind.JSON, path.name, data, result)
    return result


def _lookups() -> Lookups:
    lookups = Lookups()
    for department in Department.objects.all():
        for key in (department.short_name, department.code, department.name):
            if key:
                lookups.departments[key] = department
    for event in LifeEvent.objects.all():
        lookups.life_events[event.slug] = lookups.life_events[event.name] = event
    return lookups


def _record_batch(actor, kind: str, filename: str, data: bytes,
                  result: ImportResult) -> CatalogImport:
    batch = CatalogImport(actor=actor if getattr(actor, "is_authenticated", False) else None,
                          kind=kind, filename=filename[:200],
                          sha256=hashlib.sha256(data).hexdigest(), counts=result.counts())
    batch.full_clean()
    batch.save()
    result.batch_id = batch.pk
    audit_record(actor=actor, action="catalog_import", obj=batch, note=batch.filename,
                 new={**batch.counts, "changed_codes": result.changed_codes})
    return batch


def _audit_item(actor, batch: CatalogImport, item, created: bool, old, new) -> None:
    action = "service_item_create" if created else "service_item_update"
    audit_record(actor=actor, action=action, obj=item, old=old, new=new,
                 note=_("导入批次 #%(id)s") % {"id": batch.pk})


@transaction.atomic
def catalog_admin_group(*, actor=None) -> Group:
    """The group 事项管理员 with every permission of the catalog and workdays apps.

    Idempotent; call it after `migrate` (permissions are made then) and again when those apps
    gain models. The demo seed calls it; `onewindow catalog admin-group` runs it by hand."""
    group, _created = Group.objects.get_or_create(name=CATALOG_ADMIN_GROUP)
    wanted = Permission.objects.filter(
        Q(content_type__app_label__in=CATALOG_ADMIN_APPS) | CATALOG_ADMIN_EXTRA)
    before = set(group.permissions.values_list("codename", flat=True))
    after = set(wanted.values_list("codename", flat=True))
    if before != after:
        group.permissions.set(wanted)
        audit_record(actor=actor, action="group_permissions_set", obj=group,
                     old=sorted(before), new=sorted(after))
    return group


@transaction.atomic
def catalog_admin_grant(*, actor, user: User) -> User:
    """Let a catalog administrator into the admin site with the catalog permissions."""
    if user.role not in (Role.CATALOG_ADMIN, Role.SYSTEM_ADMIN):
        raise ValueError(f"user {user.username} is not a catalog administrator")
    group = catalog_admin_group(actor=actor)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    audit_record(actor=actor, action="catalog_admin_grant", obj=user,
                 new={"is_staff": True, "group": group.name})
    return user
