"""Issuing documents: notices, decision letters, certificates — PDF, hashed, verifiable.

`issue` is called by the services while they hold the case row lock. It fixes everything the
document says — number, date, verify code, and the whole text — in the document's `payload`, in
the same transaction as the transition. The PDF is a pure rendering of that payload: it is
made the first time someone needs it (`document_pdf`: a download, the verification page) and
then stored with its SHA-256, so that a transition does not wait for reportlab (about 25 ms a
document) and a lost file can be rendered again, identical in content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.cases import clocks, pdfs
from onewindow.cases.enums import DocumentKind
from onewindow.cases.models import CaseDocument
from onewindow.core.codes import readable_code
from onewindow.core.db import Prepared, insert_all

KIND_CODES = {
    DocumentKind.RECEIPT: "SJ", DocumentKind.CORRECTION_NOTICE: "BZ",
    DocumentKind.ACCEPTANCE_NOTICE: "SL", DocumentKind.NOT_ACCEPTED_NOTICE: "BSL",
    DocumentKind.EXTENSION_NOTICE: "YQ", DocumentKind.SUSPENSION_NOTICE: "TB",
    DocumentKind.DECISION_LETTER: "JD", DocumentKind.CERTIFICATE: "ZZ",
    DocumentKind.TOLERANCE_NOTICE: "RQ", DocumentKind.COMMITMENT: "CN",
}
# Printed under the QR code and typed by people (`codes.READABLE`): 16 characters ≈ 79 bits.
VERIFY_CODE_LENGTH = 16
PAYLOAD_VERSION = 1


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已撤销")
    EXPIRED = "expired", _("已过期")


def issue(*, case, kind: str, actor, source=None) -> CaseDocument:
    """Render and store document `kind` for `case`. Call while holding the case row lock.

    `source` is the record that caused the document where the case alone does not say
    enough: the `CorrectionRequest` of a correction notice.
    """
    return issue_all(case=case, kinds=[kind], actor=actor, source=source)[0]


def issue_all(*, case, kinds, actor, source=None) -> list[CaseDocument]:
    """`issue` for several kinds at once (instant approval issues three): one insert."""
    on = clocks.today()
    documents = [_prepare(case, kind, actor, source, on) for kind in kinds]
    insert_all(documents)  # one statement, however many
    return documents


def _prepare(case, kind: str, actor, source, on) -> CaseDocument:
    document = CaseDocument(
        case=case, kind=kind, issued_by=actor if _is_user(actor) else None,
        number=_next_number(case, kind), verify_code=new_verify_code())
    content = pdfs.content_for(case, kind, pdfs.Context(number=document.number, on=on,
                                                        source=source))
    stamp = pdfs.Stamp(department=case.department.name, number=document.number, on=on,
                       verify_url=verify_url(document.verify_code),
                       verify_code=document.verify_code)
    document.title = content.title[:200]
    document.valid_until = content.valid_until
    document.payload = _payload(case, content, stamp)
    # Lengths and choices checked; not the foreign keys and the unique code, which would cost
    # three queries per document and which the database enforces anyway.
    document.clean_fields(exclude=["case", "issued_by"])
    return document


def document_pdf(document: CaseDocument) -> bytes:
    """The document's PDF, rendered from its payload and stored the first time it is asked for.

    Two requests at once render once: the second waits on the row lock and reads the file."""
    if document.file:
        with document.file.open("rb") as f:
            return f.read()
    with transaction.atomic():
        locked = CaseDocument.objects.select_for_update().get(pk=document.pk)
        if not locked.file:
            _attach_pdf(locked, pdfs.render(*content_of(locked)))
            locked.save(update_fields=["file", "sha256"])
    document.refresh_from_db(fields=["file", "sha256"])
    with document.file.open("rb") as f:
        return f.read()


def content_of(document: CaseDocument) -> tuple[pdfs.Content, pdfs.Stamp]:
    """Content and stamp back from the payload: what `issue` fixed, nothing read anew."""
    p = document.payload
    content = pdfs.Content(
        title=p["title"], issued_what=p["issued_what"], addressee=p.get("addressee", ""),
        paragraphs=list(p.get("paragraphs", [])), facts=[tuple(f) for f in p["facts"]],
        item_headers=tuple(p["item_headers"]), items=[tuple(i) for i in p["items"]],
        closing=list(p.get("closing", [])),
        valid_until=dt.date.fromisoformat(p["valid_until"]) if p["valid_until"] else None)
    stamp = pdfs.Stamp(department=p["department"], number=document.number,
                       on=dt.date.fromisoformat(p["issued_on"]), verify_url=p["verify_url"],
                       verify_code=document.verify_code)
    return content, stamp


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _next_number(case, kind: str) -> str:
    # Counted under the case row lock, so two documents of one kind never share a number: the
    # counts are read once per locked instance (one query however many documents a move
    # issues) and kept up to date on it.
    counts = getattr(case, "_document_counts", None)
    if counts is None:
        counts = case._document_counts = Counter(d.kind for d in _KINDS_ISSUED.all(case.pk))
    counts[kind] = counts.get(kind, 0) + 1
    return f"{case.number}-{KIND_CODES[kind]}{counts[kind]}"


def none_issued(case) -> None:
    """`case`, locked, is known to have no documents yet (a draft at its first submission,
    which instant approval goes on to issue three to): numbering them asks nothing."""
    case._document_counts = Counter()


_KINDS_ISSUED = Prepared(lambda case_id: CaseDocument.objects.filter(case_id=case_id)
                         .only("pk", "kind"))


def new_verify_code() -> str:
    return readable_code(VERIFY_CODE_LENGTH)


def normalise_verify_code(code: str) -> str:
    """What a person typed (lower case, spaces, dashes) as the stored code."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def verify_url(code: str) -> str:
    """The absolute address of the public verification page: what the QR code encodes."""
    head, tail = _verify_path(get_script_prefix())
    return f"{settings.SITE_URL}{head}{code}{tail}"


@cache
def _verify_path(script_prefix: str) -> tuple[str, str]:
    # The page's path around the code, reversed once (each document of a move would reverse
    # it again); a code is letters and digits only, so it needs no quoting.
    head, tail = reverse("cases:verify", args=["CODE"]).split("CODE")
    return head, tail


def _payload(case, content: pdfs.Content, stamp: pdfs.Stamp) -> dict:
    return {
        "version": PAYLOAD_VERSION, "title": content.title, "issued_what": content.issued_what,
        "department": stamp.department, "issued_on": stamp.on.isoformat(),
        "case_number": case.number, "item": case.item.name,
        "holder": pdfs.holder_name(case), "holder_is_person": pdfs.holder_is_person(case),
        "valid_until": content.valid_until.isoformat() if content.valid_until else None,
        "verify_url": stamp.verify_url,
        "addressee": content.addressee, "paragraphs": list(content.paragraphs),
        "closing": list(content.closing),
        "facts": [list(fact) for fact in content.facts],
        "item_headers": list(content.item_headers),
        "items": [list(item) for item in content.items],
    }


def _attach_pdf(document: CaseDocument, content: bytes) -> None:
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.file.save(f"{document.kind}.pdf", ContentFile(content), save=False)


def document_status(document: CaseDocument, *, on: dt.date | None = None) -> str:
    """Revoked beats expired: a revoked certificate says so even after its end date."""
    if document.revoked_at is not None:
        return DocumentStatus.REVOKED
    on = on or timezone.localdate()
    if document.valid_until is not None and document.valid_until < on:
        return DocumentStatus.EXPIRED
    return DocumentStatus.VALID
