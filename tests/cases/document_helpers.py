"""Helpers for the document tests: a case applied for on a known day, PDF text and QR."""

import datetime as dt
import io

import segno
from pypdf import PdfReader

from onewindow.cases import services
from onewindow.cases.documents import document_pdf
from tests.cases.conftest import upload_all

DAY = dt.date(2026, 3, 2)  # a Monday, with no holiday in the next weeks
SITE = "https://zwfw.example.gov.cn"


def apply_for(zone, *, enterprise=True, applicant=None):
    """A case submitted today (freeze the clock first)."""
    case = services.case_create_draft(actor=applicant or zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise if enterprise else None)
    upload_all(case, applicant or zone.applicant)
    return services.case_submit(actor=applicant or zone.applicant, case_id=case.pk)


def pdf_bytes(document) -> bytes:
    return document_pdf(document)


def pdf_text(document) -> str:
    """All the text of the document's PDF, whitespace removed (lines wrap inside words)."""
    reader = PdfReader(io.BytesIO(pdf_bytes(document)))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def qr_modules_in_pdf(document, *, side: int, border: int = 2) -> list[list[bool]]:
    """The dark/light modules of the (only) image in the PDF, read as a QR code of `side`
    modules with segno's quiet zone of `border` modules."""
    images = [img for page in PdfReader(io.BytesIO(pdf_bytes(document))).pages
              for img in page.images]
    assert len(images) == 1, "one QR code image expected"
    picture = images[0].image.convert("L")
    scale = picture.width / (side + 2 * border)
    return [[picture.getpixel((int((border + c + .5) * scale), int((border + r + .5) * scale)))
             < 128 for c in range(side)] for r in range(side)]


def qr_matrix_of(url: str) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in segno.make(url, error="m").matrix]
