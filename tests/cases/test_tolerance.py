"""容缺受理: accept while tolerable materials follow by a deadline; the pledge, the one notice,
each material's own clock, arrival, and the deadline missed.

March 2026 has no holidays. The zone's item: promised limit 2, legal limit 7 working days; a case
accepted Monday 2 March is promised by Wednesday 4 March.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from onewindow.accounts.services import api_token_create
from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import jobs, services
from onewindow.cases.enums import CaseState, DocumentKind, PledgeChannel, ToleratedMaterialStatus
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.models import Notification, ToleratedMaterial
from onewindow.cases.services import tolerance
from onewindow.cases.services.core import lock_case
from tests.cases.conftest import PDF, reload, upload_all
from tests.cases.document_helpers import pdf_text
from tests.factories import record_review

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)
WED = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tolerable(zone):
    """规划许可证 and a second document may follow; the application form may not."""
    form, permit = zone.item.materials.filter(required=True).order_by("order")
    permit.tolerance_allowed = True
    permit.save()
    report = zone.item.materials.create(name="环境影响登记表", order=4, tolerance_allowed=True)
    return type("Tolerable", (), {"form": form, "permit": permit, "report": report})


@pytest.fixture
def pre_review(zone, tolerable, freeze_today):
    """Submitted and claimed on Monday 2 March, every material uploaded."""
    freeze_today(MON)
    case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)
    upload_all(case, zone.applicant)
    case = services.case_submit(actor=zone.applicant, case_id=case.pk)
    return services.case_claim(actor=zone.clerk, case_id=case.pk)


@pytest.fixture
def pledged(zone, pre_review):
    tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=pre_review.pk)
    return pre_review


@pytest.fixture
def tolerated(zone, tolerable, pledged):
    """Accepted with tolerance on Monday: the permit and the report owed by Wednesday."""
    return tolerance.case_accept_with_tolerance(
        actor=zone.clerk, case_id=pledged.pk, missing=[tolerable.permit.pk, tolerable.report.pk])


def pdf_file(name="permit.pdf"):
    return SimpleUploadedFile(name, PDF + name.encode(), content_type="application/pdf")


def bring(zone, case, requirement):
    return tolerance.case_tolerated_material_upload(
        actor=zone.applicant, case_id=case.pk, requirement_id=requirement.pk,
        uploaded_file=pdf_file(f"{requirement.pk}.pdf"))


# --- the pledge -----------------------------------------------------------------------------------
def test_tolerance_pledge_sign_by_applicant_is_recorded_with_its_text(zone, pledged):
    pledge = pledged.tolerance_pledges.get()
    assert pledge.channel == PledgeChannel.ONLINE and pledge.signed_by == zone.applicant
    assert pledged.number in pledge.text and "规划许可证" in pledge.text
    assert "终止办理" in pledge.text
    assert events_for(pledged).filter(action="case_tolerance_pledge").exists()


def test_tolerance_pledge_sign_by_stranger_refused(zone, pre_review):
    with pytest.raises(CaseForbidden):
        tolerance.tolerance_pledge_sign(actor=zone.stranger, case_id=pre_review.pk)
    assert not pre_review.tolerance_pledges.exists()


def test_tolerance_pledge_twice_refused(zone, pledged):
    with pytest.raises(CaseInputError, match="无需重复签署"):
        tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=pledged.pk)
    assert pledged.tolerance_pledges.count() == 1


def test_tolerance_pledge_paper_recorded_by_clerk(zone, pre_review):
    pledge = tolerance.tolerance_pledge_record(actor=zone.clerk, case_id=pre_review.pk,
                                               signer_name="王启明", signed_on=MON,
                                               paper_reference="RQ-2026-007")
    assert pledge.channel == PledgeChannel.PAPER and pledge.signed_by is None
    assert (pledge.signer_name, pledge.recorded_by, pledge.paper_reference) == \
        ("王启明", zone.clerk, "RQ-2026-007")


# --- submitted without a tolerable material ----------------------------------------------------
def _upload(zone, case, requirement):
    services.case_material_upload(actor=zone.applicant, case_id=case.pk,
                                  requirement_id=requirement.pk,
                                  uploaded_file=pdf_file(f"{requirement.pk}.pdf"))


@pytest.fixture
def without_permit(zone, tolerable, freeze_today):
    """Submitted on Monday with the application form only: the permit and the report, both
    tolerable, are not there."""
    freeze_today(MON)
    case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)
    _upload(zone, case, tolerable.form)
    return services.case_submit(actor=zone.applicant, case_id=case.pk)


def test_submit_without_a_tolerable_material_goes_to_pre_review(zone, tolerable, without_permit):
    assert without_permit.state == CaseState.SUBMITTED and without_permit.number
    submitted = events_for(without_permit).get(action="case_submit")
    assert submitted.new_value["tolerable_missing"] == ["建设工程规划许可证", "环境影响登记表"]


def test_submit_without_a_material_that_is_not_tolerable_is_refused(zone, tolerable):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)
    with pytest.raises(CaseInputError, match="还缺少必要材料") as refused:
        services.case_submit(actor=zone.applicant, case_id=case.pk)
    assert "申请表" in refused.value.message and "规划许可证" not in refused.value.message
    assert reload(case).state == CaseState.DRAFT


def test_submit_without_a_tolerable_material_refused_to_a_blacklisted_enterprise(zone, tolerable):
    zone.enterprise.credit_status = "blacklist"
    zone.enterprise.save()
    case = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)
    _upload(zone, case, tolerable.form)
    with pytest.raises(CaseInputError, match="规划许可证"):
        services.case_submit(actor=zone.applicant, case_id=case.pk)
    assert reload(case).state == CaseState.DRAFT


def test_blacklisted_person_applying_in_own_name_is_refused_tolerance(zone, tolerable,
                                                                     freeze_today):
    """A person's own credit counts when they apply in their own name, not for an enterprise."""
    freeze_today(MON)
    zone.item.audience = "both"
    zone.item.save()
    zone.applicant.credit_status = "blacklist"
    zone.applicant.save()
    own = services.case_create_draft(actor=zone.applicant, item=zone.item)
    _upload(zone, own, tolerable.form)
    with pytest.raises(CaseInputError, match="规划许可证"):
        services.case_submit(actor=zone.applicant, case_id=own.pk)
    upload_all(own, zone.applicant)
    services.case_submit(actor=zone.applicant, case_id=own.pk)
    services.case_claim(actor=zone.clerk, case_id=own.pk)
    with pytest.raises(CaseInputError, match="申请人“.+”已被列入失信黑名单"):
        tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=own.pk)
    assert not reload(own).tolerance_pledges.exists()
    for_enterprise = services.case_create_draft(actor=zone.applicant, item=zone.item,
                                                enterprise=zone.enterprise)
    _upload(zone, for_enterprise, tolerable.form)
    submitted = services.case_submit(actor=zone.applicant, case_id=for_enterprise.pk)
    assert submitted.state == CaseState.SUBMITTED


