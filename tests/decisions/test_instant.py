"""秒批秒办 end to end: submit → decided → completed in one transaction, or referred."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onewindow.accounts.enums import CreditStatus
from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import documents
from onewindow.cases import services as case_services
from onewindow.cases.enums import CaseState, Decision, DocumentKind
from onewindow.cases.services.instant import case_submit_and_try_instant, case_try_instant
from onewindow.decisions import services as decision_services
from onewindow.decisions.models import DecisionRecord
from onewindow.decisions.seeding import demo_form_data
from tests.cases.conftest import reload
from tests.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


def submit(filing, case):
    return case_submit_and_try_instant(actor=filing.applicant, case_id=case.pk)


def test_instant_approval_completes_case_with_certificate_and_record(filing, draft):
    case = submit(filing, draft())
    assert case.state == CaseState.COMPLETED
    assert case.decision == Decision.APPROVED and case.decided_at and case.completed_at
    assert case.accepted_on == case.received_on
    assert "依据决策表“企业投资项目备案秒批规则”第1版第4行" in case.decision_reason
    kinds = list(case.documents.order_by("id").values_list("kind", flat=True))
    assert kinds == [DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.DECISION_LETTER,
                     DocumentKind.CERTIFICATE]
    certificate = case.documents.get(kind=DocumentKind.CERTIFICATE)
    assert certificate.number == f"{case.number}-ZZ1"
    assert certificate.payload["title"] == "企业投资项目备案证明（含项目代码）"
    record = DecisionRecord.objects.get(case=case)
    assert (record.version_id, record.row_number, record.outcome) == (
        filing.version.pk, 4, "approve")
    assert record.inputs == {"enterprise.credit_status": "normal",
                             "form:in_approval_catalogue": False,
                             "form:industry_policy": "鼓励类",
                             "form:total_investment": 3200.0}


def test_instant_filing_asks_for_its_missing_materials_once(filing, draft):
    """The submission finds what is missing; the decision table's attempt, in the same
    transaction, reads that instead of asking again."""
    case = draft()
    with CaptureQueriesContext(connection) as captured:
        case = submit(filing, case)
    assert case.state == CaseState.COMPLETED
    assert len([q for q in captured.captured_queries
                if '"catalog_materialrequirement"' in q["sql"]]) == 1


def test_first_submission_numbers_its_documents_without_counting_them(filing, draft):
    """A draft has no documents: the three an instant approval issues are numbered 1 without
    a query for the case's documents."""
    case = draft()
    with CaptureQueriesContext(connection) as captured:
        case = submit(filing, case)
    assert not [q for q in captured.captured_queries
                if q["sql"].startswith("SELECT") and '"cases_casedocument"' in q["sql"]]
    assert sorted(case.documents.values_list("number", flat=True)) == [
        f"{case.number}-{code}1" for code in ("JD", "SL", "ZZ")]


def test_instant_approval_audited_as_system_moves(filing, draft):
    case = submit(filing, draft())
    moves = [(e.action, e.actor_id, e.old_value.get("state"), e.new_value.get("state"))
             for e in events_for(case).filter(action__in=[
                 "case_submit", "case_instant_decide", "case_complete"]).order_by("id")]
    assert moves == [
        ("case_submit", filing.applicant.pk, "draft", "submitted"),
        ("case_instant_decide", None, "submitted", "decided"),
        ("case_complete", None, "decided", "completed"),
    ]
    decided = events_for(case).get(action="case_instant_decide")
    assert decided.new_value["version"] == 1 and decided.new_value["row"] == 4
    assert audit_verify()[1] is None


