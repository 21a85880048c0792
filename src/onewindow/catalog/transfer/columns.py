"""The workbook format: its sheets, their columns, and how each cell is read and written.

Sheet names and column headers are part of the file format (like the national platform's own
templates), so they are fixed Chinese strings rather than translated text: a file exported
under any interface language must import again. Messages about bad cells are translated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from onewindow.catalog.enums import (
    FILE_TYPES,
    Audience,
    CaseType,
    HandlingScope,
    ItemSource,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
)
from onewindow.catalog.transfer.report import CellError

LIST_SPLIT = re.compile(r"[、,，;；\n]+")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×"}


@dataclass
class Lookups:
    """Reference data a cell may name, loaded once per import."""

    departments: dict[str, Any] = field(default_factory=dict)  # name, code, short name → dept
    life_events: dict[str, Any] = field(default_factory=dict)  # name, slug → life event


def cell_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()
    return str(raw).strip()


def split_list(raw: Any) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(cell_text(raw)) if part.strip()]


class Kind:
    """How one column is read from and written to a cell. `parse` never sees a blank cell."""

    def parse(self, raw: Any, lookups: Lookups) -> Any:
        return cell_text(raw)

    def render(self, value: Any) -> Any:
        return value

    def blank(self, model_field: models.Field | None) -> Any:
        return ""

    def same(self, current: Any, new: Any) -> bool:
        return current == new

    def describe(self) -> str:
        return _("文本")


class Text(Kind):
    pass


class Integer(Kind):
    def parse(self, raw, lookups):
        if isinstance(raw, bool):
            raise CellError(_("应为不小于 0 的整数"))
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = cell_text(raw)
        if not text.isdigit():
            raise CellError(_("应为不小于 0 的整数，而不是“%(value)s”") % {"value": text})
        return int(text)

    def render(self, value):
        return "" if value is None else value

    def blank(self, model_field):
        if model_field is not None and model_field.null:
            return None
        return model_field.get_default() if model_field is not None else None

    def describe(self):
        return _("整数")


class Boolean(Kind):
    def parse(self, raw, lookups):
        text = cell_text(raw).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise CellError(_("应填“是”或“否”，而不是“%(value)s”") % {"value": cell_text(raw)})

    def render(self, value):
        return "是" if value else "否"

    def blank(self, model_field):
        return model_field.get_default()

    def describe(self):
        return _("是 / 否")


class Choice(Kind):
    """A value named by its Chinese label (as shown in the interface) or by its code.

    The labels are those of the file format (zh-hans), the same in every process, so they
    are worked out once per column."""

    def __init__(self, choices: type[models.Choices]):
        self.choices = choices

    def labels(self) -> list[str]:
        return list(self._by_label)

    @cached_property
    def _by_label(self) -> dict[str, Any]:
        with translation.override("zh-hans"):
            return {str(label): value
                    for value, label in zip(self.choices.values, self.choices.labels,
                                            strict=True)}

    @cached_property
    def _by_value(self) -> dict[Any, str]:
        return {value: label for label, value in self._by_label.items()}

    def parse(self, raw, lookups):
        text = cell_text(raw)
        if text in self._by_label:
            return self._by_label[text]
        for value in self._by_value:
            if text == str(value):
                return value
        raise CellError(_("“%(value)s”不是可选值，可选：%(options)s")
                        % {"value": text, "options": " / ".join(self.labels())})

    def render(self, value):
        return self._by_value.get(value, value)

    def blank(self, model_field):
        return model_field.get_default()

    def describe(self):
        return _("可选：%(options)s") % {"options": " / ".join(self.labels())}


class DepartmentRef(Kind):
    def parse(self, raw, lookups):
        text = cell_text(raw)
        department = lookups.departments.get(text)
        if department is None:
            raise CellError(_("部门“%(value)s”不存在，请填写已有部门的名称或代码")
                            % {"value": text})
        return department

    def render(self, value):
        return value.name

    def blank(self, model_field):
        return None

    def same(self, current, new):
        return current.pk == new.pk

    def describe(self):
        return _("已有部门的名称或部门代码")


class LifeEventList(Kind):
    def parse(self, raw, lookups):
        names = split_list(raw)
        unknown = [name for name in names if name not in lookups.life_events]
        if unknown:
            raise CellError(_("主题不存在：%(names)s") % {"names": "、".join(unknown)})
        return sorted({lookups.life_events[name] for name in names}, key=lambda e: e.pk)

    def render(self, value):
        return "、".join(event.name for event in value)

    def blank(self, model_field):
        return []

    def same(self, current, new):
        return {e.pk for e in current} == {e.pk for e in new}

    def describe(self):
        return _("已有主题的名称，多个用顿号“、”分隔")


class AliasList(Kind):
    """Stored one per line; written to a cell separated by 、 so it is easy to type."""

    def parse(self, raw, lookups):
        return "\n".join(split_list(raw))

    def render(self, value):
        return "、".join(a.strip() for a in value.splitlines() if a.strip())

    def same(self, current, new):
        return self.render(current) == self.render(new)

    def describe(self):
        return _("多个用顿号“、”分隔")


class FileTypes(Kind):
    def parse(self, raw, lookups):
        return ",".join(part.lower() for part in split_list(raw))

    def render(self, value):
        return "、".join(part.strip() for part in value.split(",") if part.strip())

    def blank(self, model_field):
        return model_field.get_default()

    def describe(self):
        return _("可选：%(options)s，多个用顿号“、”分隔") % {"options": "、".join(FILE_TYPES)}


class Position(Integer):
    """A sequence number that may be left blank: the row's place in its group is used."""

    def blank(self, model_field):
        return None


