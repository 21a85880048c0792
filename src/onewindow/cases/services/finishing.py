"""Completing and delivering a decided case; staff notes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.cases.enums import DeliveryMethod
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.models import CaseNote
from onewindow.cases.services.core import lock_case, transition


def case_complete(*, actor, case_id: int, note: str = ""):
    def apply(case):
        case.completed_at = timezone.now()
        return None

    return transition(case_id=case_id, action="complete", actor=actor, perm="cases.finish",
                      note=note, apply=apply)


def case_deliver(*, actor, case_id: int, method: str, address: str = ""):
    if method not in DeliveryMethod.values:
        raise CaseInputError(_("送达方式无效。"))
    if method == DeliveryMethod.EXPRESS and not address.strip():
        raise CaseInputError(_("邮寄送达须填写收件地址。"))

    def apply(case):
        case.delivery_method = method
        case.delivery_address = address.strip()
        case.delivered_at = timezone.now()
        return {"method": method}

    return transition(case_id=case_id, action="deliver", actor=actor, perm="cases.finish",
                      apply=apply)


@transaction.atomic
def case_note_add(*, actor, case_id: int, text: str, internal: bool = True) -> CaseNote:
    case = lock_case(case_id)
    if not actor.has_perm("cases.see_internal", case):
        raise CaseForbidden(_("您无权为该办件添加意见。"))
    if not text.strip():
        raise CaseInputError(_("请填写内容。"))
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip(), internal=internal)
    audit_record(actor=actor, action="case_note", obj=case,
                 new={"note": note.pk, "internal": internal})
    return note
