"""Reads of issued documents: the download by those who may see the case, and the public
verification page reached through the QR code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.documents import DocumentStatus, document_status, normalise_verify_code
from onewindow.cases.models import Case, CaseDocument


def document_get_for_case(*, case: Case, pk: int) -> CaseDocument:
    """A document of `case` (already authorised); another case's document is the same 404."""
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise Http404(_("文书不存在。"))
    return document


def document_find_by_code(code: str) -> CaseDocument | None:
    code = normalise_verify_code(code)
    if not code or len(code) > CaseDocument._meta.get_field("verify_code").max_length:
        return None
    return (CaseDocument.objects.select_related("case__item", "case__department")
            .filter(verify_code=code).first())


def mask_name(name: str) -> str:
    """A person's name for the public: the family name and a star per other character."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


@dataclass(frozen=True)
class PublicDocument:
    """What the verification page may show: the document's own facts, nothing internal."""

    kind: str
    title: str
    number: str
    department: str
    issued_on: dt.date
    holder: str
    item: str
    issued_what: str
    valid_until: dt.date | None
    status: str
    status_label: str
    revoked_at: dt.datetime | None
    revoked_reason: str
    sha256: str


def public_document(document: CaseDocument, *, on: dt.date | None = None) -> PublicDocument:
    """The facts as issued (from the payload), with the status as of `on` (today)."""
    payload, case = document.payload or {}, document.case
    holder = payload.get("holder", "")
    status = document_status(document, on=on)
    return PublicDocument(
        kind=document.get_kind_display(), title=payload.get("title") or document.title,
        number=document.number, department=payload.get("department") or case.department.name,
        issued_on=_issued_on(document), item=payload.get("item") or case.item.name,
        holder=mask_name(holder) if payload.get("holder_is_person", True) else holder,
        issued_what=payload.get("issued_what") or document.title,
        valid_until=document.valid_until, status=status,
        status_label=str(DocumentStatus(status).label),
        revoked_at=document.revoked_at, revoked_reason=document.revoked_reason,
        sha256=document.sha256,
    )


def _issued_on(document: CaseDocument) -> dt.date:
    if document.payload.get("issued_on"):
        return dt.date.fromisoformat(document.payload["issued_on"])
    return timezone.localdate(document.issued_at)
