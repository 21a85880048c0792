"""告知承诺 (commitment): a signed commitment replaces named proofs; the department checks it
after the approval and a failed check revokes the decision (issue 4 point 4).

- `case_commitment_sign`: the applicant signs, in a draft or returned case of an item marked
  `commitment_allowed`, for the required materials marked `commitment_replaces`;
- `materials_covered_by_commitment`: what `missing_materials` no longer asks for;
- `commitment_on_decided`: called by `case_decide` under the lock — on an approval, issues the
  告知承诺书 and opens a `VerificationTask` with its own deadline;
- `verification_complete`: the department records the check: passed closes the task; failed
  revokes the decision and its certificate and decision letter;
- `verification_escalate`: the clock job's escalation of an overdue check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.cases import clocks, documents, notify
from onewindow.cases.enums import CaseState, Decision, DocumentKind, VerificationStatus
from onewindow.cases.errors import CaseForbidden, CaseInputError, IllegalTransition
from onewindow.cases.models import Case, CaseDocument, Commitment, Escalation, VerificationTask
from onewindow.cases.services.core import record, transition
from onewindow.cases.services.documents import document_revoke
from onewindow.catalog.models import MaterialRequirement
from onewindow.core.db import Prepared
from onewindow.workdays.selectors import add_working_days

# Revoked with the decision: what it granted, and the commitment it was granted on.
OUTCOME_KINDS = (DocumentKind.CERTIFICATE, DocumentKind.DECISION_LETTER, DocumentKind.COMMITMENT)
SIGNABLE_STATES = frozenset({CaseState.DRAFT, CaseState.RETURNED})


def verification_days() -> int:
    """Working days the department has to check a commitment after the approval."""
    return getattr(settings, "ONEWINDOW_COMMITMENT_VERIFICATION_DAYS", 20)


# --- reads --------------------------------------------------------------------------------------
def replaceable_requirements(item) -> list[MaterialRequirement]:
    """The required materials of `item` that a commitment may replace (none unless the item
    allows commitment)."""
    if item is None or not item.commitment_allowed:
        return []
    return [m for m in item.materials.all() if m.required and m.commitment_replaces]


def commitment_of(case) -> Commitment | None:
    """The case's signed commitment (read on every decision: compiled once)."""
    return _COMMITMENT.first(case.pk)


_COMMITMENT = Prepared(lambda case_id: Commitment.objects.filter(case_id=case_id).order_by("pk"))


def materials_covered_by_commitment(case) -> frozenset[int]:
    """Ids of the required materials the case's signed commitment stands in for: what
    `missing_materials` should not ask for. Empty without a commitment."""
    if not case.item.commitment_allowed:
        return frozenset()
    signed = commitment_of(case)
    if signed is None:
        return frozenset()
    allowed = {m.pk for m in replaceable_requirements(case.item)}
    return frozenset(pk for pk in signed.replaced.values_list("pk", flat=True) if pk in allowed)


def open_verification_task(case) -> VerificationTask | None:
    return case.verification_tasks.filter(status=VerificationStatus.OPEN).first()


def commitment_text(case, replaced) -> str:
    names = "、".join(m.name for m in replaced)
    return _("本人/本单位已知晓行政机关告知的全部内容，承诺符合“%(item)s”的法定条件、标准；以下材料"
             "所证明的事项真实、合法、有效：%(names)s。本人/本单位愿意接受行政机关的核查，并承担"
             "承诺不实的法律责任；经核查承诺内容不属实的，同意行政机关依法撤销所作出的行政许可"
             "决定。") % {"item": case.item.name, "names": names}


# --- signing ------------------------------------------------------------------------------------
def case_commitment_sign(*, actor, case_id: int,
                         requirement_ids: list[int] | None = None) -> Commitment:
    """The applicant signs the 告知承诺书 for `requirement_ids` (default: every replaceable
    material). Once per case; the text and the replaced materials are fixed when signed."""

    def apply(case):
        if case.state not in SIGNABLE_STATES:
            raise IllegalTransition(case, "commitment_sign")
        replaceable = {m.pk: m for m in replaceable_requirements(case.item)}
        if not replaceable:
            raise CaseInputError(_("该事项不适用告知承诺，请按办事指南提交全部材料。"))
        if commitment_of(case) is not None:
            raise CaseInputError(_("该申请已签署告知承诺书，不能重复签署。"))
        chosen = list(replaceable) if requirement_ids is None else list(requirement_ids)
        refused = [pk for pk in chosen if pk not in replaceable]
        if refused or not chosen:
            raise CaseInputError(_("请选择可以告知承诺替代的材料（%(names)s）。")
                                 % {"names": "、".join(m.name for m in replaceable.values())})
        replaced = [replaceable[pk] for pk in replaceable if pk in chosen]
        signed = Commitment(case=case, text=commitment_text(case, replaced), signed_by=actor,
                            signed_at=timezone.now())
        signed.full_clean()
        signed.save()
        signed.replaced.set(replaced)
        return {"commitment": signed.pk, "replaced": [m.name for m in replaced]}

    case = record(case_id=case_id, action="commitment_sign", actor=actor, perm="cases.apply",
                  apply=apply)
    return commitment_of(case)