def test_accept_without_the_tolerable_material_refused_then_tolerated(zone, tolerable,
                                                                      without_permit):
    services.case_claim(actor=zone.clerk, case_id=without_permit.pk)
    with pytest.raises(CaseInputError, match="尚未提交：建设工程规划许可证、环境影响登记表"):
        services.case_accept(actor=zone.clerk, case_id=without_permit.pk)
    assert reload(without_permit).state == CaseState.PRE_REVIEW
    assert not without_permit.documents.exists()
    tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=without_permit.pk)
    with pytest.raises(CaseInputError, match="按申请人已签署的容缺承诺书容缺受理"):
        services.case_accept(actor=zone.clerk, case_id=without_permit.pk)  # signed already
    case = tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=without_permit.pk,
                                                missing=[])
    assert case.state == CaseState.ACCEPTED_WITH_TOLERANCE
    assert {t.requirement for t in case.tolerated_materials.all()} == {tolerable.permit,
                                                                       tolerable.report}


def test_deemed_accepted_without_the_tolerable_material_cannot_be_approved(
        zone, tolerable, without_permit, freeze_today):
    """Nobody pre-reviewed it in five working days: accepted by law (Art. 32), owing nothing,
    still lacking the permit. It may be denied, not approved."""
    freeze_today(dt.date(2026, 3, 10))
    services.case_deem_accepted(case_id=without_permit.pk)
    services.case_start_review(actor=zone.reviewer, case_id=without_permit.pk)
    record_review(zone.reviewer, without_permit.pk)
    with pytest.raises(CaseInputError, match="必要材料尚未提交，不能作出准予许可决定"):
        services.case_decide(actor=zone.approver, case_id=without_permit.pk,
                             decision="approved")
    assert reload(without_permit).state == CaseState.IN_REVIEW
    denied = services.case_decide(actor=zone.approver, case_id=without_permit.pk,
                                  decision="denied", reason="缺少建设工程规划许可证")
    assert denied.state == CaseState.DECIDED


