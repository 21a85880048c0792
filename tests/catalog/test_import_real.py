"""Loading the real district catalog (shared/data/guangan-service-items.json)."""

import json
import os
import time
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from onewindow.accounts.models import Department
from onewindow.audit.models import AuditEvent
from onewindow.catalog.enums import CaseType, ItemSource
from onewindow.catalog.models import CatalogImport, ServiceItem
from onewindow.catalog.services import catalog_import_json
from onewindow.catalog.transfer.realdata import DEFAULT_JSON_PATH, department_code
from onewindow.catalog.transfer.report import ImportRejected
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def real_path():
    if not DEFAULT_JSON_PATH.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI: the real catalog is required at {DEFAULT_JSON_PATH}")
        pytest.skip(f"real catalog not found at {DEFAULT_JSON_PATH}")
    return DEFAULT_JSON_PATH


def test_import_real_catalog_creates_all_items_fast_and_idempotently(real_path):
    records = json.loads(real_path.read_text())
    started = time.perf_counter()
    first = catalog_import_json(actor=None)
    elapsed = time.perf_counter() - started
    assert (first.items_created, first.departments_created) == (1135, 34)
    assert ServiceItem.objects.count() == 1135 and Department.objects.count() == 34
    assert Counter(ServiceItem.objects.values_list("item_type", flat=True)) == Counter(
        r["task_type"] for r in records)
    assert elapsed < 3, f"import took {elapsed:.2f} s"
    stamps = dict(ServiceItem.objects.values_list("pk", "updated_at"))
    second = catalog_import_json(actor=None)
    assert (second.items_unchanged, second.items_created, second.items_updated) == (1135, 0, 0)
    assert second.departments_created == 0
    assert dict(ServiceItem.objects.values_list("pk", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action="catalog_import").count() == 2


def test_import_real_catalog_items_are_unpublished_imported_drafts(real_path):
    catalog_import_json(actor=None)
    record = json.loads(real_path.read_text())[0]
    item = ServiceItem.objects.select_related("department").get(
        implementation_code=record["item_code"])
    assert (item.name, item.item_type, item.department.name) == (
        record["name"], record["task_type"], record["department"])
    assert item.department.code == department_code(record["department"])
    assert (item.source, item.is_published, item.case_type) == (
        ItemSource.IMPORTED, False, CaseType.PROMISED)
    assert item.promised_limit is None and item.legal_limit is None
    assert item.implementing_body == record["department"]
    item.full_clean()  # an imported draft without limits is valid


def test_import_real_catalog_reuses_department_by_name_and_spares_curated_items(real_path):
    record = json.loads(real_path.read_text())[0]
    own = DepartmentFactory(code="jxj", name=record["department"])
    catalog_import_json(actor=None, publish=True)
    item = ServiceItem.objects.get(implementation_code=record["item_code"])
    assert item.department == own and item.is_published
    ServiceItem.objects.filter(pk=item.pk).update(source=ItemSource.CURATED, name="人工改过的名称")
    result = catalog_import_json(actor=None, publish=True)
    assert (result.items_skipped, result.items_unchanged) == (1, 1134)
    assert ServiceItem.objects.get(pk=item.pk).name == "人工改过的名称"


def test_import_json_command_reports_counts(real_path, capsys):
    call_command("catalog", "import-json", str(real_path))
    assert "items_created=1135, departments_created=34" in capsys.readouterr().out


def test_import_json_rejects_bad_records_naming_each(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([
        {"department": "区税务局", "name": "发票领用", "item_code": "T-1", "task_type": 20},
        {"department": "", "name": "x", "item_code": "T-2", "task_type": 1},
        {"department": "区税务局", "name": "y", "item_code": "T-1", "task_type": 99},
        {"department": "区税务局", "name": "z", "item_code": "T-1", "task_type": 1},
        "not an object",
    ], ensure_ascii=False))
    with pytest.raises(ImportRejected) as info:
        catalog_import_json(actor=None, path=path)
    assert {(p.row, p.column) for p in info.value.problems} == {
        (2, "department"), (3, "task_type"), (4, "item_code"), (5, "")}
    assert not ServiceItem.objects.exists() and not CatalogImport.objects.exists()


def test_import_json_command_fails_cleanly_on_missing_or_broken_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("catalog", "import-json", str(tmp_path / "missing.json"))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        call_command("catalog", "import-json", str(broken))


def test_import_json_finds_department_renamed_since_by_its_code(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"department": "区经信局", "name": "备案", "item_code": "R-1",
                                 "task_type": 10}], ensure_ascii=False))
    catalog_import_json(actor=None, path=path)
    Department.objects.filter(name="区经信局").update(name="区经济和信息化局")
    result = catalog_import_json(actor=None, path=path)
    assert (result.departments_created, Department.objects.count()) == (0, 1)
    assert result.items_updated == 1  # the implementing body follows the new name