# --- the decision and its check -----------------------------------------------------------------
def commitment_on_decided(case, *, actor=None) -> dict | None:
    """After a decision on a case with a commitment: on approval, issue the 告知承诺书 and open
    the department's verification task. Call from `case_decide` while holding the case row
    lock, after `case.decision` is set; returns audit details, or None when nothing applies."""
    signed = commitment_of(case)
    if signed is None or case.decision != Decision.APPROVED:
        return None
    days = verification_days()
    task = VerificationTask(case=case, commitment=signed, department=case.department,
                            limit_days=days, due=add_working_days(clocks.today(), days).date)
    task.full_clean()
    task.save()
    documents.issue(case=case, kind=DocumentKind.COMMITMENT, actor=actor, source=task)
    notify.case_event(case, "verification_task_created")
    return {"verification_task": task.pk, "verification_due": task.due}


def verification_complete(*, actor, task_id: int, passed: bool, findings: str) -> VerificationTask:
    """Record the department's check of a commitment. Passed: the task is closed. Failed: the
    decision is revoked, with its certificate and decision letter (an approver's act)."""
    if not findings.strip():
        raise CaseInputError(_("请填写核查情况。"))
    task = VerificationTask.objects.filter(pk=task_id).only("case_id").first()
    if task is None:
        raise CaseForbidden(_("您无权对该办件执行此操作。"))

    def apply(case):
        locked = _lock_open_task(task_id)
        locked.status = VerificationStatus.PASSED if passed else VerificationStatus.FAILED
        locked.completed_by, locked.completed_at = actor, timezone.now()
        locked.findings = findings.strip()
        locked.save(update_fields=["status", "completed_by", "completed_at", "findings"])
        details = {"verification_task": locked.pk, "passed": passed}
        if not passed:
            public = _("告知承诺经核查不属实，依法撤销行政许可决定。")
            # The applicant and staff read the findings on the case; the documents' public
            # verification page, open to anyone with the QR code, reads the reason only.
            case.ended_reason = _("%(public)s核查情况：%(f)s") % {"public": public,
                                                              "f": locked.findings}
            details["revoked_documents"] = outcome_documents_revoke(
                case=case, actor=actor, reason=public)
        return details

    if passed:
        record(case_id=task.case_id, action="verification_passed", actor=actor,
               perm="cases.review", note=findings, apply=apply)
    else:
        transition(case_id=task.case_id, action="revoke", event="verification_failed",
                   actor=actor, perm="cases.decide", note=findings, apply=apply)
    return VerificationTask.objects.get(pk=task_id)


def _lock_open_task(task_id: int) -> VerificationTask:
    locked = VerificationTask.objects.select_for_update().get(pk=task_id)
    if not locked.is_open:
        raise CaseInputError(_("该核查任务已于%(day)s完成（%(status)s），不能重复记录。") % {
            "day": timezone.localdate(locked.completed_at).isoformat(),
            "status": locked.get_status_display()})
    return locked


def overdue_verification_task_ids(*, on) -> list[int]:
    """Open checks past their deadline, not yet escalated, of decisions still standing (a
    decision revoked on another ground, a missed tolerance deadline, leaves nothing to check)."""
    return list(VerificationTask.objects.filter(status=VerificationStatus.OPEN, due__lt=on,
                                                escalated_at__isnull=True)
                .exclude(case__state=CaseState.REVOKED)
                .values_list("pk", flat=True))


class AlreadyEscalated(CaseInputError):
    """Under the lock the task turned out closed or escalated already."""


def verification_escalate(*, task_id: int) -> VerificationTask:
    """An overdue check: raise it to the supervisors once (clock job, no actor)."""
    case_id = VerificationTask.objects.values_list("case_id", flat=True).get(pk=task_id)

    def apply(case):
        task = VerificationTask.objects.select_for_update().get(pk=task_id)
        if not task.is_open or task.escalated_at is not None or task.due >= clocks.today():
            raise AlreadyEscalated(_("核查任务无需督办。"))
        task.escalated_at = timezone.now()
        task.save(update_fields=["escalated_at"])
        Escalation.objects.get_or_create(case=case, level=Escalation.Level.OVERDUE,
                                         clock="verification", due=task.due)
        if case.escalated_at is None:
            case.escalated_at = task.escalated_at
        return {"verification_task": task.pk, "due": task.due}

    record(case_id=case_id, action="verification_overdue", actor=None, perm=None,
           note=_("告知承诺核查超期督办"), apply=apply)
    return VerificationTask.objects.get(pk=task_id)


# --- revoking the outcome -----------------------------------------------------------------------
def outcome_documents_revoke(*, case: Case, actor, reason: str) -> list[str]:
    """Revoke the case's valid certificate, decision letter and 告知承诺书; return their
    numbers. Call while holding the case row lock. A person revokes through `document_revoke` (its
    permission and audit); the clock job (actor None) writes the same, audited as the system."""
    revoked = []
    for document in case.documents.filter(kind__in=OUTCOME_KINDS, revoked_at__isnull=True):
        if actor is None:
            _system_revoke(document, reason)
        else:
            document_revoke(actor=actor, document_id=document.pk, reason=reason)
        revoked.append(document.number)
    return revoked


@transaction.atomic(savepoint=False)
def _system_revoke(document: CaseDocument, reason: str) -> None:
    document.revoked_at = timezone.now()
    document.revoked_reason = reason
    document.save(update_fields=["revoked_at", "revoked_reason"])
    audit_record(actor=None, action="document_revoke", obj=document, old={"revoked_at": None},
                 new={"revoked_at": document.revoked_at, "case": document.case.number,
                      "number": document.number, "kind": document.kind}, note=reason)