# --- acceptance -----------------------------------------------------------------------------------
def test_accept_with_tolerance_notice_lists_every_missing_material_and_deadline(
        zone, tolerable, tolerated):
    case = tolerated
    assert case.state == CaseState.ACCEPTED_WITH_TOLERANCE
    assert (case.accepted_on, case.promised_due) == (MON, WED)
    owed = list(case.tolerated_materials.order_by("requirement__order"))
    assert [(m.requirement, m.due, m.status) for m in owed] == [
        (tolerable.permit, WED, ToleratedMaterialStatus.PENDING),
        (tolerable.report, WED, ToleratedMaterialStatus.PENDING)]
    notices = case.documents.filter(kind__in=[DocumentKind.TOLERANCE_NOTICE,
                                              DocumentKind.ACCEPTANCE_NOTICE])
    assert [d.kind for d in notices] == [DocumentKind.TOLERANCE_NOTICE]  # one notice
    notice = notices.get()
    items = [tuple(i) for i in notice.payload["items"]]
    assert [name for name, _ in items] == ["建设工程规划许可证", "环境影响登记表"]
    assert all("2026年3月4日" in how for _, how in items)
    assert "电子材料" in items[0][1]  # in what form
    text = pdf_text(notice)
    for expected in ["容缺受理告知书", "建设工程规划许可证", "环境影响登记表", "2026年3月4日",
                     "终止办理", "撤销"]:
        assert expected in text, expected
    assert events_for(case).filter(action="case_accept_with_tolerance").exists()
    assert audit_verify()[1] is None


def test_accept_with_tolerance_each_material_may_have_its_own_deadline(zone, tolerable,
                                                                       pledged):
    tue = dt.date(2026, 3, 3)
    both = [tolerable.permit.pk, tolerable.report.pk]
    with pytest.raises(CaseInputError, match="不能晚于承诺办结期限"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk, missing=both,
                                             dues={tolerable.report.pk: dt.date(2026, 3, 5)})
    with pytest.raises(CaseInputError, match="不在本次容缺的材料之中"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                             missing=[tolerable.permit.pk],
                                             dues={tolerable.report.pk: tue})
    assert reload(pledged).state == CaseState.PRE_REVIEW
    case = tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                                missing=both, dues={tolerable.report.pk: tue})
    owed = case.tolerated_materials.order_by("requirement__order")
    assert [(m.requirement, m.due) for m in owed] == [(tolerable.permit, WED),
                                                      (tolerable.report, tue)]
    items = case.documents.get(kind=DocumentKind.TOLERANCE_NOTICE).payload["items"]
    assert "2026年3月4日" in items[0][1] and "2026年3月3日" in items[1][1]


def test_staff_accept_with_tolerance_form_takes_a_date_per_material(client, zone, tolerable,
                                                                     pledged):
    client.force_login(zone.clerk)
    url = reverse("cases:staff_action", args=[pledged.pk, "accept_with_tolerance"])
    response = client.post(url, {"missing": [tolerable.permit.pk, tolerable.report.pk],
                                 f"due_{tolerable.report.pk}": "2026-03-03"}, follow=True)
    assert response.status_code == 200
    assert dict(reload(pledged).tolerated_materials.values_list("requirement", "due")) == {
        tolerable.permit.pk: WED, tolerable.report.pk: dt.date(2026, 3, 3)}