class ItemCode(Kind):
    """An implementation code naming an item in this file or already in the catalog."""

    def describe(self):
        return _("事项的实施编码（本文件“事项”表中的或目录中已有的）")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: Kind
    required: bool = False
    example: Any = ""
    note: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False

    def by_header(self) -> dict[str, Column]:
        return {column.header: column for column in self.columns}

    def by_field(self) -> dict[str, Column]:
        return {column.field: column for column in self.columns}


def _c(header, name, kind=None, *, required=False, example="", note=""):
    return Column(header, name, kind or Text(), required, example, note)


ITEM_SHEET = SheetSpec("事项", required=True, columns=(
    _c("实施编码", "implementation_code", required=True,
       example="11510000MB1234567X-000-1-00", note="导入时按实施编码新增或更新事项"),
    _c("事项名称", "name", required=True, example="食品经营许可"),
    _c("基本编码", "basic_code", example="511A01001000"),
    _c("业务办理项编码", "business_code"),
    _c("权力类型", "item_type", Choice(ItemType), required=True, example="行政许可",
       note="也可填全国平台的代码，如 1（行政许可）、20（公共服务）"),
    _c("办理部门", "department", DepartmentRef(), required=True, example="区市场监管局"),
    _c("实施主体", "implementing_body", example="区市场监督管理局", note="留空则取办理部门名称"),
    _c("服务对象", "audience", Choice(Audience), example="法人"),
    _c("别名/俗称", "aliases", AliasList(), example="食品许可证、开饭店"),
    _c("事项简介", "summary"),
    _c("所属主题", "life_events", LifeEventList(), example="开办企业"),
    _c("法定办结时限", "legal_limit", Integer(), example=20),
    _c("法定时限单位", "legal_limit_unit", Choice(LimitUnit), example="工作日"),
    _c("法定时限说明", "legal_limit_note"),
    _c("承诺办结时限", "promised_limit", Integer(), example=5,
       note="承诺件必填，不能长于法定办结时限"),
    _c("承诺时限单位", "promised_limit_unit", Choice(LimitUnit), example="工作日"),
    _c("承诺时限说明", "promised_limit_note"),
    _c("办件类型", "case_type", Choice(CaseType), example="承诺件"),
    _c("到办事现场次数", "visits_required", Integer(), example=0, note="0 表示全程网办"),
    _c("网办深度", "online_depth", Choice(OnlineDepth), example="四星：全程网办"),
    _c("支持预约办理", "appointment_supported", Boolean(), example="是"),
    _c("支持物流快递", "express_supported", Boolean(), example="是"),
    _c("通办范围", "handling_scope", Choice(HandlingScope), example="全区通办"),
    _c("秒批秒办", "instant_approval", Boolean(), example="否"),
    _c("告知承诺", "commitment_allowed", Boolean(), example="否"),
    _c("受理条件", "conditions"),
    _c("设定依据", "legal_basis", example="《中华人民共和国食品安全法》第三十五条"),
    _c("是否收费", "fee_required", Boolean(), example="否"),
    _c("收费标准及依据", "fees"),
    _c("审批结果名称", "result_name", example="食品经营许可证"),
    _c("办理地点", "where_to_apply"),
    _c("办理时间", "office_hours"),
    _c("咨询电话", "consult_phone"),
    _c("监督投诉电话", "complaint_phone", example="12345"),
    _c("来源", "source", Choice(ItemSource), example="人工维护"),
    _c("已发布", "is_published", Boolean(), example="是"),
))

MATERIAL_SHEET = SheetSpec("材料", columns=(
    _c("事项实施编码", "item", ItemCode(), required=True, example="11510000MB1234567X-000-1-00"),
    _c("序号", "order", Position(), example=1, note="留空则按表中顺序"),
    _c("材料名称", "name", required=True, example="食品经营许可申请书"),
    _c("必要", "required", Boolean(), example="是"),
    _c("材料形式", "form", Choice(MaterialForm), example="电子材料"),
    _c("原件份数", "original_count", Integer(), example=1),
    _c("复印件份数", "copy_count", Integer(), example=0),
    _c("填报须知", "description"),
    _c("来源渠道", "source", Choice(MaterialSource), example="申请人自备"),
    _c("产生该材料的事项实施编码", "produced_by", ItemCode()),
    _c("可容缺", "tolerance_allowed", Boolean(), example="否"),
    _c("可告知承诺替代", "commitment_replaces", Boolean(), example="否"),
    _c("允许的文件类型", "allowed_file_types", FileTypes(), example="pdf、jpg、png、ofd"),
))

STEP_SHEET = SheetSpec("流程", columns=(
    _c("事项实施编码", "item", ItemCode(), required=True, example="11510000MB1234567X-000-1-00"),
    _c("序号", "order", Integer(), required=True, example=1),
    _c("环节", "name", required=True, example="受理"),
    _c("办理内容", "description", example="窗口核对申请材料"),
    _c("环节时限（工作日）", "limit_days", Integer(), example=1),
))

SHEETS = (ITEM_SHEET, MATERIAL_SHEET, STEP_SHEET)
GUIDE_SHEET_NAME = "填写说明"
