"""The one-time guide (一次告知) as plain labelled text, shared by the web page and the PDF.

Both faces read the same facts from here, so what an applicant downloads is what the page says.
Call with an item fetched by `selectors.item_guide_get` (its relations are prefetched).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from onewindow.catalog.enums import CaseType, LimitUnit, MaterialForm
from onewindow.catalog.models import Bundle, MaterialRequirement, ServiceItem

_LIMIT_FORMATS = {
    LimitUnit.WORKING_DAY: lambda n: _("%(n)s 个工作日") % {"n": n},
    LimitUnit.NATURAL_DAY: lambda n: _("%(n)s 个自然日") % {"n": n},
    LimitUnit.HOUR: lambda n: _("%(n)s 小时") % {"n": n},
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass
class MergedMaterial:
    """One material of a bundle, asked for once however many of its items need it."""

    name: str
    required: bool
    item_names: list[str] = field(default_factory=list)


def yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def supported(value: bool) -> str:
    return _("支持") if value else _("不支持")


def limit_text(value: int | None, unit: str, note: str = "") -> str:
    if value is None:
        return _("未规定")
    text = _LIMIT_FORMATS.get(unit, _LIMIT_FORMATS[LimitUnit.WORKING_DAY])(value)
    return f"{text}（{note}）" if note else text


def legal_limit_text(item: ServiceItem) -> str:
    return limit_text(item.legal_limit, item.legal_limit_unit, item.legal_limit_note)


def promised_limit_text(item: ServiceItem, *, with_note: bool = True) -> str:
    note = item.promised_limit_note if with_note else ""
    if item.case_type == CaseType.ON_THE_SPOT and not item.promised_limit:
        return _("当场办结") + (f"（{note}）" if note else "")
    return limit_text(item.promised_limit, item.promised_limit_unit, note)


def visits_text(item: ServiceItem) -> str:
    if item.visits_required == 0:
        return _("0 次跑动（全程网办）")
    return _("最多跑 %(n)s 次") % {"n": item.visits_required}


def fees_text(item: ServiceItem) -> str:
    if not item.fee_required:
        return _("不收费")
    return item.fees or _("收费，标准请咨询办理部门")


def case_type_text(item: ServiceItem) -> str:
    text = item.get_case_type_display()
    if item.instant_approval:
        text += _("（秒批秒办：符合条件的申请由系统即时审批）")
    return text


def overview_facts(item: ServiceItem) -> list[Fact]:
    facts = [
        Fact(_("事项编码"), item.implementation_code),
        Fact(_("基本编码"), item.basic_code),
        Fact(_("权力类型"), item.get_item_type_display()),
        Fact(_("办理部门"), item.department.name),
        Fact(_("实施主体"), item.implementing_body),
        Fact(_("服务对象"), item.get_audience_display()),
        Fact(_("办件类型"), case_type_text(item)),
        Fact(_("法定办结时限"), legal_limit_text(item)),
        Fact(_("承诺办结时限"), promised_limit_text(item)),
        Fact(_("审批结果名称"), item.result_name),
        Fact(_("收费"), fees_text(item)),
        Fact(_("告知承诺"), _("可以告知承诺方式办理") if item.commitment_allowed else ""),
    ]
    return [f for f in facts if f.value]


def how_facts(item: ServiceItem, windows=()) -> list[Fact]:
    """Where and how to apply. `windows`: the department's windows, from the selector."""
    window_text = "；".join(
        _("%(hall)s %(number)s号窗口（%(address)s）")
        % {"hall": w.hall.name, "number": w.number, "address": w.hall.address}
        for w in windows
    )
    facts = [
        Fact(_("到办事现场次数"), visits_text(item)),
        Fact(_("网上办理深度"), item.get_online_depth_display()),
        Fact(_("预约办理"), supported(item.appointment_supported)),
        Fact(_("物流快递"), _("支持，结果可邮寄送达") if item.express_supported
             else _("不支持，请到现场领取")),
        Fact(_("通办范围"), item.get_handling_scope_display()),
        Fact(_("办理地点"), item.where_to_apply),
        Fact(_("受理窗口"), window_text),
        Fact(_("办理时间"), item.office_hours),
        Fact(_("咨询电话"), item.consult_phone or item.department.phone),
        Fact(_("监督投诉电话"), item.complaint_phone),
    ]
    return [f for f in facts if f.value]


def material_counts_text(material: MaterialRequirement) -> str:
    parts = []
    if material.original_count:
        parts.append(_("原件 %(n)s 份") % {"n": material.original_count})
    if material.copy_count:
        parts.append(_("复印件 %(n)s 份") % {"n": material.copy_count})
    if not parts and material.form == MaterialForm.ELECTRONIC:
        parts.append(_("电子版 1 份"))
    return "；".join(parts) or "—"


def material_file_types_text(material: MaterialRequirement) -> str:
    return "、".join(t.upper() for t in material.file_type_list)


def material_tolerance_text(material: MaterialRequirement) -> str:
    parts = []
    if material.tolerance_allowed:
        parts.append(_("可容缺"))
    if material.commitment_replaces and material.item.commitment_allowed:
        # Only where the item runs the commitment scheme (告知承诺制) at all.
        parts.append(_("可告知承诺替代"))
    return "；".join(parts) or _("否")


def bundle_materials(bundle: Bundle) -> list[MergedMaterial]:
    """The materials of a bundle's published items, each name once, in first-seen order."""
    merged: dict[str, MergedMaterial] = {}
    for bundle_item in bundle.published_items:
        for material in bundle_item.item.materials.all():
            entry = merged.setdefault(material.name, MergedMaterial(material.name, False))
            entry.required = entry.required or material.required
            entry.item_names.append(bundle_item.item.name)
    return list(merged.values())
