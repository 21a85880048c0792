"""One page layout for every case document: title and number, addressee, text, facts,
numbered items, then the issuing body with its seal and date beside the verification QR code."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from onewindow.cases.pdfs.base import Content, Stamp, cn_date
from onewindow.core.pdf import CONTENT_WIDTH, base_styles, build_pdf, grid_table, para, qr_image

LABEL_WIDTH = 38 * mm
QR_SIZE = 30 * mm
QR_COLUMN = 62 * mm


def _styles() -> dict[str, ParagraphStyle]:
    st = base_styles()
    body = ParagraphStyle("letter", parent=st["body"], fontSize=11, leading=19)
    st.update({
        "doc_title": ParagraphStyle("doc_title", parent=st["title"], fontSize=20, leading=30,
                                    alignment=TA_CENTER, spaceAfter=2),
        "number": ParagraphStyle("number", parent=st["body"], alignment=TA_CENTER),
        "addressee": ParagraphStyle("addressee", parent=body, spaceBefore=8, spaceAfter=2),
        "letter": ParagraphStyle("letter_indented", parent=body, firstLineIndent=22,
                                 spaceAfter=4),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell10", parent=st["cell"], fontSize=10, leading=14),
    })
    return st


def _facts(facts, st) -> Table:
    rows = [[para(label, st["cell"]), para(value, st["cell"])] for label, value in facts]
    return grid_table(rows, [LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH], header=False)


def _items(content: Content, st) -> Table:
    head = [para(h, st["cell"]) for h in (_("序号"), *content.item_headers)]
    rows = [head] + [[para(str(n), st["cell"]), para(a, st["cell"]), para(b, st["cell"])]
                     for n, (a, b) in enumerate(content.items, start=1)]
    return grid_table(rows, [12 * mm, 58 * mm, CONTENT_WIDTH - 70 * mm], header=True)


def _verification(stamp: Stamp, st) -> list:
    return [qr_image(stamp.verify_url, size=QR_SIZE),
            para(_("扫码核验真伪"), st["small"]),
            para(_("核验码：%(code)s") % {"code": stamp.verify_code}, st["body"]),
            para(stamp.verify_url, st["small"])]


def _signature(stamp: Stamp, st) -> list:
    return [Spacer(0, 10 * mm), para(stamp.department, st["sign"]),
            para(_("（印章）"), st["sign"]), Spacer(0, 4 * mm),
            para(cn_date(stamp.on), st["sign"])]


def _closing_block(stamp: Stamp, st) -> KeepTogether:
    table = Table([[_verification(stamp, st), _signature(stamp, st)]],
                  colWidths=[QR_COLUMN, CONTENT_WIDTH - QR_COLUMN])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    note = para(_("本文书可扫描二维码或访问上述网址核验真伪，核验页面列明本文书的状态（有效、已撤销"
                  "或已过期）及电子文件的 SHA-256 值。"), st["small"])
    return KeepTogether([Spacer(0, 8 * mm), table, Spacer(0, 3 * mm), note])


def _story(content: Content, stamp: Stamp, st) -> list:
    story = [para(content.title, st["doc_title"]),
             para(_("文号：%(number)s") % {"number": stamp.number}, st["number"]),
             Spacer(0, 4 * mm)]
    if content.addressee:
        story.append(para(_("%(name)s：") % {"name": content.addressee}, st["addressee"]))
    story += [para(text, st["letter"]) for text in content.paragraphs if text]
    story += [Spacer(0, 2 * mm), _facts(content.facts, st)]
    if content.items:
        story += [Spacer(0, 4 * mm), _items(content, st)]
    story.append(Spacer(0, 3 * mm))
    story += [para(text, st["letter"]) for text in content.closing if text]
    story.append(_closing_block(stamp, st))
    return story


def render(content: Content, stamp: Stamp) -> bytes:
    """The document as PDF bytes (A4, Chinese, page-numbered, the number in every footer)."""
    story = _story(content, stamp, _styles())
    return build_pdf(story, title=content.title, subject=content.title,
                     author=stamp.department, footer=f"{stamp.department} {stamp.number}")
