"""Issuing documents: notices, decision letters, certificates — PDF, hashed, verifiable.

`issue` is called by the services while they hold the case row lock; the PDF is rendered and
stored in the same transaction (a failed render rolls the transition back).
"""

from __future__ import annotations

import hashlib
import io
import secrets

from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from onewindow.cases.enums import DocumentKind
from onewindow.cases.models import CaseDocument

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

KIND_CODES = {
    DocumentKind.RECEIPT: "SJ", DocumentKind.CORRECTION_NOTICE: "BZ",
    DocumentKind.ACCEPTANCE_NOTICE: "SL", DocumentKind.NOT_ACCEPTED_NOTICE: "BSL",
    DocumentKind.EXTENSION_NOTICE: "YQ", DocumentKind.SUSPENSION_NOTICE: "TB",
    DocumentKind.DECISION_LETTER: "JD", DocumentKind.CERTIFICATE: "ZZ",
}


def issue(*, case, kind: str, actor, source=None) -> CaseDocument:
    """Render and store document `kind` for `case`. Call while holding the case row lock."""
    count = case.documents.filter(kind=kind).count() + 1
    label = DocumentKind(kind).label
    document = CaseDocument(
        case=case, kind=kind, title=str(label), issued_by=actor if _is_user(actor) else None,
        number=f"{case.number}-{KIND_CODES[kind]}{count}", verify_code=secrets.token_hex(8),
        payload={"state": case.state},
    )
    content = render_pdf(case=case, document=document, source=source)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.file.save(f"{kind}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def render_pdf(*, case, document, source=None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(FONT, 18)
    pdf.drawCentredString(A4[0] / 2, A4[1] - 80, document.title)
    pdf.setFont(FONT, 11)
    pdf.drawString(60, A4[1] - 120, f"文号：{document.number}")
    pdf.drawString(60, A4[1] - 140, f"办件编号：{case.number}    事项：{case.item.name}")
    pdf.drawString(60, A4[1] - 160, f"核验码：{document.verify_code}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