def test_instant_approval_certificate_failure_changes_nothing(filing, draft, monkeypatch):
    case = case_services.case_submit(actor=filing.applicant, case_id=draft().pk)
    events_before = AuditEvent.objects.count()
    real_content_for = documents.pdfs.content_for

    def failing_content_for(case, kind, context):  # the certificate, after the other two
        if kind == DocumentKind.CERTIFICATE:
            raise RuntimeError("证照库不可用")
        return real_content_for(case, kind, context)

    monkeypatch.setattr(documents.pdfs, "content_for", failing_content_for)
    with pytest.raises(RuntimeError):
        case_try_instant(case_id=case.pk)
    case = reload(case)
    assert case.state == CaseState.SUBMITTED
    assert case.decision == "" and case.accepted_on is None and case.completed_at is None
    assert not case.documents.exists() and not DecisionRecord.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_submit_and_try_instant_error_keeps_submission_and_refers(filing, draft, monkeypatch,
                                                                 caplog):
    def broken(**kwargs):
        raise RuntimeError("证照库不可用")

    monkeypatch.setattr(documents, "issue_all", broken)
    case = submit(filing, draft())
    assert case.state == CaseState.SUBMITTED and not case.documents.exists()
    record = DecisionRecord.objects.get(case=case)
    assert record.outcome == "refer" and "系统错误" in record.reason
    assert "instant approval of case" in caplog.text


@pytest.mark.parametrize(("form", "reason"), [
    ({"total_investment": None}, "缺少判断所需的信息：项目总投资（万元），转人工办理。"),
    ({"industry_policy": "淘汰类"}, "项目属于《产业结构调整指导目录》限制类或淘汰类"),
    ({"in_approval_catalogue": True}, "应申请项目核准，不适用备案"),
    ({"total_investment": 0}, "没有适用的规则行，转人工办理。"),
    ({"total_investment": "三千万"}, "项目总投资（万元）：“三千万”不是数字"),
])
def test_instant_fallback_stays_submitted_with_reason_for_clerk(filing, draft, form, reason):
    case = submit(filing, draft(**form))
    assert case.state == CaseState.SUBMITTED and not case.documents.exists()
    record = DecisionRecord.objects.get(case=case)
    assert record.outcome == "refer" and reason in record.reason
    assert record.version_id == filing.version.pk
    referred = events_for(case).get(action="case_instant_referred")
    assert referred.note.startswith("未能秒批，转人工办理：") and reason in referred.note


def test_instant_blacklisted_enterprise_referred(filing, draft):
    filing.enterprise.credit_status = CreditStatus.BLACKLIST
    filing.enterprise.save()
    case = submit(filing, draft())
    assert case.state == CaseState.SUBMITTED
    record = DecisionRecord.objects.get(case=case)
    assert (record.row_number, record.outcome) == (1, "refer")
    assert record.reason == "申请企业被列入失信黑名单，不适用秒批，转人工办理。"
    assert record.inputs["enterprise.credit_status"] == "blacklist"


def draft_without_its_material(filing, **marked):
    """A draft filing whose one material, marked as `marked` says (tolerable, replaced by a
    commitment), is not uploaded."""
    filing.item.materials.update(**marked)
    return case_services.case_create_draft(actor=filing.applicant, item=filing.item,
                                           enterprise=filing.enterprise,
                                           form_data=demo_form_data())


def test_instant_without_a_tolerable_material_referred_to_the_window(filing):
    """Submitted without a material the catalog marks tolerable: the window decides whether to
    accept with tolerance (容缺受理); the table does not approve without it."""
    case = submit(filing, draft_without_its_material(filing, tolerance_allowed=True))
    assert case.state == CaseState.SUBMITTED and not case.documents.exists()
    record = DecisionRecord.objects.get(case=case)
    assert record.outcome == "refer" and filing.item.materials.get().name in record.reason
    assert "容缺" in events_for(case).get(action="case_instant_referred").note


