"""Importing the catalog from Excel: all rows checked, all or nothing, upsert on the code."""

import io
import zipfile

import pytest

from onewindow.audit.models import AuditEvent
from onewindow.catalog.enums import CaseType, ItemType, MaterialForm
from onewindow.catalog.models import CatalogImport, ServiceItem
from onewindow.catalog.services import catalog_import_excel
from onewindow.catalog.transfer.report import ImportRejected
from tests.catalog.excel_helpers import item_row, make_xlsx, where
from tests.factories import (
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(code="scjgj", name="区市场监管局", short_name="市场监管")


@pytest.fixture
def admin_user(make_user):
    return make_user(role="catalog_admin")


def run(data, actor=None):
    return catalog_import_excel(actor=actor, data=data, filename="catalog.xlsx")


def rejected(data) -> list:
    with pytest.raises(ImportRejected) as info:
        run(data)
    return info.value.problems


def test_import_excel_creates_items_materials_and_steps(dept, admin_user):
    event = LifeEventFactory(slug="start", name="开办企业")
    data = make_xlsx(
        [item_row(dept, "A-1", **{"别名/俗称": "食品许可证、开饭店"}, 所属主题="开办企业",
                  秒批秒办="是", 网办深度="三星：网上预审", 实施主体=""),
         item_row(dept, "A-2", 事项名称="营业执照", 权力类型=7, 办理部门="scjgj",
                  办件类型="即办件", 承诺办结时限=None, 法定办结时限=None)],
        materials=[{"事项实施编码": "A-1", "材料名称": "营业执照", "材料形式": "原件",
                    "原件份数": 1, "来源渠道": "由前序事项产生", "产生该材料的事项实施编码": "A-2",
                    "允许的文件类型": "PDF，ofd"},
                   {"事项实施编码": "A-1", "材料名称": "申请书", "必要": "否"}],
        steps=[{"事项实施编码": "A-1", "序号": 1, "环节": "受理", "环节时限（工作日）": 1},
               {"事项实施编码": "A-1", "序号": 2, "环节": "审查"}],
    )
    result = run(data, actor=admin_user)
    assert (result.items_created, result.materials_created, result.steps_created) == (2, 2, 2)
    permit = ServiceItem.objects.get(implementation_code="A-1")
    assert permit.alias_list == ["食品许可证", "开饭店"]
    assert permit.implementing_body == "区市场监管局"  # blank: the department's name
    assert permit.instant_approval and permit.online_depth == 3
    assert list(permit.life_events.all()) == [event]
    licence = ServiceItem.objects.get(implementation_code="A-2")
    assert licence.item_type == ItemType.CONFIRMATION and licence.case_type == CaseType.ON_THE_SPOT
    assert licence.department == dept and licence.promised_limit is None
    first, second = permit.materials.order_by("order")
    assert (first.name, first.form, first.produced_by, first.allowed_file_types) == (
        "营业执照", MaterialForm.ORIGINAL, licence, "pdf,ofd")
    assert (second.order, second.required) == (2, False)  # blank 序号: place in the sheet
    assert [(s.order, s.name, s.limit_days) for s in permit.steps.all()] == [
        (1, "受理", 1), (2, "审查", None)]


def test_import_excel_bad_rows_rejected_naming_every_problem_and_writing_nothing(dept):
    data = make_xlsx(
        [item_row(dept, "OK-1"),
         item_row(dept, "BAD-1", 办理部门="不存在的局", 权力类型="许可"),
         item_row(dept, "BAD-2", 法定办结时限=3, 承诺办结时限=5),
         item_row(dept, "OK-1", 事项名称="重复"),
         item_row(dept, "BAD-3", 事项名称="", 承诺办结时限="五天", 已发布="也许")],
        materials=[{"事项实施编码": "NOPE", "材料名称": "x"},
                   {"事项实施编码": "OK-1", "材料名称": "申请书"},
                   {"事项实施编码": "OK-1", "材料名称": "申请书"}],
    )
    problems = rejected(data)
    assert where(problems) == {
        ("事项", 3, "办理部门"), ("事项", 3, "权力类型"),
        ("事项", 4, "承诺办结时限"),
        ("事项", 5, "实施编码"),
        ("事项", 6, "事项名称"), ("事项", 6, "承诺办结时限"), ("事项", 6, "已发布"),
        ("材料", 2, "事项实施编码"), ("材料", 4, "材料名称"),
    }
    messages = {(p.row, p.column): p.message for p in problems}
    assert "不存在的局" in messages[(3, "办理部门")]
    assert "行政许可" in messages[(3, "权力类型")]  # lists the allowed labels
    assert messages[(4, "承诺办结时限")] == "承诺办结时限不能长于法定办结时限"
    assert messages[(5, "实施编码")] == "实施编码与第 2 行重复"
    assert messages[(6, "事项名称")] == "必填，不能为空"
    assert "与第 3 行重复" in messages[(4, "材料名称")]
    assert ServiceItem.objects.count() == 0
    assert not CatalogImport.objects.exists() and not AuditEvent.objects.exists()


def test_import_excel_updates_existing_item_keeping_absent_columns(dept, admin_user):
    item = ServiceItemFactory(implementation_code="U-1", name="旧名称", department=dept,
                              conditions="原受理条件", legal_limit=20, promised_limit=10)
    result = run(make_xlsx([{"实施编码": "U-1", "事项名称": "新名称", "权力类型": "行政许可",
                             "办理部门": "市场监管", "承诺办结时限": 3}]), actor=admin_user)
    assert (result.items_updated, result.items_created) == (1, 0)
    item.refresh_from_db()
    assert (item.name, item.promised_limit, item.conditions, item.legal_limit) == (
        "新名称", 3, "原受理条件", 20)
    event = AuditEvent.objects.get(action="service_item_update")
    assert event.object_id == str(item.pk) and event.actor == admin_user
    assert event.old_value == {"name": "旧名称", "promised_limit": 10}
    assert event.new_value == {"name": "新名称", "promised_limit": 3}
    batch = AuditEvent.objects.get(action="catalog_import")
    assert batch.new_value["items_updated"] == 1 and batch.new_value["changed_codes"] == ["U-1"]


def test_import_excel_material_sheet_makes_listed_items_match(dept):
    listed = ServiceItemFactory(implementation_code="M-1", department=dept)
    other = ServiceItemFactory(implementation_code="M-2", department=dept)
    MaterialRequirementFactory(item=listed, name="申请书", order=1, copy_count=0)
    MaterialRequirementFactory(item=listed, name="旧材料", order=2)
    MaterialRequirementFactory(item=other, name="不受影响", order=1)
    ProcessStepFactory(item=listed, order=1, name="受理")
    data = make_xlsx([item_row(dept, "M-1", 事项名称=listed.name)],
                     materials=[{"事项实施编码": "M-1", "序号": 1, "材料名称": "申请书",
                                 "复印件份数": 2},
                                {"事项实施编码": "M-1", "序号": 2, "材料名称": "身份证明"}])
    result = run(data)
    assert (result.materials_created, result.materials_updated, result.materials_deleted) == (
        1, 1, 1)
    assert {(m.name, m.copy_count) for m in listed.materials.all()} == {
        ("申请书", 2), ("身份证明", 0)}
    assert [m.name for m in other.materials.all()] == ["不受影响"]
    assert listed.steps.count() == 1  # no 流程 sheet: steps untouched


def test_import_excel_material_may_name_an_item_already_in_the_catalog(dept):
    item = ServiceItemFactory(implementation_code="C-1", department=dept)
    run(make_xlsx([item_row(dept, "C-2")],
                  materials=[{"事项实施编码": "C-1", "材料名称": "补充材料"}]))
    assert [m.name for m in item.materials.all()] == ["补充材料"]
    event = AuditEvent.objects.get(action="service_item_update", object_id=str(item.pk))
    assert event.new_value["materialrequirement"]["created"] == ["补充材料"]


def test_import_excel_second_import_of_same_file_changes_nothing(dept):
    data = make_xlsx([item_row(dept, "S-1"), item_row(dept, "S-2")],
                     materials=[{"事项实施编码": "S-1", "材料名称": "申请书"}],
                     steps=[{"事项实施编码": "S-2", "序号": 1, "环节": "受理"}])
    run(data)
    stamps = dict(ServiceItem.objects.values_list("implementation_code", "updated_at"))
    result = run(data)
    assert (result.items_unchanged, result.items_updated, result.changed) == (2, 0, False)
    assert dict(ServiceItem.objects.values_list("implementation_code", "updated_at")) == stamps
    assert AuditEvent.objects.filter(action__startswith="service_item").count() == 2


@pytest.mark.parametrize(("data", "message"), [
    (b"", "文件是空的"),
    (b"name,code\nx,y\n", "不是 Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls"),
    (b"PK\x03\x04 broken zip", "不是 Excel"),
])
def test_import_excel_rejects_what_is_not_xlsx(data, message):
    problems = rejected(data)
    assert len(problems) == 1 and message in problems[0].message


def test_import_excel_rejects_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "已损坏" in rejected(buffer.getvalue())[0].message


def test_import_excel_rejects_oversized_file(dept, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 2048
    data = make_xlsx([item_row(dept, f"B-{n}", 事项简介="很长的简介" * 50) for n in range(20)])
    assert len(data) > 2048
    assert "文件过大" in rejected(data)[0].message


def test_import_excel_rejects_missing_sheet_and_headers(dept):
    problems = rejected(make_xlsx(None, materials=[{"事项实施编码": "X", "材料名称": "x"}]))
    assert [(p.sheet, p.message) for p in problems] == [("事项", "缺少工作表“事项”")]
    headers = ["实施编码", "事项名称", "权力类型", "部门", "实施编码"]
    problems = rejected(make_xlsx([{"实施编码": "X"}], item_headers=headers))
    assert {(p.row, p.column, p.message) for p in problems} == {
        (1, "部门", "未知的列“部门”，请使用模板中的列名"),
        (1, "实施编码", "列“实施编码”重复出现"),
        (1, "办理部门", "缺少必填列“办理部门”"),
    }


def test_import_excel_rejects_sheet_without_rows(dept):
    problems = rejected(make_xlsx([]))
    assert [p.message for p in problems] == ["“事项”表中没有数据"]


def test_import_excel_rejects_unknown_life_event_and_produced_by(dept):
    data = make_xlsx([item_row(dept, "L-1", 所属主题="开办企业、不存在")],
                     materials=[{"事项实施编码": "L-1", "材料名称": "x",
                                 "产生该材料的事项实施编码": "GHOST"}])
    LifeEventFactory(slug="start", name="开办企业")
    problems = {(p.sheet, p.row, p.column): p.message for p in rejected(data)}
    assert problems[("事项", 2, "所属主题")] == "主题不存在：不存在"
    assert "GHOST" in problems[("材料", 2, "产生该材料的事项实施编码")]


def test_import_excel_rejects_too_many_rows(dept, monkeypatch):
    monkeypatch.setattr("onewindow.catalog.transfer.reader.MAX_ROWS_PER_SHEET", 3)
    problems = rejected(make_xlsx([item_row(dept, f"R-{n}") for n in range(5)]))
    assert [(p.row, p.message) for p in problems] == [(5, "行数超过 3 行，请拆分后分批导入")]
