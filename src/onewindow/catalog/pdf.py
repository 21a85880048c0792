"""The one-time guide as a PDF an applicant can print or keep (一次告知单).

Chinese is set in reportlab's built-in CID font STSong-Light, which needs no font file: the
reader's PDF viewer supplies the glyphs. A QR code leads back to the guide page online.
"""

import io
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from onewindow.catalog import guide
from onewindow.catalog.models import ServiceItem

FONT = "STSong-Light"
MARGIN = 18 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
LINE = colors.HexColor("#b7bec7")
SHADE = colors.HexColor("#f0f2f5")
ACCENT = colors.HexColor("#b3261e")
SEPARATOR = " ｜ "


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=12),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10,
                                textColor=colors.HexColor("#5b636e")),
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=23, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=10,
                             spaceAfter=4, textColor=ACCENT),
    }


def _pdf_text(text) -> str:
    # The viewers' stand-ins for STSong-Light often lack U+00B7; the katakana dot looks the same.
    return str(text).replace("\u00b7", "\u30fb")


def _p(text, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped, line breaks kept."""
    return Paragraph(escape(_pdf_text(text)).replace("\n", "<br/>"), style)


class _NumberedCanvas(canvas.Canvas):
    """Draws "page n of m" on every page once the total is known (pages are kept until save)."""

    footer_left = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#5b636e"))
        self.drawString(MARGIN, 10 * mm, self.footer_left)
        self.drawRightString(A4[0] - MARGIN, 10 * mm,
                             _("第 %(page)s 页，共 %(total)s 页")
                             % {"page": self._pageNumber, "total": total})


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image(buffer, width=28 * mm, height=28 * mm)


def _table(rows, widths, *, header: bool) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE) if header
                 else ("BACKGROUND", (0, 0), (0, -1), SHADE))
    table.setStyle(TableStyle(style))
    return table


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
    _register_font()
    st = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=20 * mm, title=item.name, author=site_name,
        subject=_("办事指南（一次告知）"), creator="onewindow",
    )
    footer = _pdf_text(f"{site_name}{SEPARATOR}{item.name}" if site_name else item.name)
    if len(footer) > 40:  # drawn on one line, left of the page number
        footer = footer[:39] + "…"

    class FooterCanvas(_NumberedCanvas):
        footer_left = footer

    doc.build(_story(item, windows, url, st), canvasmaker=FooterCanvas)
    return buffer.getvalue()
