"""秒批秒办: a submitted case of an instant item, decided by the item's decision table.

When the table approves, receipt, acceptance, review and decision happen in one transaction
(the `instant_decide` move, then `complete`), and the acceptance notice, the decision letter
and the certificate (its number is the filing number) are issued in it: an error anywhere —
the certificate included — leaves the case submitted, as if nothing had been tried. When the
table cannot decide (no published table, no matching row, a row that refers, a missing fact),
the case stays submitted for the window's normal flow, and the reason is recorded for the
clerk: a `DecisionRecord` and an audit event on the case whose note the staff page shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_deferred, audit_record
from onewindow.cases import clocks, documents, notify
from onewindow.cases.enums import CaseState, Decision, DocumentKind
from onewindow.cases.errors import CaseInputError
from onewindow.cases.forms import application_form_problems
from onewindow.cases.models import Case
from onewindow.cases.services.applying import (
    case_update_draft,
    material_names,
    missing_materials,
    submit_locked,
)
from onewindow.cases.services.commitment import commitment_on_decided
from onewindow.cases.services.core import lock_case, move
from onewindow.decisions import selectors as decisions
from onewindow.decisions.engine import Result
from onewindow.decisions.enums import Outcome
from onewindow.decisions.models import DecisionRecord
from onewindow.decisions.services import decision_record_add

logger = logging.getLogger("onewindow.instant")
INSTANT_DOCUMENTS = (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.DECISION_LETTER,
                     DocumentKind.CERTIFICATE)


@dataclass(frozen=True)
class Attempt:
    record: DecisionRecord
    case: Case

    @property
    def approved(self) -> bool:
        return self.record.outcome == Outcome.APPROVE


def case_submit_form(*, actor, case_id: int, form_data: dict | None = None,
                     note: str = "") -> Case:
    """A submission as the page and the API make it: `form_data`, when given, is saved to the
    draft first (a refused submission keeps what was sent), the saved form is checked as the
    submit page checks it (each field named), then the case is submitted and, for an instant
    item, decided at once (`case_submit_and_try_instant`)."""
    if form_data is not None:
        case = case_update_draft(actor=actor, case_id=case_id, form_data=form_data)
    else:
        case = Case.objects.select_related("item").get(pk=case_id)
    if not case.is_bundle_parent and case.state in (CaseState.DRAFT, CaseState.RETURNED):
        problems = application_form_problems(case)
        if problems:
            raise CaseInputError(_("申请表有未填或填错的内容：%(fields)s。请修改后再提交。")
                                 % {"fields": "、".join(problems)})
    return case_submit_and_try_instant(actor=actor, case_id=case_id, note=note)


@transaction.atomic
@audit_deferred()
def case_submit_and_try_instant(*, actor, case_id: int, note: str = "") -> Case:
    """What the applicant's submit does: the submission, then, for an instant item, the
    decision table's attempt, in one transaction (one commit, one append to the audit chain).
    The attempt runs in a savepoint: the submission stands whatever it does, and an
    unexpected error in it is logged and recorded for the clerk as a referral.

    The applicant hears once, of what the transaction did: approved at once ("秒批办结", with
    no "submitted, awaiting pre-review" that was never true of it, nor a third message for
    its completion), or submitted (referred to the window's normal flow)."""
    case = lock_case(case_id)
    instant = not case.is_bundle_parent and case.item.instant_approval
    submit_locked(case, actor=actor, note=note, tell=not instant)
    if not instant:
        return case
    try:
        with transaction.atomic():
            attempt = _try_locked(case, just_submitted=True)
    except Exception:
        logger.exception("instant approval of case %s failed; referred to the window", case.pk)
        attempt = _refer_after_error(case.pk)
    if attempt is not None and attempt.approved:
        return attempt.case
    case = attempt.case if attempt is not None else lock_case(case_id)
    notify.case_event(case, "submit")
    return case


@transaction.atomic
@audit_deferred()
def case_try_instant(*, case_id: int) -> Attempt | None:
    """Let the item's decision table decide a submitted case. None when it does not apply
    (not an instant item, not submitted); the existing attempt when this submission was
    already tried. The system acts (no actor): the audit shows it as such."""
    return _try_locked(lock_case(case_id))


def _try_locked(case: Case, *, just_submitted: bool = False) -> Attempt | None:
    """`case_try_instant` on a case locked (`lock_case`, with the item, the enterprise and the
    applicant the facts read) in the caller's transaction. `just_submitted`: the submission
    was made in this transaction, so no attempt on it can have been recorded before."""
    if case.state != CaseState.SUBMITTED or case.is_bundle_parent \
            or not case.item.instant_approval:
        return None
    earlier = None if just_submitted else decisions.last_record(case.pk)
    if earlier is not None and earlier.at >= case.submitted_at:
        return Attempt(earlier, case)
    # Just submitted: the submission has found what is missing, and nothing has changed since.
    missing = case.owed_at_submission if just_submitted else None
    if missing is None:
        missing = missing_materials(case)
    if missing:  # 容缺: submitted without a tolerable material, which the window may tolerate
        result = Result(Outcome.REFER, None, _(
            "可容缺材料（%(names)s）尚未提交，由窗口决定是否容缺受理，转人工办理。")
            % {"names": material_names(missing)})
        return _refer(case, None, result, {})
    version = decisions.version_in_force(case.item_id)
    if version is None:
        result = Result(Outcome.REFER, None, _("该事项尚未发布决策表，转人工办理。"))
        return _refer(case, None, result, {})
    table = decisions.compiled(version)
    facts = decisions.case_facts(case, table)
    result = decisions.decide(table, facts)
    if result.approves:
        return _approve(case, version, result, facts.snapshot)
    return _refer(case, version, result, facts.snapshot)


def _approve(case, version, result: Result, snapshot: dict) -> Attempt:
    reason = _("秒批秒办：依据决策表“%(table)s”第%(version)s版第%(row)s行，%(reason)s") % {
        "table": version.table.name, "version": version.number, "row": result.row,
        "reason": result.reason}

    def decide(c):
        c.accepted_on = clocks.today()
        clocks.compute_dues(c)
        c.decision, c.decision_reason, c.decided_at = Decision.APPROVED, reason, timezone.now()
        issued = documents.issue_all(case=c, kinds=INSTANT_DOCUMENTS, actor=None)
        # 告知承诺: approved on a commitment, as by an approver, opens its verification task.
        return {"decision": Decision.APPROVED, "table": version.table_id,
                "version": version.number, "row": result.row,
                "documents": [d.number for d in issued], **(commitment_on_decided(c) or {})}

    def complete(c):
        c.completed_at = timezone.now()

    record = decision_record_add(case=case, version=version, result=result, snapshot=snapshot,
                                 reason=reason)
    # Both moves under the lock `case_try_instant` took: one transaction, no savepoints.
    # Told of the decision only; the completion saves both moves' changes.
    move(case, action="instant_decide", actor=None, note=reason, apply=decide, save=False)
    move(case, action="complete", actor=None, apply=complete, tell=False)
    return Attempt(record, case)


def _refer(case, version, result: Result, snapshot: dict) -> Attempt:
    record = decision_record_add(case=case, version=version, result=result, snapshot=snapshot)
    audit_record(actor=None, action="case_instant_referred", obj=case,
                 new={"record": record.pk, "version": version.number if version else None,
                      "table": version.table_id if version else None},
                 note=_("未能秒批，转人工办理：%(reason)s") % {"reason": result.reason})
    return Attempt(record, case)


def _refer_after_error(case_id: int) -> Attempt | None:
    """The referral after an attempt's error, in a savepoint of its own: when even that
    fails, the submission still stands."""
    try:
        with transaction.atomic():
            case = lock_case(case_id)  # as the attempt's savepoint left it
            if case.state != CaseState.SUBMITTED:
                return None
            result = Result(Outcome.REFER, None, _("自动审批未能完成（系统错误），转人工办理。"))
            return _refer(case, decisions.version_in_force(case.item_id), result, {})
    except Exception:
        logger.exception("could not record the referral of case %s either", case_id)
        return None
