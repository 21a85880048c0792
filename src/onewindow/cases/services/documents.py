"""Writes to issued documents. A document is never changed or deleted: only revoked."""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role
from onewindow.audit.services import audit_record
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.models import CaseDocument
from onewindow.cases.rules import department_approver


@rules.predicate
def is_system_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.SYSTEM_ADMIN


# An approver of the department that issued it answers for a document; an administrator may
# act for any department (e.g. a certificate obtained by fraud, found out later).
can_revoke_document = department_approver | is_system_admin


@transaction.atomic
def document_revoke(*, actor, document_id: int, reason: str) -> CaseDocument:
    """Revoke a document: the verification page shows it revoked, with the date and reason.
    A missing document and one the actor may not revoke give the same refusal."""
    if not reason.strip():
        raise CaseInputError(_("撤销文书须写明原因。"))
    document = (CaseDocument.objects.select_for_update(of=("self",))
                .select_related("case").filter(pk=document_id).first())
    if document is None or not can_revoke_document(actor, document.case):
        raise CaseForbidden(_("您无权撤销该文书。"))
    if document.revoked_at is not None:
        raise CaseInputError(_("该文书已于%(day)s撤销，不能重复撤销。")
                             % {"day": timezone.localdate(document.revoked_at).isoformat()})
    document.revoked_at = timezone.now()
    document.revoked_reason = reason.strip()
    document.full_clean()
    document.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(actor=actor, action="document_revoke", obj=document,
                 old={"revoked_at": None},
                 new={"revoked_at": document.revoked_at, "case": document.case.number,
                      "number": document.number, "kind": document.kind},
                 note=document.revoked_reason)
    return document
