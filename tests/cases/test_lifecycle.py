import datetime as dt

import pytest
from django.db import connection
from django.http import Http404

from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import clocks, services
from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.errors import CaseForbidden, CaseInputError, IllegalTransition
from onewindow.cases.models import Case
from onewindow.cases.selectors import case_get_for_user
from onewindow.workdays.selectors import working_days_between
from tests.cases.conftest import reload, upload_all
from tests.factories import record_review

pytestmark = pytest.mark.django_db


def test_case_full_lifecycle_is_audited_and_issues_documents(zone, in_review, freeze_today):
    case_id = in_review.pk  # with the reviewer's opinion; the approver's is a second step
    services.case_review_step(actor=zone.approver, case_id=case_id, kind="approve",
                              outcome="agree", opinion="同意审查意见")
    services.case_decide(actor=zone.approver, case_id=case_id, decision="approved")
    services.case_complete(actor=zone.clerk, case_id=case_id)
    case = services.case_deliver(actor=zone.clerk, case_id=case_id, method="download")
    assert case.state == CaseState.DELIVERED
    kinds = set(case.documents.values_list("kind", flat=True))
    assert {DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.DECISION_LETTER,
            DocumentKind.CERTIFICATE} <= kinds
    actions = [e.action for e in events_for(case)]
    assert actions[:1] == ["case_create"]
    assert [a for a in actions if a not in ("case_create", "case_material_upload")] == \
        ["case_submit", "case_accept", "case_start_review", "case_review_step",
            "case_review_step", "case_decide", "case_complete", "case_deliver"]
    assert list(case.review_steps.values_list("kind", "by")) == [
        ("review", zone.reviewer.pk), ("approve", zone.approver.pk)]
    assert audit_verify()[1] is None
    assert case.number.startswith("GX") and len(case.query_code) == 6


def test_case_decide_needs_a_recorded_review_opinion(zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    services.case_start_review(actor=zone.reviewer, case_id=submitted.pk)
    events = events_for(submitted).count()
    for decision, reason in (("approved", ""), ("denied", "不符合条件")):
        with pytest.raises(CaseInputError, match="尚无审查意见：请先记录审查意见，再作出决定。"):
            services.case_decide(actor=zone.approver, case_id=submitted.pk, decision=decision,
                                 reason=reason)
    assert events_for(submitted).count() == events
    case = reload(submitted)
    assert case.state == CaseState.IN_REVIEW and case.decision == ""
    assert not case.documents.exclude(kind=DocumentKind.ACCEPTANCE_NOTICE).exists()
    record_review(zone.reviewer, submitted.pk)
    case = services.case_decide(actor=zone.approver, case_id=submitted.pk, decision="approved")
    assert case.state == CaseState.DECIDED


def test_case_approval_against_a_disagreeing_opinion_needs_the_approvers_own(zone, in_review):
    """The approver's reasons stay in the (internal) opinions, not in the decision letter."""
    record_review(zone.reviewer, in_review.pk, outcome="disagree")
    events = events_for(in_review).count()
    with pytest.raises(CaseInputError, match="最近一条审查意见为“不同意”。准予许可的，请先填写"):
        services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="approved",
                             reason="不采纳审查意见")
    assert reload(in_review).state == CaseState.IN_REVIEW
    assert events_for(in_review).count() == events
    services.case_review_step(actor=zone.approver, case_id=in_review.pk, kind="approve",
                              outcome="agree", opinion="补充材料已证明符合条件，同意准予许可")
    case = services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="approved")
    assert case.state == CaseState.DECIDED and case.decision_reason == ""


def test_case_denial_may_follow_a_disagreeing_opinion(zone, in_review):
    record_review(zone.reviewer, in_review.pk, outcome="disagree")
    case = services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="denied",
                                reason="不符合法定条件")
    assert case.state == CaseState.DECIDED and case.decision == "denied"


def test_case_submit_without_required_material_names_it(zone):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    with pytest.raises(CaseInputError, match="建筑工程施工许可申请表、建设工程规划许可证"):
        services.case_submit(actor=zone.applicant, case_id=case.pk)
    assert reload(case).state == CaseState.DRAFT and reload(case).number is None


def test_case_numbers_are_unique_and_sequential(zone):
    numbers = []
    for _ in range(3):
        case = services.case_create_draft(actor=zone.applicant, item=zone.item)
        upload_all(case, zone.applicant)
        numbers.append(services.case_submit(actor=zone.applicant, case_id=case.pk).number)
    assert len(set(numbers)) == 3
    assert [int(n[-6:]) for n in numbers] == sorted(int(n[-6:]) for n in numbers)