def test_instant_approval_on_a_commitment_opens_its_verification_task(filing):
    """告知承诺 and 秒批 together: the commitment stands in for the material, the table
    approves, and the department's check of the commitment is opened as for any approval."""
    from onewindow.cases.services import commitment

    filing.item.commitment_allowed = True
    filing.item.save()
    case = draft_without_its_material(filing, commitment_replaces=True)
    commitment.case_commitment_sign(actor=filing.applicant, case_id=case.pk)
    case = submit(filing, case)
    assert case.state == CaseState.COMPLETED
    task = case.verification_tasks.get()
    assert task.department == filing.dept and task.due > case.decided_at.date()
    assert case.documents.filter(kind=DocumentKind.COMMITMENT).exists()
    decided = events_for(case).get(action="case_instant_decide")
    assert decided.new_value["verification_task"] == task.pk
    assert audit_verify()[1] is None


def test_instant_approval_through_the_api_checks_the_tables_form_fields(client, filing, draft):
    """The API's submit checks the form as the page does, the table's yes/no and number
    fields included, with the values as saved: a filing is approved at once."""
    from onewindow.accounts.services import api_token_create

    headers = {"Authorization": "Bearer " + api_token_create(
        actor=None, owner=filing.applicant, name="测试")[1]}
    case = draft()
    response = client.generic("POST", f"/api/cases/{case.pk}/submit", headers=headers)
    assert response.status_code == 200 and response.json()["state"] == "completed"
    wrong = draft(total_investment="三千万")
    response = client.generic("POST", f"/api/cases/{wrong.pk}/submit", headers=headers)
    assert response.status_code == 422 and "项目总投资" in response.json()["detail"]


def test_instant_without_published_table_referred(filing, draft):
    item = ServiceItemFactory(name="企业投资项目备案变更", department=filing.dept,
                              instant_approval=True, case_type="on_the_spot",
                              legal_limit=None, promised_limit=0)
    case = case_services.case_create_draft(actor=filing.applicant, item=item,
                                           enterprise=filing.enterprise)
    case = submit(filing, case)
    assert case.state == CaseState.SUBMITTED
    record = DecisionRecord.objects.get(case=case)
    assert record.version is None and record.reason == "该事项尚未发布决策表，转人工办理。"


def test_instant_not_tried_for_ordinary_item(filing, draft):
    filing.item.instant_approval = False
    filing.item.save()
    case = submit(filing, draft())
    assert case.state == CaseState.SUBMITTED and not DecisionRecord.objects.exists()


def test_instant_applicant_without_enterprise_referred_for_missing_credit(filing, draft):
    case = submit(filing, draft(enterprise=None))
    assert case.state == CaseState.SUBMITTED
    record = DecisionRecord.objects.get(case=case)
    assert record.reason == "缺少判断所需的信息：企业信用状态，转人工办理。"
    assert record.inputs["enterprise.credit_status"] is None


def test_instant_try_twice_same_submission_records_once(filing, draft):
    case = submit(filing, draft(total_investment=None))
    again = case_try_instant(case_id=case.pk)
    assert again.record == DecisionRecord.objects.get(case=case)
    assert events_for(case).filter(action="case_instant_referred").count() == 1


def test_instant_try_on_completed_case_does_nothing(filing, draft):
    case = submit(filing, draft())
    assert case_try_instant(case_id=case.pk) is None
    assert DecisionRecord.objects.filter(case=case).count() == 1


def test_instant_uses_newest_published_version(filing, draft):
    rows = [dict(r) for r in filing.version.rows]
    rows[3] = {**rows[3], "reason": "新版：予以备案。"}
    newer = decision_services.version_create(actor=None, table=filing.version.table,
                                             hit_policy="unique", inputs=filing.version.inputs,
                                             rows=rows)
    decision_services.version_publish(actor=None, version_id=newer.pk)
    case = submit(filing, draft())
    record = DecisionRecord.objects.get(case=case)
    assert record.version == newer and "第2版第4行，新版：予以备案。" in case.decision_reason


def _told(filing, case) -> list[tuple[str, str]]:
    return list(filing.applicant.notifications.filter(case=case).values_list("verb", "body"))