def test_accept_with_tolerance_earlier_deadline_is_kept(zone, tolerable, pledged):
    case = tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                                missing=[tolerable.permit.pk],
                                                due=dt.date(2026, 3, 3))
    assert list(case.tolerated_materials.values_list("due", flat=True)) == [dt.date(2026, 3, 3)]


def test_accept_with_tolerance_deadline_later_than_promised_refused(zone, tolerable, pledged):
    with pytest.raises(CaseInputError, match="不能晚于承诺办结期限（2026-03-04）"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                             missing=[tolerable.permit.pk],
                                             due=dt.date(2026, 3, 5))
    case = reload(pledged)
    assert case.state == CaseState.PRE_REVIEW and case.accepted_on is None
    assert not ToleratedMaterial.objects.filter(case=case).exists()
    assert not case.documents.filter(kind=DocumentKind.TOLERANCE_NOTICE).exists()


def test_accept_with_tolerance_non_tolerable_missing_refused_naming_it(zone, tolerable,
                                                                       pledged):
    with pytest.raises(CaseInputError, match="不可容缺.*建筑工程施工许可申请表") as info:
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                             missing=[tolerable.form.pk, tolerable.permit.pk])
    assert "规划许可证" not in info.value.message
    assert reload(pledged).state == CaseState.PRE_REVIEW


def test_accept_with_tolerance_nothing_missing_refused(zone, pledged):
    with pytest.raises(CaseInputError, match="请直接受理"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk, missing=[])
    assert reload(pledged).state == CaseState.PRE_REVIEW


def test_accept_with_tolerance_blacklisted_enterprise_refused(zone, tolerable, pledged):
    zone.enterprise.credit_status = "blacklist"
    zone.enterprise.save()
    with pytest.raises(CaseInputError, match="失信黑名单"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pledged.pk,
                                             missing=[tolerable.permit.pk])
    assert reload(pledged).state == CaseState.PRE_REVIEW


def test_tolerance_pledge_blacklisted_enterprise_refused(zone, pre_review):
    zone.enterprise.credit_status = "blacklist"
    zone.enterprise.save()
    with pytest.raises(CaseInputError, match="失信黑名单"):
        tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=pre_review.pk)


def test_accept_with_tolerance_without_pledge_refused(zone, tolerable, pre_review):
    with pytest.raises(CaseInputError, match="签署容缺承诺书"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pre_review.pk,
                                             missing=[tolerable.permit.pk])
    assert reload(pre_review).state == CaseState.PRE_REVIEW


def test_accept_with_tolerance_by_other_clerk_refused(zone, tolerable, pledged):
    with pytest.raises(CaseInputError, match="承办"):
        tolerance.case_accept_with_tolerance(actor=zone.clerk2, case_id=pledged.pk,
                                             missing=[tolerable.permit.pk])


# --- the material arrives -------------------------------------------------------------------------
def test_tolerated_material_received_then_decision_allowed(zone, tolerable, tolerated,
                                                            freeze_today):
    freeze_today(dt.date(2026, 3, 3))
    services.case_start_review(actor=zone.reviewer, case_id=tolerated.pk)
    record_review(zone.reviewer, tolerated.pk)
    owed = bring(zone, tolerated, tolerable.permit)
    assert owed.status == ToleratedMaterialStatus.RECEIVED and owed.received_at
    assert owed.material.requirement == tolerable.permit and owed.material.is_current
    with pytest.raises(CaseInputError, match="环境影响登记表"), transaction.atomic():
        tolerance.tolerance_require_all_received(lock_case(tolerated.pk))  # still owed
    bring(zone, tolerated, tolerable.report)
    assert tolerance.tolerance_blocks_decision(reload(tolerated)) == []
    with transaction.atomic():
        tolerance.tolerance_require_all_received(lock_case(tolerated.pk))  # no refusal now
    case = services.case_decide(actor=zone.approver, case_id=tolerated.pk, decision="approved")
    assert case.state == CaseState.DECIDED
    assert [e.action for e in events_for(case).filter(
        action="case_tolerance_material_received")] == ["case_tolerance_material_received"] * 2


