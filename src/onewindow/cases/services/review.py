"""The department's part: review steps, special procedures, the one extension, the decision."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases import clocks, documents
from onewindow.cases.enums import (
    DEFAULT_REMEDY,
    CaseState,
    Decision,
    DocumentKind,
    PauseKind,
    ReviewOutcome,
    ReviewStepKind,
)
from onewindow.cases.errors import CaseInputError, IllegalTransition
from onewindow.cases.models import ClockPause, ReviewStep
from onewindow.cases.services import bundles
from onewindow.cases.services.applying import refuse_missing
from onewindow.cases.services.commitment import commitment_on_decided
from onewindow.cases.services.core import record, transition
from onewindow.cases.services.tolerance import tolerance_require_all_received
from onewindow.core.db import Prepared

MAX_EXTENSION_DAYS = 10  # Art. 42: once, by at most 10 working days


def case_start_review(*, actor, case_id: int):
    """The department takes the accepted case up: `actor` is its review handler (承办审查).
    One move, under the row lock: of two reviewers at once, one does; the other is told."""

    def apply(case):
        case.review_handler = actor
        return {"review_handler": actor.pk}

    return transition(case_id=case_id, action="start_review", actor=actor, perm="cases.review",
                      apply=apply)


def case_review_step(*, actor, case_id: int, kind: str, outcome: str, opinion: str):
    """A reviewer's or approver's recorded opinion on a case in review (no state change)."""
    if kind not in ReviewStepKind.values or outcome not in ReviewOutcome.values:
        raise CaseInputError(_("审查环节或意见无效。"))
    if not opinion.strip():
        raise CaseInputError(_("请填写审查意见。"))
    perm = "cases.decide" if kind == ReviewStepKind.APPROVE else "cases.review"

    def apply(case):
        if case.state != CaseState.IN_REVIEW:
            raise IllegalTransition(case, "review_step")
        step = ReviewStep.objects.create(case=case, kind=kind, department=case.department,
                                         outcome=outcome, opinion=opinion.strip(), by=actor)
        return {"step": step.pk, "kind": kind, "outcome": outcome}

    return record(case_id=case_id, action="review_step", actor=actor, perm=perm,
                  note=opinion, apply=apply)


def case_suspend(*, actor, case_id: int, procedure: str, reason: str):
    """特别程序 (Art. 45): both clocks stop until `case_resume`."""
    if not reason.strip():
        raise CaseInputError(_("进入特别程序须写明原因，并书面告知申请人。"))

    def apply(case):
        ClockPause.objects.create(case=case, kind=PauseKind.SPECIAL_PROCEDURE,
                                  procedure=procedure, started_on=clocks.today(), reason=reason)
        documents.issue(case=case, kind=DocumentKind.SUSPENSION_NOTICE, actor=actor)
        return {"procedure": procedure}

    return transition(case_id=case_id, action="suspend", actor=actor, perm="cases.review",
                      note=reason, apply=apply)


def case_resume(*, actor, case_id: int, note: str = ""):
    def apply(case):
        pause = case.pauses.get(kind=PauseKind.SPECIAL_PROCEDURE, ended_on__isnull=True)
        pause.ended_on = clocks.today()
        pause.save(update_fields=["ended_on"])
        clocks.compute_dues(case)
        return {"legal_due": case.legal_due, "promised_due": case.promised_due}

    return transition(case_id=case_id, action="resume", actor=actor, perm="cases.review",
                      note=note, apply=apply)


def case_extend(*, actor, case_id: int, days: int, reason: str):
    """Extend the legal limit once, by at most 10 working days, with the approver's reason."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise CaseInputError(_("延长期限须为1至10个工作日。"))
    if not reason.strip():
        raise CaseInputError(_("延长期限须写明理由，并告知申请人。"))

    def apply(case):
        if case.state not in (CaseState.IN_REVIEW, CaseState.SUSPENDED):
            raise IllegalTransition(case, "extend")
        if case.extension_days:
            raise CaseInputError(_("该办件已延长过一次期限，依法不能再次延长。"))
        if case.legal_limit_days is None:
            raise CaseInputError(_("该事项未设定法定办理时限，没有可以延长的期限。"))
        case.extension_days = days
        case.extension_reason = reason.strip()
        case.extension_approved_by = actor
        clocks.compute_dues(case)
        documents.issue(case=case, kind=DocumentKind.EXTENSION_NOTICE, actor=actor)
        return {"days": days, "legal_due": case.legal_due}

    return record(case_id=case_id, action="extend", actor=actor, perm="cases.decide",
                  note=reason, apply=apply)


def case_decide(*, actor, case_id: int, decision: str, reason: str = "",
                remedy_text: str = ""):
    """准予 or 不予许可. A denial must give its reasons and the remedy (Art. 38)."""
    if decision not in Decision.values:
        raise CaseInputError(_("决定无效：只能是准予许可或不予许可。"))
    if decision == Decision.DENIED and not reason.strip():
        raise CaseInputError(_("不予许可必须写明理由。"))

    def apply(case):
        _require_review(case, decision)
        tolerance_require_all_received(case)  # 容缺: no decision while a material is owed
        if decision == Decision.APPROVED:
            # One left tolerable at submission is owed once accepted with tolerance (and
            # waited for above); a case deemed accepted (Art. 32) owes nothing and may lack it.
            refuse_missing(case, _("以下必要材料尚未提交，不能作出准予许可决定：%(names)s。"))
            bundles.require_provided_results(case)  # 一件事: nor before a sibling's result
        case.decision = decision
        case.decision_reason = reason.strip()
        case.remedy_text = remedy_text.strip() or (
            str(DEFAULT_REMEDY) if decision == Decision.DENIED else "")
        case.decided_at = timezone.now()
        kinds = [DocumentKind.DECISION_LETTER]
        if decision == Decision.APPROVED:
            kinds.append(DocumentKind.CERTIFICATE)
        documents.issue_all(case=case, kinds=kinds, actor=actor)
        # 告知承诺: an approval on a commitment opens the department's verification task.
        return {"decision": decision, **(commitment_on_decided(case, actor=actor) or {})}

    return transition(case_id=case_id, action="decide", actor=actor, perm="cases.decide",
                      note=reason, apply=apply)


def _require_review(case, decision: str) -> None:
    """审查 before 决定: a decision follows at least one recorded opinion (`case_review_step`).
    An approval may not follow a "disagree": the approver first records an opinion of their
    own (an `approve` step, internal like every opinion), which is then the latest. A reason
    written on the decision would be printed in the decision letter the applicant receives."""
    latest = _LATEST_STEP.first(case.pk)
    if latest is None:
        raise CaseInputError(_("尚无审查意见：请先记录审查意见，再作出决定。"))
    if decision == Decision.APPROVED and latest.outcome == ReviewOutcome.DISAGREE:
        raise CaseInputError(_("最近一条审查意见为“不同意”。准予许可的，请先填写审批意见，写明"
                               "同意的理由，再作出决定。"))


_LATEST_STEP = Prepared(lambda case_id: ReviewStep.objects.filter(case_id=case_id)
                        .order_by("-at", "-pk").only("outcome"))


def certificate_delivery_days() -> int:
    return getattr(settings, "ONEWINDOW_CERTIFICATE_DELIVERY_DAYS", 10)  # Art. 44