def test_instant_applicant_told_once_of_the_outcome(filing, draft, mailoutbox, settings,
                                                    django_capture_on_commit_callbacks):
    """One message for what the transaction did, not "submitted, awaiting pre-review" (never
    true of it), "decided" and "completed" within the same second (three SMS)."""
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["onewindow.cases.notify_backends.EmailBackend"]
    filing.applicant.email = "filer@example.com"
    filing.applicant.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(filing, draft())
    assert case.state == CaseState.COMPLETED
    assert _told(filing, case) == [("instant_decide", "您的申请已秒批办结，请下载证照。")]
    assert len(mailoutbox) == 1


def test_instant_referral_tells_the_applicant_of_the_submission(
        filing, draft, monkeypatch, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["onewindow.cases.notify_backends.EmailBackend"]
    filing.applicant.email = "filer@example.com"
    filing.applicant.save(update_fields=["email"])
    referred = submit(filing, draft(industry_policy="限制类"))
    assert referred.state == CaseState.SUBMITTED
    assert _told(filing, referred) == [("submit", "您的申请已提交，等待窗口预审。")]

    from onewindow.cases.services import instant

    real_move = instant.move

    def move_failing_at_completion(case, *, action, **kwargs):
        if action == "complete":  # after the decision was made, told and audited
            raise RuntimeError("办结失败")
        return real_move(case, action=action, **kwargs)

    monkeypatch.setattr(instant, "move", move_failing_at_completion)
    with django_capture_on_commit_callbacks(execute=True):
        failed = submit(filing, draft())
    assert failed.state == CaseState.SUBMITTED
    # The decision's notification, mail and audit event went with the attempt's savepoint.
    assert _told(filing, failed) == [("submit", "您的申请已提交，等待窗口预审。")]
    assert [m.to for m in mailoutbox] == [["filer@example.com"]]
    assert not events_for(failed).filter(action="case_instant_decide").exists()
    assert events_for(failed).filter(action="case_instant_referred").count() == 1
    assert audit_verify()[1] is None


def test_instant_referral_reason_shown_to_clerk_on_case_page(filing, draft, client):
    case = submit(filing, draft(industry_policy="限制类"))
    client.force_login(filing.clerk)
    body = client.get(reverse("cases:staff_detail", args=[case.pk])).content.decode()
    assert ("未能秒批，转人工办理：项目属于《产业结构调整指导目录》限制类或淘汰类，"
            "须人工核对是否符合产业政策。") in body


def test_instant_approval_saves_decision_and_completion_to_the_row(filing, draft):
    """The two moves under one lock are written in one UPDATE: both are in the row, and the
    audit trail still shows each move."""
    case = draft()
    with CaptureQueriesContext(connection) as captured:
        case = reload(submit(filing, case))
    updates = [q for q in captured.captured_queries if q["sql"].startswith('UPDATE "cases_case"')]
    assert len(updates) == 2  # the submission's; the decision's and completion's together
    assert case.state == CaseState.COMPLETED and case.decision == Decision.APPROVED
    assert case.accepted_on == case.received_on and case.promised_due == case.received_on
    assert case.decided_at and case.completed_at and case.decision_reason
    moves = list(events_for(case).filter(action__in=[
        "case_submit", "case_instant_decide", "case_complete"]).order_by("id")
        .values_list("action", "new_value__state"))
    assert moves == [("case_submit", "submitted"), ("case_instant_decide", "decided"),
                     ("case_complete", "completed")]


def test_applicant_is_told_of_an_instant_approval_as_such(client, filing, draft):
    from django.urls import reverse

    case = draft()
    client.force_login(filing.applicant)
    edit = client.get(reverse("cases:edit", args=[case.pk])).content.decode()
    assert "本事项实行秒批" in edit  # not the 5-day pre-review promise alone
    form = {**case.form_data, "in_approval_catalogue": "false"}
    response = client.post(reverse("cases:submit", args=[case.pk]), form, follow=True)
    assert reload(case).state == "completed"
    assert "申请已秒批办结" in response.content.decode()
