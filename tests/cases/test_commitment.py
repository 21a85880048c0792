"""告知承诺: a signed commitment replaces named proofs; the approval opens a verification task
with its own deadline; a failed check revokes the decision.

March 2026 has no holidays: decided Monday 2 March, a 20-working-day check is due Monday 30
March.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.accounts.services import api_token_create
from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import jobs, services
from onewindow.cases.enums import CaseState, DocumentKind, VerificationStatus
from onewindow.cases.errors import CaseForbidden, CaseInputError, IllegalTransition
from onewindow.cases.models import Case, Escalation, Notification, VerificationTask
from onewindow.cases.services import commitment
from onewindow.cases.services.applying import missing_materials
from onewindow.cases.services.core import lock_case
from tests.cases.conftest import reload, upload_all
from tests.cases.document_helpers import pdf_text
from tests.factories import record_review

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)
CHECK_DUE = dt.date(2026, 3, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def committable(zone):
    """The item allows commitment; the planning permit may be replaced by it."""
    zone.item.commitment_allowed = True
    zone.item.result_name = "建筑工程施工许可证"
    zone.item.save()
    permit = zone.item.materials.get(name="建设工程规划许可证")
    permit.commitment_replaces = True
    permit.save()
    return permit


@pytest.fixture
def draft(zone, committable, freeze_today):
    freeze_today(MON)
    return services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)


@pytest.fixture
def signed(zone, draft):
    commitment.case_commitment_sign(actor=zone.applicant, case_id=draft.pk)
    return draft


def decide_approved(zone, case):
    """Submit, accept, review and approve a case that has a commitment."""
    upload_all(case, zone.applicant)
    services.case_submit(actor=zone.applicant, case_id=case.pk)
    services.case_accept(actor=zone.clerk, case_id=case.pk)
    services.case_start_review(actor=zone.reviewer, case_id=case.pk)
    record_review(zone.reviewer, case.pk)
    case = services.case_decide(actor=zone.approver, case_id=case.pk, decision="approved")
    return reload(case)


@pytest.fixture
def approved(zone, signed):
    return decide_approved(zone, signed)


# --- signing --------------------------------------------------------------------------------------
def test_commitment_sign_covers_replaceable_material(zone, committable, signed):
    signed_row = commitment.commitment_of(signed)
    assert list(signed_row.replaced.all()) == [committable]
    assert "建设工程规划许可证" in signed_row.text and signed_row.signed_by == zone.applicant
    assert commitment.materials_covered_by_commitment(signed) == frozenset({committable.pk})
    assert events_for(signed).filter(action="case_commitment_sign").exists()


def test_application_page_marks_the_material_a_signed_commitment_replaces(client, zone,
                                                                          committable, signed):
    from django.urls import reverse

    client.force_login(zone.applicant)
    page = client.get(reverse("cases:edit", args=[signed.pk])).content.decode()
    row = page[page.index(f'id="material-{committable.pk}"'):]
    row = row[:row.index("</li>")]
    assert "已承诺代替" in row and "必要" not in row
    assert "您已签署告知承诺书" in page and "部分证明材料可以书面承诺代替" not in page


def test_commitment_covered_materials_empty_without_commitment(zone, draft):
    assert commitment.materials_covered_by_commitment(draft) == frozenset()


def test_commitment_sign_refused_when_item_does_not_allow_it(zone, freeze_today):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    with pytest.raises(CaseInputError, match="不适用告知承诺"):
        commitment.case_commitment_sign(actor=zone.applicant, case_id=case.pk)
    assert commitment.commitment_of(case) is None


def test_commitment_sign_of_material_not_replaceable_refused(zone, draft):
    form = zone.item.materials.get(name="建筑工程施工许可申请表")
    with pytest.raises(CaseInputError, match="可以告知承诺替代的材料（建设工程规划许可证）"):
        commitment.case_commitment_sign(actor=zone.applicant, case_id=draft.pk,
                                        requirement_ids=[form.pk])


def test_commitment_sign_twice_refused(zone, signed):
    with pytest.raises(CaseInputError, match="不能重复签署"):
        commitment.case_commitment_sign(actor=zone.applicant, case_id=signed.pk)


def test_commitment_sign_after_submission_refused(zone, draft):
    upload_all(draft, zone.applicant)
    services.case_submit(actor=zone.applicant, case_id=draft.pk)
    with pytest.raises(IllegalTransition):
        commitment.case_commitment_sign(actor=zone.applicant, case_id=draft.pk)


def test_commitment_sign_by_stranger_refused(zone, draft):
    with pytest.raises(CaseForbidden):
        commitment.case_commitment_sign(actor=zone.stranger, case_id=draft.pk)


def test_case_submit_with_replaced_material_missing_allowed(zone, committable, signed):
    form = zone.item.materials.get(name="建筑工程施工许可申请表")
    upload_all(signed, zone.applicant)
    signed.materials.filter(requirement=committable).update(superseded_at=timezone.now())
    assert [m.pk for m in missing_materials(signed)] == []
    case = services.case_submit(actor=zone.applicant, case_id=signed.pk)
    assert case.state == CaseState.SUBMITTED
    assert form.pk in set(case.materials.values_list("requirement_id", flat=True))


# --- the decision and the check -------------------------------------------------------------------
def test_commitment_approval_creates_verification_task_with_deadline(zone, committable,
                                                                     approved):
    task = approved.verification_tasks.get()
    assert (task.status, task.department, task.limit_days, task.due) == \
        (VerificationStatus.OPEN, zone.dept, 20, CHECK_DUE)
    document = approved.documents.get(kind=DocumentKind.COMMITMENT)
    assert [tuple(i) for i in document.payload["items"]] == \
        [("建设工程规划许可证", "以承诺代替提交，待核查")]
    text = pdf_text(document)
    for expected in ["告知承诺书", "建设工程规划许可证", "2026年3月30日", "20个工作日", "撤销"]:
        assert expected in text, expected


def test_commitment_verification_days_follow_setting(zone, signed, settings):
    settings.ONEWINDOW_COMMITMENT_VERIFICATION_DAYS = 5
    case = decide_approved(zone, signed)
    assert case.verification_tasks.get().due == dt.date(2026, 3, 9)


def test_commitment_denial_opens_no_task(zone, signed):
    with transaction.atomic():
        case = lock_case(signed.pk)
        case.decision = "denied"
        assert commitment.commitment_on_decided(case, actor=zone.approver) is None
    assert not VerificationTask.objects.exists()


def test_case_decide_on_commitment_opens_verification_task(zone, signed):
    upload_all(signed, zone.applicant)
    services.case_submit(actor=zone.applicant, case_id=signed.pk)
    services.case_accept(actor=zone.clerk, case_id=signed.pk)
    services.case_start_review(actor=zone.reviewer, case_id=signed.pk)
    record_review(zone.reviewer, signed.pk)
    case = services.case_decide(actor=zone.approver, case_id=signed.pk, decision="approved")
    assert case.verification_tasks.get().due == CHECK_DUE


def test_verification_passed_closes_task_and_keeps_certificate(zone, approved,
                                                              django_capture_on_commit_callbacks):
    task = approved.verification_tasks.get()
    with django_capture_on_commit_callbacks(execute=True):
        done = commitment.verification_complete(actor=zone.reviewer, task_id=task.pk,
                                                passed=True, findings="已向规划部门核实，属实")
    assert (done.status, done.completed_by, done.findings) == \
        (VerificationStatus.PASSED, zone.reviewer, "已向规划部门核实，属实")
    case = reload(approved)
    assert case.state == CaseState.DECIDED
    assert case.documents.get(kind=DocumentKind.CERTIFICATE).revoked_at is None
    assert events_for(case).filter(action="case_verification_passed").exists()
    assert Notification.objects.filter(user=zone.applicant, verb="verification_passed").exists()
    with pytest.raises(CaseInputError, match="不能重复记录"):
        commitment.verification_complete(actor=zone.approver, task_id=task.pk, passed=False,
                                         findings="再查")


def test_verification_failed_revokes_decision_and_certificate(
        client, zone, approved, django_capture_on_commit_callbacks):
    task = approved.verification_tasks.get()
    with django_capture_on_commit_callbacks(execute=True):
        commitment.verification_complete(actor=zone.approver, task_id=task.pk, passed=False,
                                         findings="规划部门回函：未核发该规划许可证")
    case = reload(approved)
    assert case.state == CaseState.REVOKED
    assert "告知承诺经核查不属实" in case.ended_reason and "未核发" in case.ended_reason
    revoked = case.documents.filter(revoked_at__isnull=False)
    assert set(revoked.values_list("kind", flat=True)) == {
        DocumentKind.CERTIFICATE, DocumentKind.DECISION_LETTER, DocumentKind.COMMITMENT}
    event = events_for(case).get(action="case_verification_failed")
    assert (event.old_value["state"], event.new_value["state"]) == ("decided", "revoked")
    assert event.actor_id == zone.approver.pk
    assert audit_verify()[1] is None
    told = Notification.objects.get(user=zone.applicant, verb="verification_failed")
    assert "已依法撤销" in told.body
    certificate = case.documents.get(kind=DocumentKind.CERTIFICATE)
    html = client.get(reverse("cases:verify", args=[certificate.verify_code])).content.decode()
    assert "已撤销" in html and "badge-bad" in html and "告知承诺经核查不属实" in html
    assert "未核发" not in html  # the department's findings are not for anyone with the QR code


def test_verification_failed_by_reviewer_refused(zone, approved):
    task = approved.verification_tasks.get()
    with pytest.raises(CaseForbidden):
        commitment.verification_complete(actor=zone.reviewer, task_id=task.pk, passed=False,
                                         findings="不实")
    assert reload(approved).state == CaseState.DECIDED
    assert VerificationTask.objects.get(pk=task.pk).status == VerificationStatus.OPEN


def test_verification_by_other_department_refused(zone, approved):
    task = approved.verification_tasks.get()
    with pytest.raises(CaseForbidden):
        commitment.verification_complete(actor=zone.other_reviewer, task_id=task.pk,
                                         passed=True, findings="属实")


def test_verification_without_findings_refused(zone, approved):
    task = approved.verification_tasks.get()
    with pytest.raises(CaseInputError, match="核查情况"):
        commitment.verification_complete(actor=zone.approver, task_id=task.pk, passed=True,
                                         findings=" ")


def test_tick_escalates_overdue_verification_once(zone, approved, freeze_today,
                                                  django_capture_on_commit_callbacks):
    freeze_today(CHECK_DUE)
    assert jobs.tick().verifications_escalated == []
    freeze_today(CHECK_DUE + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.verifications_escalated == [f"{approved.number} {CHECK_DUE}"]
    task = approved.verification_tasks.get()
    assert task.escalated_at is not None
    assert Escalation.objects.filter(case=approved, clock="verification", due=CHECK_DUE,
                                     level="overdue").count() == 1
    assert Notification.objects.filter(user=zone.supervisor,
                                       verb="verification_overdue").count() == 1
    assert events_for(approved).get(action="case_verification_overdue").actor_id is None
    assert jobs.tick().verifications_escalated == []  # once


def test_tick_leaves_the_check_of_a_decision_revoked_otherwise_alone(zone, approved,
                                                                   freeze_today):
    Case.objects.filter(pk=approved.pk).update(state=CaseState.REVOKED)  # e.g. a missed 容缺
    freeze_today(CHECK_DUE + dt.timedelta(days=1))
    assert jobs.tick().verifications_escalated == []
    assert approved.verification_tasks.get().escalated_at is None


# --- pages ----------------------------------------------------------------------------------------
def test_applicant_commitment_page_signs_commitment(client, zone, committable, draft):
    client.force_login(zone.applicant)
    url = reverse("cases:commitment", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "行政机关告知" in html and "建设工程规划许可证" in html and "20 个工作日" in html
    response = client.post(url, {"replaced": [committable.pk]})  # not confirmed
    assert response.status_code == 422 and commitment.commitment_of(draft) is None
    response = client.post(url, {"replaced": [committable.pk], "confirm": "on"})
    assert response.status_code == 302
    assert list(commitment.commitment_of(draft).replaced.all()) == [committable]
    html = client.get(url).content.decode()
    assert "已于" in html and "签署告知承诺书</button>" not in html


def test_staff_verify_action_records_failure_and_page_shows_it(client, zone, approved):
    client.force_login(zone.approver)
    page = client.get(reverse("cases:staff_detail", args=[approved.pk])).content.decode()
    assert "记录告知承诺核查结果" in page and "2026-03-30" in page and "待核查" in page
    response = client.post(reverse("cases:staff_action", args=[approved.pk, "verify"]),
                           {"passed": "no", "findings": "承诺的规划许可证不存在"})
    assert response.status_code == 302
    html = client.get(reverse("cases:staff_detail", args=[approved.pk])).content.decode()
    assert "已撤销许可" in html and "核查不实" in html and "记录告知承诺核查结果" not in html


def test_applicant_page_shows_commitment_and_check(client, zone, approved):
    client.force_login(zone.applicant)
    html = client.get(reverse("cases:detail", args=[approved.pk])).content.decode()
    assert "告知承诺书已于" in html and "部门将于 2026-03-30 前核查" in html


# --- the API --------------------------------------------------------------------------------------
def _bearer(user) -> dict:
    _token, key = api_token_create(actor=None, owner=user, name="测试")
    return {"Authorization": f"Bearer {key}"}


def test_api_commitment_sign_records_replaced_materials(client, zone, committable, draft):
    response = client.post(f"/api/cases/{draft.pk}/commitment",
                           {"requirement_ids": [committable.pk]},
                           content_type="application/json", headers=_bearer(zone.applicant))
    assert response.status_code == 200
    assert commitment.materials_covered_by_commitment(draft) == frozenset({committable.pk})


def test_api_verify_failed_revokes(client, zone, approved):
    url = f"/api/cases/{approved.pk}/actions/verify"
    body = {"passed": False, "findings": "承诺不实"}
    refused = client.post(url, body, content_type="application/json",
                          headers=_bearer(zone.reviewer))
    assert refused.status_code == 403
    response = client.post(url, body, content_type="application/json",
                           headers=_bearer(zone.approver))
    assert response.status_code == 200 and response.json()["state"] == "revoked"
