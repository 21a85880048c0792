"""The one-time guide as a PDF an applicant can print or keep (一次告知单).

Chinese is set in reportlab's built-in CID font STSong-Light, which needs no font file: the
reader's PDF viewer supplies the glyphs. A QR code leads back to the guide page online.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from onewindow.catalog import guide
from onewindow.catalog.models import ServiceItem
from onewindow.core.pdf import CONTENT_WIDTH, FONT, SEPARATOR, base_styles, build_pdf, pdf_text
from onewindow.core.pdf import grid_table as _table
from onewindow.core.pdf import para as _p
from onewindow.core.pdf import qr_image as _qr_image

__all__ = ["FONT", "guide_pdf"]


def _facts_table(facts: list[guide.Fact], st) -> Table:
    rows = [[_p(f.label, st["cell"]), _p(f.value, st["cell"])] for f in facts]
    return _table(rows, [32 * mm, CONTENT_WIDTH - 32 * mm], header=False)


def _heading(item: ServiceItem, url: str, st) -> Table:
    text = [
        _p(item.name, st["title"]),
        _p(_("办事指南（一次告知）") + SEPARATOR + item.department.name, st["body"]),
        _p(_("事项编码：") + item.implementation_code, st["small"]),
        _p(guide.visits_text(item) + SEPARATOR + item.get_case_type_display(), st["body"]),
    ]
    qr = [_qr_image(url), _p(_("扫码查看最新指南"), st["small"])]
    table = Table([[text, qr]], colWidths=[CONTENT_WIDTH - 32 * mm, 32 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    return table


def _materials_table(item: ServiceItem, st) -> Table:
    head = [_("序号"), _("材料名称"), _("必要"), _("材料形式"), _("份数"), _("来源渠道"),
            _("容缺"), _("文件类型")]
    rows = [[_p(h, st["cell"]) for h in head]]
    for number, m in enumerate(item.materials.all(), start=1):
        name = [_p(m.name, st["cell"])]
        if m.description:
            name.append(_p(m.description, st["small"]))
        if m.template or m.sample:
            name.append(_p(_("有空白表格或示例样表，可扫码在网上下载"), st["small"]))
        cells = [str(number), name, guide.yes_no(m.required), m.get_form_display(),
                 guide.material_counts_text(m), m.get_source_display(),
                 guide.material_tolerance_text(m), guide.material_file_types_text(m)]
        rows.append([c if isinstance(c, list) else _p(c, st["cell"]) for c in cells])
    widths = [12, 48, 12, 20, 24, 22, 16, 20]
    return _table(rows, [w * mm for w in widths], header=True)


def _steps_table(item: ServiceItem, st) -> Table:
    rows = [[_p(h, st["cell"]) for h in (_("序号"), _("环节"), _("办理内容"), _("时限"))]]
    for step in item.steps.all():
        limit = _("%(n)s 个工作日") % {"n": step.limit_days} if step.limit_days is not None else ""
        rows.append([_p(c, st["cell"]) for c in (step.order, step.name, step.description, limit)])
    return _table(rows, [12 * mm, 28 * mm, CONTENT_WIDTH - 64 * mm, 24 * mm], header=True)


def _text_section(title: str, text: str, st) -> list:
    if not text.strip():
        return []
    return [_p(title, st["h2"])] + [_p(line, st["body"]) for line in text.splitlines()
                                     if line.strip()]


def _story(item: ServiceItem, windows, url: str, st) -> list:
    story = [_heading(item, url, st), Spacer(0, 4 * mm)]
    if item.summary:
        story.append(_p(item.summary, st["body"]))
    story += [_p(_("基本信息"), st["h2"]), _facts_table(guide.overview_facts(item), st)]
    story += _text_section(_("受理条件"), item.conditions, st)
    if item.materials.all():
        story += [_p(_("申请材料"), st["h2"]), _materials_table(item, st)]
    if item.steps.all():
        story += [_p(_("办理流程"), st["h2"]), _steps_table(item, st)]
    story += [KeepTogether([_p(_("办理方式"), st["h2"]),
                            _facts_table(guide.how_facts(item, windows), st)])]
    story += _text_section(_("设定依据"), item.legal_basis, st)
    if item.published_bundles:
        names = "、".join(b.name for b in item.published_bundles)
        story += _text_section(_("可与其他事项一起办理（一件事）"), names, st)
    story += [Spacer(0, 6 * mm),
              _p(_("本告知单生成于 %(date)s，内容以网上最新发布的办事指南为准：%(url)s")
                 % {"date": timezone.localdate().isoformat(), "url": url}, st["small"])]
    return story


def guide_pdf(item: ServiceItem, *, windows=(), url: str, site_name: str = "") -> bytes:
    """The guide of `item` (fetched by `selectors.item_guide_get`) as PDF bytes."""
    st = base_styles()
    footer = f"{site_name}{SEPARATOR}{item.name}" if site_name else item.name
    return build_pdf(_story(item, windows, url, st), title=pdf_text(item.name),
                     author=site_name, subject=_("办事指南（一次告知）"), footer=footer)
