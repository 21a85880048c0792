"""Reading an uploaded workbook into checked cell values, sheet by sheet.

Nothing here writes to the database; every problem found is collected, not raised one by one,
so that the administrator gets the whole list at once.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem
from onewindow.catalog.transfer.columns import (
    ITEM_SHEET,
    MATERIAL_SHEET,
    STEP_SHEET,
    Column,
    Lookups,
    SheetSpec,
    cell_text,
)
from onewindow.catalog.transfer.report import CellError, ImportRejected, Problem

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

MAX_WORKBOOK_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before openpyxl unpacks it
MAX_ROWS_PER_SHEET = 20_000
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MODELS = {ITEM_SHEET.name: ServiceItem, MATERIAL_SHEET.name: MaterialRequirement,
          STEP_SHEET.name: ProcessStep}


@dataclass
class Row:
    number: int  # as Excel shows it: the header is row 1
    values: dict[str, Any]
    bad: bool = False  # a cell could not be read; the row is reported, not checked further


@dataclass
class SheetData:
    spec: SheetSpec
    present: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return {column.field for column in self.present}

    def header_of(self, field_name: str) -> str:
        return next((c.header for c in self.spec.columns if c.field == field_name), "")


def max_workbook_bytes() -> int:
    return min(MAX_WORKBOOK_BYTES, settings.ONEWINDOW_UPLOAD_MAX_BYTES)


def open_workbook(data: bytes) -> Workbook:
    """Check the bytes are a sane .xlsx and open it read-only; the caller must close it."""
    from openpyxl import load_workbook  # about 30 MB: loaded by an import, not by every worker

    problem = _file_problem(data)
    if problem is None:
        try:
            return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many types for a damaged file
            problem = _("无法读取该文件：文件已损坏，或不是 Excel 2007 及以上版本的 .xlsx 文件")
    raise ImportRejected([Problem(problem)])


def _file_problem(data: bytes) -> str | None:
    limit = max_workbook_bytes()
    if not data:
        return _("文件是空的")
    if len(data) > limit:
        return _("文件过大（%(size)s），上限为 %(limit)s") % {
            "size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
    if data.startswith(XLS_SIGNATURE):
        return _("不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后再上传")
    if not data.startswith(b"PK\x03\x04"):
        return _("该文件不是 Excel（.xlsx）文件，请使用下载的模板填写")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return _("该文件不是 Excel（.xlsx）文件，请使用下载的模板填写")
    if unpacked > MAX_UNPACKED_BYTES:
        return _("文件解压后过大，请拆分后分批导入")
    return None


def read_sheet(workbook: Workbook, spec: SheetSpec, lookups: Lookups,
               problems: list[Problem]) -> SheetData | None:
    """The sheet's rows with every present cell parsed; None if the sheet is absent."""
    if spec.name not in workbook.sheetnames:
        if spec.required:
            problems.append(Problem(_("缺少工作表“%(sheet)s”") % {"sheet": spec.name},
                                    sheet=spec.name))
        return None
    rows = workbook[spec.name].iter_rows(values_only=True)
    positions = _read_header(spec, next(rows, None) or (), problems)
    if positions is None:
        return None
    sheet = SheetData(spec, present=[column for column, _i in positions])
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS_PER_SHEET + 1:  # blank rows count too: they cost time to read
            problems.append(Problem(_("行数超过 %(n)s 行，请拆分后分批导入")
                                    % {"n": MAX_ROWS_PER_SHEET}, sheet=spec.name, row=number))
            break
        if any(cell_text(cell) != "" for cell in cells):
            sheet.rows.append(_read_row(spec, number, cells, positions, lookups, problems))
    return sheet


def _read_header(spec: SheetSpec, header: tuple, problems: list[Problem]):
    known = spec.by_header()
    positions: list[tuple[Column, int]] = []
    found: set[str] = set()
    before = len(problems)
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        if text not in known:
            message = _("未知的列“%(header)s”，请使用模板中的列名") % {"header": text}
        elif text in found:
            message = _("列“%(header)s”重复出现") % {"header": text}
        else:
            found.add(text)
            positions.append((known[text], index))
            continue
        problems.append(Problem(message, sheet=spec.name, row=1, column=text))
    for column in spec.columns:
        if column.required and column.header not in found:
            problems.append(Problem(_("缺少必填列“%(header)s”") % {"header": column.header},
                                    sheet=spec.name, row=1, column=column.header))
    return positions if len(problems) == before else None


def _read_row(spec, number, cells, positions, lookups, problems) -> Row:
    row = Row(number, {})
    for column, index in positions:
        raw = cells[index] if index < len(cells) else None
        try:
            row.values[column.field] = _read_cell(spec, column, raw, lookups)
        except CellError as error:
            row.bad = True
            problems.append(Problem(str(error), sheet=spec.name, row=number,
                                    column=column.header))
    return row


def _read_cell(spec: SheetSpec, column: Column, raw: Any, lookups: Lookups) -> Any:
    if cell_text(raw) != "":
        return column.kind.parse(raw, lookups)
    if column.required:
        raise CellError(_("必填，不能为空"))
    return column.kind.blank(_model_field(spec, column.field))


def _model_field(spec: SheetSpec, name: str):
    try:
        return MODELS[spec.name]._meta.get_field(name)
    except FieldDoesNotExist:
        return None
