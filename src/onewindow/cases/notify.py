"""Telling people what happened to a case: in-app always; email/SMS through backends.

Called by the services inside their transaction; nothing is sent until the commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onewindow.cases.models import Case, Notification

# The events an applicant must know, with what they are told.
APPLICANT_MESSAGES = {
    "submit": _("您的申请已提交，等待窗口预审。"),
    "return_for_correction": _("您的申请需要补正材料，请查看一次性告知书并补正后重新提交。"),
    "not_accept": _("您的申请不予受理，请查看不予受理通知书。"),
    "accept": _("您的申请已受理，请查看受理通知书。"),
    "deem_accepted": _("您的申请已依法视为受理。"),
    "suspend": _("您的申请进入特别程序，所需时间不计入办理时限。"),
    "resume": _("您的申请已恢复审查。"),
    "extend": _("您的申请办理期限已依法延长，请查看延期告知书。"),
    "decide": _("您的申请已作出决定，请查看决定书。"),
    "complete": _("您的申请已办结。"),
    "deliver": _("您的证照/决定书已送达。"),
    "withdraw": _("您的申请已撤回。"),
}


def on_commit(case_id: int, event: str) -> None:
    transaction.on_commit(lambda: deliver(case_id, event))


def deliver(case_id: int, event: str) -> None:
    message = APPLICANT_MESSAGES.get(event)
    if message is None:
        return
    case = Case.objects.select_related("applicant").get(pk=case_id)
    Notification.objects.create(user=case.applicant, case=case, verb=event,
                                title=f"{case.number} {case.item.name}", body=str(message))