def test_case_decide_while_tolerated_material_pending_refused(zone, tolerated):
    services.case_start_review(actor=zone.reviewer, case_id=tolerated.pk)
    record_review(zone.reviewer, tolerated.pk)
    with pytest.raises(CaseInputError, match="容缺材料尚未补齐"):
        services.case_decide(actor=zone.approver, case_id=tolerated.pk, decision="approved")


def test_tolerated_material_upload_after_deadline_refused(zone, tolerable, tolerated,
                                                          freeze_today):
    freeze_today(dt.date(2026, 3, 5))
    with pytest.raises(CaseInputError, match="补交期限（2026-03-04）已过"):
        bring(zone, tolerated, tolerable.permit)
    assert reload(tolerated).tolerated_materials.filter(status="pending").count() == 2


def test_tolerated_material_upload_of_material_not_owed_refused(zone, tolerable, tolerated):
    with pytest.raises(CaseInputError, match="不是本办件的容缺材料"):
        bring(zone, tolerated, tolerable.form)


def test_tolerated_material_upload_by_stranger_refused(zone, tolerable, tolerated):
    with pytest.raises(CaseForbidden):
        tolerance.case_tolerated_material_upload(
            actor=zone.stranger, case_id=tolerated.pk, requirement_id=tolerable.permit.pk,
            uploaded_file=pdf_file())


# --- the deadline passes --------------------------------------------------------------------------
def test_tick_terminates_case_when_tolerated_material_missed(
        zone, tolerable, tolerated, freeze_today, django_capture_on_commit_callbacks):
    bring(zone, tolerated, tolerable.permit)
    freeze_today(WED)
    assert jobs.tick().lapsed == []  # the deadline day itself still counts
    freeze_today(dt.date(2026, 3, 5))
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.lapsed == [f"{tolerated.number} terminated"]
    case = reload(tolerated)
    assert case.state == CaseState.TERMINATED
    assert "环境影响登记表" in case.ended_reason and "规划许可证" not in case.ended_reason
    statuses = dict(case.tolerated_materials.values_list("requirement__name", "status"))
    assert statuses == {"建设工程规划许可证": "received", "环境影响登记表": "lapsed"}
    event = events_for(case).get(action="case_tolerance_lapsed")
    assert event.actor_id is None and event.new_value["state"] == "terminated"
    assert event.new_value["lapsed"] == ["环境影响登记表"]
    assert audit_verify()[1] is None
    told = Notification.objects.get(user=zone.applicant, verb="tolerance_lapsed")
    assert "终止办理" in told.body
    assert jobs.tick().lapsed == []  # idempotent


def test_tick_revokes_decided_case_when_tolerated_material_missed(
        zone, tolerable, tolerated, freeze_today):
    """A per-item rule may let the decision come first; the case then loses its licence."""
    bring(zone, tolerated, tolerable.permit)
    bring(zone, tolerated, tolerable.report)
    services.case_start_review(actor=zone.reviewer, case_id=tolerated.pk)
    record_review(zone.reviewer, tolerated.pk)
    services.case_decide(actor=zone.approver, case_id=tolerated.pk, decision="approved")
    # What a decide-first rule leaves behind: a material still owed after the decision.
    tolerated.tolerated_materials.filter(requirement=tolerable.report).update(
        status="pending", received_at=None, material=None)
    freeze_today(dt.date(2026, 3, 5))
    assert jobs.tick().lapsed == [f"{tolerated.number} revoked"]
    case = reload(tolerated)
    assert case.state == CaseState.REVOKED and "撤销许可决定" in case.ended_reason
    certificate = case.documents.get(kind=DocumentKind.CERTIFICATE)
    assert certificate.revoked_at is not None and "环境影响登记表" in certificate.revoked_reason
    assert events_for(certificate).get(action="document_revoke").actor_id is None
    assert audit_verify()[1] is None