def test_case_create_draft_same_idempotency_key_gives_one_case(zone):
    first = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                       idempotency_key="k-1")
    again = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                       idempotency_key="k-1")
    assert first.pk == again.pk
    assert zone.item.cases.count() == 1


def test_case_create_draft_for_foreign_enterprise_refused(zone):
    with pytest.raises(CaseForbidden):
        services.case_create_draft(actor=zone.stranger, item=zone.item,
                                   enterprise=zone.enterprise)


def test_case_return_then_resubmit_same_case_records_applicant_time(zone, submitted,
                                                                   freeze_today):
    freeze_today(dt.date(2026, 3, 2))
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    req1, req2 = zone.item.materials.filter(required=True)
    case = services.case_return(actor=zone.clerk, case_id=submitted.pk,
                                items=[(req1, "申请表未盖章"), (req2, "规划许可证复印件不清晰")])
    assert case.state == CaseState.RETURNED
    notice = case.documents.get(kind=DocumentKind.CORRECTION_NOTICE)
    assert notice.verify_code and notice.payload["items"]
    freeze_today(dt.date(2026, 3, 5))
    case = services.case_submit(actor=zone.applicant, case_id=submitted.pk)
    assert case.number == submitted.number
    assert case.received_on == dt.date(2026, 3, 5)
    assert clocks.applicant_days(case) == 3
    assert case.corrections.get().resolved_at is not None


