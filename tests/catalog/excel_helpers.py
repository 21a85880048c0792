"""Building small workbooks in the catalog format for the import tests."""

import io

from openpyxl import Workbook, load_workbook

from onewindow.catalog.transfer.columns import ITEM_SHEET, MATERIAL_SHEET, STEP_SHEET

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def item_row(department, code="TEST-0001", **cells) -> dict:
    """A valid 事项 row for `department`; `cells` are header → value overrides."""
    row = {"实施编码": code, "事项名称": "食品经营许可", "权力类型": "行政许可",
           "办理部门": department.name, "法定办结时限": 20, "承诺办结时限": 5,
           "办件类型": "承诺件"}
    row.update(cells)
    return row


def make_xlsx(items=(), materials=None, steps=None, *, item_headers=None) -> bytes:
    """A workbook with the given rows (dicts of header → value); a sheet given as None is left
    out. Headers are those the rows use, in the template's order, unless given."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = ((ITEM_SHEET, items, item_headers), (MATERIAL_SHEET, materials, None),
              (STEP_SHEET, steps, None))
    for spec, rows, headers in sheets:
        if rows is None:
            continue
        sheet = workbook.create_sheet(spec.name)
        used = {key for row in rows for key in row}
        headers = headers or [c.header for c in spec.columns if c.header in used or c.required]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data))
    return {name: list(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}


def where(problems) -> set[tuple]:
    return {(p.sheet, p.row, p.column) for p in problems}
