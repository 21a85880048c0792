"""Writing the workbook: the empty template, and the export of the whole catalog.

Both have the same sheets and headers as the import reads, plus a 填写说明 sheet that the import
ignores; so an exported file imports again without changing anything.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem
from onewindow.catalog.transfer.columns import (
    GUIDE_SHEET_NAME,
    ITEM_SHEET,
    MATERIAL_SHEET,
    SHEETS,
    STEP_SHEET,
    Boolean,
    Choice,
    Column,
    SheetSpec,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F0F2F5")
REQUIRED_FONT = Font(bold=True, color="B3261E")
VALIDATION_ROWS = 5000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in SHEETS:
        _add_sheet(workbook, spec)
    _add_guide(workbook)
    return workbook


def export_workbook() -> Workbook:
    workbook = template_workbook()
    _fill(workbook[ITEM_SHEET.name], ITEM_SHEET, _item_rows())
    _fill(workbook[MATERIAL_SHEET.name], MATERIAL_SHEET, _material_rows())
    _fill(workbook[STEP_SHEET.name], STEP_SHEET, _step_rows())
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _add_sheet(workbook: Workbook, spec: SheetSpec) -> Worksheet:
    sheet = workbook.create_sheet(spec.name)
    sheet.append([column.header for column in spec.columns])
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.comment = Comment(_describe(column), "onewindow")
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
        _add_validation(sheet, column, index)
    sheet.freeze_panes = "B2"
    return sheet


def _describe(column: Column) -> str:
    parts = [_("必填") if column.required else _("选填"), column.kind.describe()]
    if column.note:
        parts.append(column.note)
    return "；".join(parts)


def _width(column: Column) -> int:
    return max(10, min(40, 2 * len(column.header) + 4, 2 * len(str(column.example)) + 4))


def _add_validation(sheet: Worksheet, column: Column, index: int) -> None:
    if isinstance(column.kind, Choice):
        options = column.kind.labels()
    elif isinstance(column.kind, Boolean):
        options = ["是", "否"]
    else:
        return
    letter = get_column_letter(index)
    rule = DataValidation(type="list", formula1='"{}"'.format(",".join(options)),
                          allow_blank=True, showErrorMessage=True,
                          errorTitle=column.header, error=column.kind.describe())
    rule.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
    sheet.add_data_validation(rule)


def _add_guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(GUIDE_SHEET_NAME)
    sheet.append([_("工作表"), _("列名"), _("是否必填"), _("格式"), _("说明"), _("示例")])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for spec in SHEETS:
        for column in spec.columns:
            sheet.append([spec.name, column.header, _("必填") if column.required else "",
                          column.kind.describe(), column.note, column.example])
    for note in _guide_notes():
        sheet.append([note])
    for letter, width in zip("ABCDEF", (10, 26, 10, 48, 40, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _guide_notes() -> list[str]:
    return [
        "",
        _("1. 第一行为列名，请勿修改；列的顺序可以调整，选填列可以删除"
          "（删除的列导入时保持原值）。"),
        _("2. 按“实施编码”新增或更新事项；同一文件中实施编码不能重复。"),
        _("3. “材料”“流程”表中出现的事项，其材料、流程以表中为准：同名材料（同序号环节）更新，"
          "新增的添加，表中没有的删除；未出现的事项不受影响。"),
        _("4. 任何一行有错误时整个文件不会导入，页面会列出每个错误所在的工作表、行和列。"),
        _("5. 本“填写说明”表导入时忽略。"),
    ]


def _fill(sheet: Worksheet, spec: SheetSpec, rows) -> None:
    for number, values in enumerate(rows, start=2):
        cells = [column.kind.render(values[column.field]) for column in spec.columns]
        sheet.append(cells)
        for index, value in enumerate(cells, start=1):
            if isinstance(value, str) and value.startswith("="):
                # Text that starts with "=" stays text: openpyxl would write a formula.
                sheet.cell(row=number, column=index).data_type = "s"


def _item_rows():
    items = (ServiceItem.objects.select_related("department").prefetch_related("life_events")
             .order_by("department__order", "department__name", "implementation_code"))
    for item in items.iterator(chunk_size=1000):
        values = {column.field: getattr(item, column.field) for column in ITEM_SHEET.columns
                  if column.field != "life_events"}
        values["life_events"] = list(item.life_events.all())
        yield values


def _child_order(model):
    return (model.objects.select_related("item")
            .order_by("item__department__order", "item__department__name",
                      "item__implementation_code", "order", "id"))


def _material_rows():
    query = _child_order(MaterialRequirement).select_related("produced_by")
    for material in query:
        values = {column.field: getattr(material, column.field)
                  for column in MATERIAL_SHEET.columns}
        values["item"] = material.item.implementation_code
        values["produced_by"] = material.produced_by.implementation_code \
            if material.produced_by else ""
        yield values


def _step_rows():
    for step in _child_order(ProcessStep):
        values = {column.field: getattr(step, column.field) for column in STEP_SHEET.columns}
        values["item"] = step.item.implementation_code
        yield values