def test_case_return_needs_every_fix_with_reason(zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    with pytest.raises(CaseInputError):
        services.case_return(actor=zone.clerk, case_id=submitted.pk, items=[])
    with pytest.raises(CaseInputError):
        services.case_return(actor=zone.clerk, case_id=submitted.pk, items=[(None, " ")])
    assert reload(submitted).state == CaseState.PRE_REVIEW


def test_case_not_accept_requires_help_offer_first(zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    with pytest.raises(CaseInputError, match="先帮再办"):
        services.case_not_accept(actor=zone.clerk, case_id=submitted.pk, reason="不属于本机关职权")
    assert reload(submitted).state == CaseState.PRE_REVIEW
    services.case_offer_help(actor=zone.clerk, case_id=submitted.pk,
                             reason_told="该事项由市级部门办理", help_offered="已告知市级窗口地址")
    case = services.case_not_accept(actor=zone.clerk, case_id=submitted.pk,
                                    reason="不属于本机关职权", competent_agency="青岛市住建局")
    assert case.state == CaseState.NOT_ACCEPTED
    assert case.documents.filter(kind=DocumentKind.NOT_ACCEPTED_NOTICE).exists()


def test_case_claimed_by_other_clerk_cannot_be_accepted_by_me(zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    with pytest.raises(CaseInputError, match="承办"):
        services.case_accept(actor=zone.clerk2, case_id=submitted.pk)


def test_case_accept_twice_second_gets_clear_message(zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    with pytest.raises(IllegalTransition, match="已受理"):
        services.case_accept(actor=zone.clerk2, case_id=submitted.pk)


def test_case_accept_sets_both_clocks_in_working_days(zone, submitted, freeze_today):
    freeze_today(dt.date(2026, 9, 30))  # before the National Day holiday
    case = services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert case.accepted_on == dt.date(2026, 9, 30)
    assert case.promised_due == dt.date(2026, 10, 9)  # Oct 1–7 off; the 8th and 9th
    # 7 working days: Oct 8, 9, 10 (make-up Saturday), 12, 13, 14, 15
    assert case.legal_due == dt.date(2026, 10, 15)


def test_case_deem_accepted_after_five_working_days(zone, submitted, freeze_today):
    freeze_today(submitted.pre_review_due)
    with pytest.raises(CaseInputError):
        services.case_deem_accepted(case_id=submitted.pk)
    freeze_today(submitted.pre_review_due + dt.timedelta(days=1))
    case = services.case_deem_accepted(case_id=submitted.pk)
    assert case.state == CaseState.ACCEPTED and case.deemed_accepted
    assert case.accepted_on == submitted.received_on
    assert events_for(case).last().action == "case_deem_accepted"


def test_case_past_pre_review_limit_cannot_be_returned_or_refused_and_counts_from_receipt(
        zone, submitted, freeze_today):
    """Art. 32: not told within 5 working days, the case is accepted from receipt, whether the
    clock job or the clerk gets there first."""
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    services.case_offer_help(actor=zone.clerk, case_id=submitted.pk, reason_told="不符合条件",
                             help_offered="告知有权机关")
    freeze_today(submitted.pre_review_due + dt.timedelta(days=1))
    requirement = zone.item.materials.first()
    events = events_for(submitted).count()
    with pytest.raises(CaseInputError, match="预审期限（.+）已过，依法自收到申请材料之日起"):
        services.case_return(actor=zone.clerk, case_id=submitted.pk,
                             items=[(requirement, "申请表未盖章")])
    with pytest.raises(CaseInputError, match="不能再不予受理"):
        services.case_not_accept(actor=zone.clerk, case_id=submitted.pk, reason="不符合条件")
    assert reload(submitted).state == CaseState.PRE_REVIEW
    assert events_for(submitted).count() == events
    case = services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert case.state == CaseState.ACCEPTED and case.deemed_accepted
    assert case.accepted_on == submitted.received_on
    assert events_for(case).last().new_value["deemed"] is True


def test_case_suspend_pauses_clock_and_resume_moves_due(zone, submitted, freeze_today):
    freeze_today(dt.date(2026, 11, 2))
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    due = services.case_start_review(actor=zone.reviewer, case_id=submitted.pk).legal_due
    freeze_today(dt.date(2026, 11, 4))
    case = services.case_suspend(actor=zone.reviewer, case_id=submitted.pk,
                                 procedure="expert_review", reason="组织专家评审")
    assert [c.colour for c in clocks.clocks(case)] == ["paused", "paused"]
    freeze_today(dt.date(2026, 11, 11))  # Nov 5, 6, 9, 10, 11 were spent in the procedure
    case = services.case_resume(actor=zone.reviewer, case_id=submitted.pk)
    assert case.state == CaseState.IN_REVIEW
    assert working_days_between(due, case.legal_due) == 5
    assert case.documents.filter(kind=DocumentKind.SUSPENSION_NOTICE).exists()


def test_case_extend_once_by_at_most_ten_days(zone, in_review):
    with pytest.raises(CaseInputError):
        services.case_extend(actor=zone.approver, case_id=in_review.pk, days=11, reason="复杂")
    case = services.case_extend(actor=zone.approver, case_id=in_review.pk, days=10,
                                reason="需现场核查")
    assert case.extension_days == 10 and case.limit_with_extension == 17
    with pytest.raises(CaseInputError, match="不能再次延长"):
        services.case_extend(actor=zone.approver, case_id=in_review.pk, days=1, reason="再延")


def test_case_extend_refused_when_the_item_sets_no_legal_limit(zone, in_review):
    Case.objects.filter(pk=in_review.pk).update(legal_limit_days=None, legal_due=None)
    before = events_for(in_review).count()
    with pytest.raises(CaseInputError, match="该事项未设定法定办理时限，没有可以延长的期限。"):
        services.case_extend(actor=zone.approver, case_id=in_review.pk, days=3, reason="复杂")
    case = reload(in_review)
    assert (case.extension_days, case.legal_due) == (0, None)
    assert not case.documents.filter(kind=DocumentKind.EXTENSION_NOTICE).exists()
    assert events_for(in_review).count() == before


def test_case_extend_by_reviewer_refused(zone, in_review):
    with pytest.raises(CaseForbidden):
        services.case_extend(actor=zone.reviewer, case_id=in_review.pk, days=5, reason="x")


def test_case_deny_without_reason_refused_and_with_reason_carries_remedy(zone, in_review):
    with pytest.raises(CaseInputError, match="理由"):
        services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="denied")
    assert reload(in_review).state == CaseState.IN_REVIEW
    case = services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="denied",
                                reason="规划许可证与设计图纸不符")
    assert "行政复议" in case.remedy_text
    assert not case.documents.filter(kind=DocumentKind.CERTIFICATE).exists()


def test_case_other_department_cannot_review(zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    with pytest.raises(CaseForbidden):
        services.case_start_review(actor=zone.other_reviewer, case_id=submitted.pk)


def test_case_withdraw_by_applicant_only(zone, submitted):
    with pytest.raises(CaseForbidden):
        services.case_withdraw(actor=zone.stranger, case_id=submitted.pk)
    case = services.case_withdraw(actor=zone.applicant, case_id=submitted.pk, reason="不再需要")
    assert case.state == CaseState.WITHDRAWN


def test_case_get_for_user_same_404_for_forbidden_and_missing(zone, submitted):
    assert case_get_for_user(user=zone.applicant, pk=submitted.pk) == submitted
    assert case_get_for_user(user=zone.reviewer, pk=submitted.pk) == submitted
    for user, pk in [(zone.stranger, submitted.pk), (zone.other_reviewer, submitted.pk),
                     (zone.applicant, 999999)]:
        with pytest.raises(Http404):
            case_get_for_user(user=user, pk=pk)


def test_case_submit_into_uncovered_year_is_clear_503_and_changes_nothing(zone, freeze_today):
    from onewindow.cases.errors import CalendarGap

    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(case, zone.applicant)
    freeze_today(dt.date(2026, 12, 28))  # the 5-day pre-review clock runs into 2027
    with pytest.raises(CalendarGap, match="2027年的节假日安排尚未录入") as info:
        services.case_submit(actor=zone.applicant, case_id=case.pk)
    assert info.value.status == 503
    assert reload(case).state == CaseState.DRAFT and reload(case).number is None


def test_case_number_of_a_rolled_back_submission_is_never_given_again(zone, monkeypatch):
    from onewindow.cases.services import applying

    first = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(first, zone.applicant)
    before = services.case_submit(actor=zone.applicant, case_id=first.pk).number
    second = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(second, zone.applicant)
    monkeypatch.setattr(applying.clocks, "pre_review_due",
                        lambda on: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        services.case_submit(actor=zone.applicant, case_id=second.pk)
    assert reload(second).number is None
    monkeypatch.undo()
    after = services.case_submit(actor=zone.applicant, case_id=second.pk).number
    if connection.vendor == "postgresql":  # the year's sequence: the rolled-back one is a gap
        assert int(after[-6:]) == int(before[-6:]) + 2
    else:  # the year's row, upserted under SQLite's one write lock: gapless
        assert int(after[-6:]) == int(before[-6:]) + 1


def test_save_changes_writes_only_what_changed_and_sees_json_changed_in_place(zone, submitted):
    from django.db import transaction

    from onewindow.cases.models import Case
    from onewindow.cases.services import core

    with transaction.atomic():
        case = core.lock_case(submitted.pk)
        Case.objects.filter(pk=case.pk).update(query_code="ZZZZZZ")  # not ours to write back
        case.form_data["备注"] = "补充说明"  # changed in place, not reassigned
        core.save_changes(case)
    saved = reload(submitted)
    assert saved.form_data["备注"] == "补充说明" and saved.query_code == "ZZZZZZ"


@pytest.mark.django_db(transaction=True)  # no test-wide transaction around it
def test_core_move_outside_the_locking_transaction_is_refused(zone, submitted):
    from django.db.transaction import TransactionManagementError

    from onewindow.cases.models import Case
    from onewindow.cases.services import core

    with pytest.raises(TransactionManagementError):  # a lock that would end at once
        core.lock_case(submitted.pk)
    case = core.track_changes(Case.objects.get(pk=submitted.pk))  # a read, outside any transaction
    with pytest.raises(RuntimeError):
        core.move(case, action="start_pre_review", actor=zone.clerk)
    assert reload(submitted).state == CaseState.SUBMITTED


def test_case_draft_whose_twin_saved_first_returns_the_twin_not_an_error(zone):
    # What a double click meets when the twin commits between the look-up and the save.
    from onewindow.cases.models import Case
    from onewindow.cases.services import applying

    twin = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      idempotency_key="double-click-0001")
    late = Case(item=zone.item, department=zone.item.department, applicant=zone.applicant,
                filed_by=zone.applicant, title=zone.item.name,
                idempotency_key="double-click-0001")
    assert applying.save_new_draft(late) == (twin, False)
    assert Case.objects.filter(idempotency_key="double-click-0001").count() == 1


def test_first_submission_knows_the_case_has_no_pauses(zone, django_assert_num_queries):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(case, zone.applicant)
    case = services.case_submit(actor=zone.applicant, case_id=case.pk)
    with django_assert_num_queries(0):
        assert list(case.pauses.all()) == []
    services.case_claim(actor=zone.clerk, case_id=case.pk)
    requirement = zone.item.materials.first()
    returned = services.case_return(actor=zone.clerk, case_id=case.pk,
                                    items=[(requirement, "不清晰")])
    assert returned.pauses.count() == 1  # a resubmission asks: its pause is ended
    upload_all(returned, zone.applicant)
    again = services.case_submit(actor=zone.applicant, case_id=case.pk)
    assert [p.ended_on for p in again.pauses.all()] == [again.received_on]
