"""Exporting the catalog and the template: the same format the import reads."""

import io

import pytest
from openpyxl import load_workbook

from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem
from onewindow.catalog.services import catalog_import_excel
from onewindow.catalog.transfer.columns import ITEM_SHEET, MATERIAL_SHEET, SHEETS, STEP_SHEET
from onewindow.catalog.transfer.report import ImportRejected
from onewindow.catalog.transfer.writer import export_workbook, template_workbook, workbook_bytes
from onewindow.config import BASE_DIR
from tests.catalog.excel_helpers import read_xlsx
from tests.factories import (
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    dept = DepartmentFactory(code="zjj", name="区住建局", order=1)
    other = DepartmentFactory(code="scj", name="区市场监管局", order=2)
    start, build = LifeEventFactory(name="开办企业"), LifeEventFactory(name="项目建设")
    permit = ServiceItemFactory(
        implementation_code="P-1", name="建筑工程施工许可证核发", department=dept,
        aliases="施工许可证\r\n开工许可", life_events=[build, start], legal_limit=15,
        promised_limit=3, instant_approval=True, conditions="条件一\n条件二", fee_required=True,
        complaint_phone="", online_depth=2, handling_scope="city")
    record = ServiceItemFactory(
        implementation_code="P-2", name="企业投资项目备案", department=other, item_type=20,
        case_type="on_the_spot", promised_limit=None, legal_limit=None, is_published=False,
        audience="both")
    MaterialRequirementFactory(item=permit, order=1, name="备案证明", produced_by=record,
                               source="produced", form="both", original_count=1, copy_count=2,
                               allowed_file_types="pdf,ofd", tolerance_allowed=True)
    MaterialRequirementFactory(item=permit, order=2, name="施工合同", required=False,
                               description="加盖公章")
    ProcessStepFactory(item=permit, order=1, name="受理", limit_days=1)
    ProcessStepFactory(item=permit, order=2, name="审批", description="局长签发")
    return permit, record


def snapshot():
    return (list(ServiceItem.objects.order_by("pk").values()),
            list(ServiceItem.life_events.through.objects.order_by("pk").values()),
            list(MaterialRequirement.objects.order_by("pk").values()),
            list(ProcessStep.objects.order_by("pk").values()))


def test_export_then_import_changes_nothing(catalog):
    before = snapshot()
    data = workbook_bytes(export_workbook())
    result = catalog_import_excel(actor=None, data=data, filename="export.xlsx")
    assert (result.items_unchanged, result.changed) == (2, False)
    assert result.materials_created + result.materials_updated + result.materials_deleted == 0
    assert result.steps_created + result.steps_updated + result.steps_deleted == 0
    assert snapshot() == before


def test_export_writes_items_with_chinese_labels_and_lists(catalog):
    sheets = read_xlsx(workbook_bytes(export_workbook()))
    assert list(sheets) == ["事项", "材料", "流程", "填写说明"]
    header, permit, record = sheets["事项"]
    assert list(header) == [c.header for c in ITEM_SHEET.columns]
    row = dict(zip(header, permit, strict=True))
    assert (row["实施编码"], row["办理部门"], row["权力类型"], row["办件类型"]) == (
        "P-1", "区住建局", "行政许可", "承诺件")
    assert (row["别名/俗称"], row["所属主题"], row["秒批秒办"], row["网办深度"]) == (
        "施工许可证、开工许可", "开办企业、项目建设", "是", "二星：网上预约、下载表格")
    assert dict(zip(header, record, strict=True))["已发布"] == "否"
    assert [r[:3] for r in sheets["材料"]] == [
        tuple(c.header for c in MATERIAL_SHEET.columns[:3]), ("P-1", 1, "备案证明"),
        ("P-1", 2, "施工合同")]
    material = dict(zip(sheets["材料"][0], sheets["材料"][1], strict=True))
    assert (material["产生该材料的事项实施编码"], material["材料形式"],
            material["允许的文件类型"]) == ("P-2", "原件和复印件", "pdf、ofd")
    assert sheets["流程"][1:] == [("P-1", 1, "受理", None, 1), ("P-1", 2, "审批", "局长签发", None)]


def test_template_has_headers_guide_and_dropdowns_but_no_rows():
    data = workbook_bytes(template_workbook())
    sheets = read_xlsx(data)
    for spec in (ITEM_SHEET, MATERIAL_SHEET, STEP_SHEET):
        assert sheets[spec.name] == [tuple(c.header for c in spec.columns)]
    guide = {(row[0], row[1]): row for row in sheets["填写说明"][1:] if row[1]}
    assert guide[("事项", "实施编码")][2] == "必填"
    assert "行政许可" in guide[("事项", "权力类型")][3]
    assert guide[("事项", "事项名称")][5] == "食品经营许可"  # the example column
    workbook = load_workbook(io.BytesIO(data))
    formulas = {dv.formula1 for dv in workbook["事项"].data_validations.dataValidation}
    assert '"是,否"' in formulas
    assert workbook["事项"]["A1"].comment.text.startswith("必填")


def test_template_imported_unchanged_is_rejected_as_empty(db):
    data = workbook_bytes(template_workbook())
    with pytest.raises(ImportRejected) as info:
        catalog_import_excel(actor=None, data=data, filename="template.xlsx")
    assert [p.message for p in info.value.problems] == ["“事项”表中没有数据"]


def test_export_keeps_text_that_looks_like_a_formula_as_text(catalog):
    permit, _record = catalog
    ServiceItem.objects.filter(pk=permit.pk).update(conditions='=HYPERLINK("http://x","y")')
    data = workbook_bytes(export_workbook())
    column = [c.header for c in ITEM_SHEET.columns].index("受理条件") + 1
    cell = load_workbook(io.BytesIO(data))["事项"].cell(row=2, column=column)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")
    result = catalog_import_excel(actor=None, data=data, filename="export.xlsx")
    assert result.changed is False


def test_docs_describe_every_column_of_every_sheet():
    text = (BASE_DIR / "docs" / "catalog-excel.md").read_text()
    missing = [f"{spec.name}/{column.header}" for spec in SHEETS for column in spec.columns
               if f"| {column.header} |" not in text]
    assert missing == []
