"""The third-party survey workbook (第三方测评): its template, and reading it row by row.

One sheet, the first row holds the column names below (order free); one row per window.
Reading never writes: it returns the parsed rows and every row's problem, and the service
rejects the whole file when there is any problem.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.accounts.models import Window

HALL = gettext_lazy("大厅代码")
WINDOW = gettext_lazy("窗口号")
SCORE = gettext_lazy("测评得分")
SAMPLES = gettext_lazy("样本量")
REMARK = gettext_lazy("备注")
COLUMNS = (HALL, WINDOW, SCORE, SAMPLES, REMARK)
REQUIRED = (HALL, WINDOW, SCORE, SAMPLES)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass(frozen=True)
class Row:
    line: int
    window: Window
    score: Decimal
    sample_size: int
    remark: str


def template_bytes() -> bytes:
    from openpyxl import Workbook  # about 30 MB: loaded when a workbook is made or read

    book = Workbook()
    sheet = book.active
    sheet.title = str(_("测评结果"))
    sheet.append([str(c) for c in COLUMNS])
    notes = book.create_sheet(str(_("填写说明")))
    for line in (_("1. 第一行为列名，请勿修改；每个窗口一行。"),
                 _("2. 大厅代码与窗口号须与系统中的窗口一致。"),
                 _("3. 测评得分为 0–100 的数，最多两位小数；样本量为正整数。"),
                 _("4. 任何一行有误，整个文件都不会导入，请按提示改正后重新上传。"),
                 _("5. 系统中的窗口（大厅代码 / 窗口号 / 名称）：")):
        notes.append([str(line)])
    for window in Window.objects.select_related("hall").filter(is_active=True):
        notes.append([window.hall.code, window.number, window.name])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(data: bytes) -> tuple[list[Row], list[str]]:
    """Parse the workbook; returns (rows, problems). Problems name the row (第 N 行)."""
    if not data:
        return [], [_("文件为空。")]
    if len(data) > MAX_BYTES:
        return [], [_("文件超过 5 MB，请拆分后导入。")]
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        return [], [_("无法读取该文件：文件已损坏，或不是 .xlsx 格式的 Excel 文件。")]
    try:
        lines = list(book.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    finally:
        book.close()
    if not lines:
        return [], [_("工作表为空。")]
    header = [str(c).strip() if c is not None else "" for c in lines[0]]
    missing = [str(c) for c in REQUIRED if str(c) not in header]
    if missing:
        return [], [_("缺少列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)}]
    if len(lines) > MAX_ROWS + 1:
        return [], [_("行数超过 %(n)d 行。") % {"n": MAX_ROWS}]
    index = {name: header.index(name) for name in header if name}
    windows = {(w.hall.code, w.number): w for w in Window.objects.select_related("hall")}
    rows, problems, seen = [], [], {}
    for line, values in enumerate(lines[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row, row_problems = _row(line, values, index, windows, seen)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(_("文件中没有数据行。"))
    return rows, problems


def _cell(values, index, column) -> str:
    position = index.get(str(column))
    if position is None or position >= len(values) or values[position] is None:
        return ""
    value = values[position]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(line, values, index, windows, seen) -> tuple[Row | None, list[str]]:
    problems = []

    def problem(text):
        problems.append(_("第 %(line)d 行：%(text)s") % {"line": line, "text": text})

    hall, number = _cell(values, index, HALL), _cell(values, index, WINDOW)
    window = windows.get((hall, number))
    if not hall or not number:
        problem(_("大厅代码和窗口号必填"))
    elif window is None:
        problem(_("找不到大厅“%(hall)s”的 %(number)s 号窗口") % {"hall": hall, "number": number})
    elif window.pk in seen:
        problem(_("与第 %(row)d 行是同一窗口") % {"row": seen[window.pk]})
    else:
        seen[window.pk] = line
    score = _score(_cell(values, index, SCORE), problem)
    samples = _samples(_cell(values, index, SAMPLES), problem)
    remark = _cell(values, index, REMARK)
    if len(remark) > 500:
        problem(_("备注不能超过 500 字"))
    if problems:
        return None, problems
    return Row(line, window, score, samples, remark), []


def _score(raw: str, problem) -> Decimal | None:
    try:
        score = Decimal(raw)
    except InvalidOperation:
        problem(_("测评得分“%(raw)s”不是数字") % {"raw": raw} if raw else _("测评得分必填"))
        return None
    if not score.is_finite() or not 0 <= score <= 100 or score != score.quantize(Decimal("0.01")):
        problem(_("测评得分须为 0–100 的数，最多两位小数"))
        return None
    return score


def _samples(raw: str, problem) -> int | None:
    if not raw.isdigit() or int(raw) < 1:
        problem(_("样本量须为正整数") if raw else _("样本量必填"))
        return None
    return int(raw)
