"""The window's part: pre-review, correction (一次性告知), 先帮再办, (not) accepting."""

from __future__ import annotations

from django.utils.translation import gettext as _

from onewindow.cases import clocks, documents
from onewindow.cases.enums import DocumentKind, PauseKind
from onewindow.cases.errors import CaseInputError, IllegalTransition
from onewindow.cases.models import Case, ClockPause, CorrectionItem, CorrectionRequest, HelpOffer
from onewindow.cases.services.applying import refuse_missing
from onewindow.cases.services.core import record, transition


def _check_claim(case, actor) -> None:
    if case.claimed_by_id and actor is not None and case.claimed_by_id != actor.id:
        raise CaseInputError(_("该办件已由%(name)s承办，不能重复处理。") %
                             {"name": case.claimed_by})


def pre_review_lapsed(case) -> bool:
    """Art. 32: the 5 working days passed without the applicant being told; the case counts
    as accepted from receipt."""
    return bool(case.pre_review_due) and clocks.today() > case.pre_review_due


def refuse_after_pre_review(case, act: str) -> None:
    """Past `pre_review_due` the window may not return or refuse a case any more (the clock
    job deems it accepted; a clerk's acceptance does the same at once)."""
    if pre_review_lapsed(case):
        raise CaseInputError(_("预审期限（%(due)s）已过，依法自收到申请材料之日起视为受理"
                               "（行政许可法第三十二条），不能再%(act)s。") % {
            "due": case.pre_review_due.isoformat(), "act": act})


def case_claim(*, actor, case_id: int) -> Case:
    """A clerk takes a submitted case into pre-review (the 5-day clock keeps running)."""

    def apply(case):
        case.claimed_by = actor
        return {"claimed_by": actor.pk}

    return transition(case_id=case_id, action="start_pre_review", actor=actor,
                      perm="cases.intake", apply=apply)


def case_return(*, actor, case_id: int, items: list[tuple], note: str = ""):
    """Return for correction with every fix listed at once. `items` are (requirement or None,
    reason) pairs; at least one, each with a reason."""
    if not items or any(not (reason or "").strip() for _req, reason in items):
        raise CaseInputError(_("请逐项填写需要补正的内容，一次告知全部问题。"))

    def apply(case):
        _check_claim(case, actor)
        refuse_after_pre_review(case, _("退回补正"))
        request = CorrectionRequest.objects.create(case=case, issued_by=actor, note=note)
        CorrectionItem.objects.bulk_create(
            CorrectionItem(request=request, requirement=req, reason=reason.strip())
            for req, reason in items)
        ClockPause.objects.create(case=case, kind=PauseKind.WITH_APPLICANT,
                                  started_on=clocks.today(), reason=_("退回补正"))
        documents.issue(case=case, kind=DocumentKind.CORRECTION_NOTICE, actor=actor,
                        source=request)
        return {"correction": request.pk, "items": len(items)}

    return transition(case_id=case_id, action="return_for_correction", actor=actor,
                      perm="cases.intake", note=note, apply=apply)


def case_offer_help(*, actor, case_id: int, reason_told: str, help_offered: str,
                    channel: str = "电话", applicant_response: str = ""):
    """Record that the applicant was told why the case cannot be accepted and offered help."""
    if not reason_told.strip() or not help_offered.strip():
        raise CaseInputError(_("请填写告知申请人的原因和提供的帮助。"))

    def apply(case):
        if case.state != "pre_review":
            raise IllegalTransition(case, "offer_help")
        offer = HelpOffer.objects.create(case=case, offered_by=actor, reason_told=reason_told,
                                         help_offered=help_offered, channel=channel,
                                         applicant_response=applicant_response)
        return {"help_offer": offer.pk, "channel": channel}

    return record(case_id=case_id, action="offer_help", actor=actor, perm="cases.intake",
                  note=reason_told, apply=apply)


def case_not_accept(*, actor, case_id: int, reason: str, competent_agency: str = ""):
    """不予受理: only after the applicant was told why and offered help (先帮再办)."""
    if not reason.strip():
        raise CaseInputError(_("不予受理必须写明理由。"))

    def apply(case):
        _check_claim(case, actor)
        refuse_after_pre_review(case, _("不予受理"))
        if not case.help_offers.exists():
            raise CaseInputError(_("不予受理前，须先告知申请人原因并提供帮助（先帮再办），"
                                   "并记录在案。"))
        case.not_accepted_reason = reason.strip()
        case.competent_agency = competent_agency.strip()
        documents.issue(case=case, kind=DocumentKind.NOT_ACCEPTED_NOTICE, actor=actor)
        return {"reason": case.not_accepted_reason, "competent_agency": case.competent_agency}

    return transition(case_id=case_id, action="not_accept", actor=actor, perm="cases.intake",
                      note=reason, apply=apply)


def case_accept(*, actor, case_id: int, note: str = ""):
    """Accept: the decision clocks start today. Past the pre-review limit the case already
    counts as accepted from receipt (Art. 32): the acceptance is that deemed one, dated so."""

    def apply(case):
        _check_claim(case, actor)
        if pre_review_lapsed(case):
            return {**_deem_accepted(case, actor), "deemed": True}
        # Only tolerable ones can be missing (`applying._submission`).
        refuse_missing(case, _("以下材料尚未提交：%(names)s。请退回补正，或按申请人已签署的容缺"
                               "承诺书容缺受理。") if case.tolerance_pledges.exists() else
                       _("以下材料尚未提交：%(names)s。请退回补正，或在申请人签署容缺"
                         "承诺书后容缺受理。"))
        return _start_decision_clocks(case, actor, accepted_on=clocks.today())

    return transition(case_id=case_id, action="accept", actor=actor, perm="cases.intake",
                      note=note, apply=apply)


def case_deem_accepted(*, case_id: int):
    """Art. 32(4): not told within 5 working days, the case counts as accepted from receipt.
    Run by the clock job (no actor)."""

    def apply(case):
        if not pre_review_lapsed(case):
            raise CaseInputError(_("预审期限未到，不能视为受理。"))
        return _deem_accepted(case, None)

    return transition(case_id=case_id, action="accept", actor=None, perm=None,
                      event="deem_accepted", note=_("预审逾期，依法自收到申请材料之日起视为受理"),
                      apply=apply)


def _deem_accepted(case, actor) -> dict:
    case.deemed_accepted = True
    return _start_decision_clocks(case, actor, accepted_on=case.received_on)


def _start_decision_clocks(case, actor, *, accepted_on) -> dict:
    case.accepted_on = accepted_on
    clocks.compute_dues(case)
    documents.issue(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE, actor=actor)
    return {"accepted_on": accepted_on, "legal_due": case.legal_due,
            "promised_due": case.promised_due, "provisional": case.due_provisional}
