"""Shared parts of the Chinese PDFs the platform prints (guides, notices, certificates).

Chinese is set in reportlab's built-in CID font STSong-Light, which needs no font file: the
reader's PDF viewer supplies the glyphs. Paragraphs wrap CJK text by character.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"
MARGIN = 18 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
LINE = colors.HexColor("#b7bec7")
SHADE = colors.HexColor("#f0f2f5")
ACCENT = colors.HexColor("#b3261e")
MUTED = colors.HexColor("#5b636e")
SEPARATOR = " ｜ "
FOOTER_MAX_CHARS = 40  # drawn on one line, left of the page number


def register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def base_styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles; registers the font, which paragraphs need when they are made."""
    register_font()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=12),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10,
                                textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=23, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=10,
                             spaceAfter=4, textColor=ACCENT),
    }


def pdf_text(text) -> str:
    # The viewers' stand-ins for STSong-Light often lack U+00B7; the katakana dot looks the same.
    return str(text).replace("\u00b7", "\u30fb")


def para(text, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters are escaped, line breaks kept."""
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


class NumberedCanvas(canvas.Canvas):
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
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 10 * mm, self.footer_left)
        self.drawRightString(A4[0] - MARGIN, 10 * mm,
                             _("第 %(page)s 页，共 %(total)s 页")
                             % {"page": self._pageNumber, "total": total})


def qr_image(url: str, *, size: float = 28 * mm) -> Image:
    """A QR code of `url` (error correction M) as a platypus image."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)


def grid_table(rows, widths, *, header: bool) -> Table:
    """A ruled table; the first row (header) or the first column (labels) is shaded."""
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


def footer_text(text: str) -> str:
    text = pdf_text(text)
    return text[:FOOTER_MAX_CHARS - 1] + "…" if len(text) > FOOTER_MAX_CHARS else text


def build_pdf(story: list, *, title: str, subject: str, author: str = "",
              footer: str = "") -> bytes:
    """Lay `story` out on numbered A4 pages and return the PDF bytes."""
    register_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=20 * mm, title=pdf_text(title), author=author, subject=subject,
        creator="onewindow",
    )

    class FooterCanvas(NumberedCanvas):
        footer_left = footer_text(footer)

    doc.build(story, canvasmaker=FooterCanvas)
    return buffer.getvalue()