def test_tick_denies_when_the_items_rule_says_so(zone, tolerable, tolerated, freeze_today,
                                                django_capture_on_commit_callbacks):
    """Per item: this one's rule is 不予许可 for a missed deadline, with a decision letter."""
    zone.item.tolerance_lapse = "deny"
    zone.item.save()
    services.case_start_review(actor=zone.reviewer, case_id=tolerated.pk)
    record_review(zone.reviewer, tolerated.pk)
    freeze_today(dt.date(2026, 3, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.tick().lapsed == [f"{tolerated.number} decided"]
    case = reload(tolerated)
    assert (case.state, case.decision) == (CaseState.DECIDED, "denied")
    assert "作出不予许可决定" in case.decision_reason and "环境影响登记表" in case.decision_reason
    assert case.remedy_text.startswith("申请人如对本决定不服") and case.ended_reason == ""
    letter = case.documents.get(kind=DocumentKind.DECISION_LETTER)
    assert not case.documents.filter(kind=DocumentKind.CERTIFICATE).exists()
    assert "不予" in pdf_text(letter) and "环境影响登记表" in pdf_text(letter)
    event = events_for(case).get(action="case_tolerance_lapsed_deny")
    assert event.actor_id is None and event.new_value["state"] == "decided"
    assert audit_verify()[1] is None
    told = Notification.objects.get(user=zone.applicant, verb="tolerance_lapsed_deny")
    assert "不予许可" in told.body


def test_tolerance_texts_state_the_items_rule(zone, tolerable, pre_review):
    """The pledge and the notice promise what the item's rule will do, no other."""
    zone.item.tolerance_lapse = "deny"
    zone.item.save()
    pledge = tolerance.tolerance_pledge_sign(actor=zone.applicant, case_id=pre_review.pk)
    assert "同意对本申请作出不予许可决定" in pledge.text and "终止办理" not in pledge.text
    case = tolerance.case_accept_with_tolerance(actor=zone.clerk, case_id=pre_review.pk,
                                                missing=[tolerable.report.pk])
    notice = pdf_text(case.documents.get(kind=DocumentKind.TOLERANCE_NOTICE))
    assert "对本申请作出不予许可决定" in notice


def test_tick_skips_withdrawn_case_with_material_owed(zone, tolerated, freeze_today):
    services.case_withdraw(actor=zone.applicant, case_id=tolerated.pk)
    freeze_today(dt.date(2026, 3, 5))
    summary = jobs.tick()
    assert summary.lapsed == [] and summary.failures == []
    assert reload(tolerated).state == CaseState.WITHDRAWN


# --- pages ----------------------------------------------------------------------------------------
def test_staff_accept_with_tolerance_form_accepts_and_page_shows_clocks(client, zone, tolerable,
                                                                        pledged):
    client.force_login(zone.clerk)
    page = client.get(reverse("cases:staff_detail", args=[pledged.pk])).content.decode()
    assert "容缺受理" in page and "建设工程规划许可证（可容缺）" in page
    assert "建筑工程施工许可申请表（不可容缺）" in page
    response = client.post(reverse("cases:staff_action", args=[pledged.pk,
                                                                "accept_with_tolerance"]),
                           {"missing": [tolerable.permit.pk], "due": "2026-03-03"})
    assert response.status_code == 302
    case = reload(pledged)
    assert case.state == CaseState.ACCEPTED_WITH_TOLERANCE
    client.force_login(zone.reviewer)
    html = client.get(reverse("cases:staff_detail", args=[case.pk])).content.decode()
    assert "容缺受理与告知承诺" in html and "2026-03-03" in html and "待补交" in html
    assert "容缺受理告知书" in html


def test_staff_accept_with_tolerance_form_later_deadline_shows_refusal(client, zone, tolerable,
                                                                       pledged):
    client.force_login(zone.clerk)
    response = client.post(reverse("cases:staff_action", args=[pledged.pk,
                                                                "accept_with_tolerance"]),
                           {"missing": [tolerable.permit.pk], "due": "2026-03-20"})
    assert response.status_code == 422
    assert "补交期限不能晚于承诺办结期限" in response.content.decode()


def test_staff_paper_pledge_form_records_pledge(client, zone, pre_review):
    client.force_login(zone.clerk)
    response = client.post(reverse("cases:staff_action", args=[pre_review.pk,
                                                                "tolerance_pledge"]),
                           {"signer_name": "王启明", "signed_on": "2026-03-02"})
    assert response.status_code == 302
    assert pre_review.tolerance_pledges.get().signer_name == "王启明"


def test_applicant_page_offers_pledge_and_signing_records_it(client, zone, pre_review):
    client.force_login(zone.applicant)
    url = reverse("cases:detail", args=[pre_review.pk])
    html = client.get(url).content.decode()
    assert "签署容缺受理承诺书" in html and "建设工程规划许可证" in html
    response = client.post(reverse("cases:tolerance_pledge", args=[pre_review.pk]))
    assert response.status_code == 302
    assert pre_review.tolerance_pledges.get().signed_by == zone.applicant
    html = client.get(url).content.decode()
    assert "容缺承诺书已由" in html and "签署容缺受理承诺书" not in html


def test_applicant_page_lists_owed_materials_and_upload_marks_received(client, zone, tolerable,
                                                                       tolerated):
    client.force_login(zone.applicant)
    url = reverse("cases:detail", args=[tolerated.pk])
    html = client.get(url).content.decode()
    assert "容缺补交材料" in html and "2026-03-04" in html and "剩余 2 个工作日" in html
    response = client.post(reverse("cases:tolerance_upload",
                                   args=[tolerated.pk, tolerable.permit.pk]),
                           {"file": pdf_file()})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "已补交" in html
    assert tolerated.tolerated_materials.get(requirement=tolerable.permit).status == "received"


def test_applicant_upload_of_wrong_file_type_shows_refusal(client, zone, tolerable, tolerated):
    client.force_login(zone.applicant)
    response = client.post(reverse("cases:tolerance_upload",
                                   args=[tolerated.pk, tolerable.permit.pk]),
                           {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf")})
    assert response.status_code == 422
    assert "文件类型不符" in response.content.decode()


def test_applicant_page_of_terminated_case_shows_reason(client, zone, tolerated, freeze_today):
    freeze_today(dt.date(2026, 3, 5))
    jobs.tick()
    client.force_login(zone.applicant)
    html = client.get(reverse("cases:detail", args=[tolerated.pk])).content.decode()
    assert "已终止办理" in html and "逾期未补交" in html and "容缺材料逾期未补交，终止办理" in html


# --- the API --------------------------------------------------------------------------------------
def _bearer(user) -> dict:
    _token, key = api_token_create(actor=None, owner=user, name="测试")
    return {"Authorization": f"Bearer {key}"}


def test_api_tolerance_pledge_then_accept_with_tolerance(client, zone, tolerable, pre_review):
    response = client.post(f"/api/cases/{pre_review.pk}/tolerance/pledge",
                           headers=_bearer(zone.applicant))
    assert response.status_code == 200
    url = f"/api/cases/{pre_review.pk}/actions/accept-with-tolerance"
    late = client.post(url, {"missing": [tolerable.permit.pk], "due": "2026-03-05"},
                       content_type="application/json", headers=_bearer(zone.clerk))
    assert late.status_code == 422 and "不能晚于承诺办结期限" in late.json()["detail"]
    response = client.post(url, {"missing": [tolerable.permit.pk, tolerable.report.pk],
                                 "dues": {str(tolerable.report.pk): "2026-03-03"}},
                           content_type="application/json", headers=_bearer(zone.clerk))
    assert response.status_code == 200
    assert response.json()["state"] == "accepted_with_tolerance"
    assert dict(pre_review.tolerated_materials.values_list("requirement", "due")) == {
        tolerable.permit.pk: WED, tolerable.report.pk: dt.date(2026, 3, 3)}


def test_api_tolerated_material_upload_marks_received(client, zone, tolerable, tolerated):
    response = client.post(
        f"/api/cases/{tolerated.pk}/tolerance/materials/{tolerable.permit.pk}",
        {"file": pdf_file()}, headers=_bearer(zone.applicant))
    assert response.status_code == 201
    assert response.json()["material"] == "建设工程规划许可证"
    assert tolerated.tolerated_materials.get(requirement=tolerable.permit).status == "received"
