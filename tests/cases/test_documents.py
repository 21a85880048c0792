"""The documents a case produces: real Chinese PDFs with the key facts, a QR code that opens
the verification page, the facts kept in the payload and the file's SHA-256."""

import datetime as dt
import hashlib

import pytest
from django.db import transaction
from django.urls import set_script_prefix
from django.utils import timezone

from onewindow.cases import documents, pdfs, services
from onewindow.cases.enums import DocumentKind
from onewindow.cases.models import (
    CaseDocument,
    Commitment,
    TolerancePledge,
    ToleratedMaterial,
)
from onewindow.cases.pdfs.base import cn_date
from onewindow.cases.services.commitment import commitment_on_decided
from onewindow.cases.services.core import lock_case
from tests.cases.conftest import reload
from tests.cases.document_helpers import (
    DAY,
    SITE,
    apply_for,
    pdf_bytes,
    pdf_text,
    qr_matrix_of,
    qr_modules_in_pdf,
)
from tests.factories import UserFactory, record_review

pytestmark = pytest.mark.django_db

K = DocumentKind


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def applied(zone, freeze_today):
    freeze_today(DAY)
    zone.item.result_name = "建筑工程施工许可证"
    zone.item.save()
    return apply_for(zone)


@pytest.fixture
def reviewing(zone, applied):
    services.case_accept(actor=zone.clerk, case_id=applied.pk)
    services.case_start_review(actor=zone.reviewer, case_id=applied.pk)
    return record_review(zone.reviewer, applied.pk)


def latest(case, kind):
    return case.documents.filter(kind=kind).latest("id")


def _return(zone, case, items):
    services.case_claim(actor=zone.clerk, case_id=case.pk)
    return services.case_return(actor=zone.clerk, case_id=case.pk, items=items,
                                note="请于十个工作日内补正")


def test_builders_cover_every_document_kind():
    assert set(pdfs.BUILDERS) == set(DocumentKind.values)


def test_receipt_lists_received_materials_and_query_code(zone, applied):
    document = documents.issue(case=applied, kind=K.RECEIPT, actor=zone.clerk)
    text = pdf_text(document)
    assert document.title == "收件回执"
    for expected in ["收件回执", "建筑工程施工许可申请表", "建设工程规划许可证", "a.pdf",
                     applied.query_code, cn_date(applied.pre_review_due), "2026年3月2日"]:
        assert expected in text, expected


def test_correction_notice_lists_every_item_with_material_and_reason(zone, applied):
    form, permit = zone.item.materials.filter(required=True).order_by("order")
    items = [(form, "申请表未加盖单位公章"), (permit, "规划许可证复印件不清晰，请重新扫描"),
             (None, "请补充项目负责人的身份证明")]
    case = _return(zone, applied, items)
    document = latest(case, K.CORRECTION_NOTICE)
    text = pdf_text(document)
    assert document.title == "补正材料一次性告知书"
    assert "共3项" in text
    for number, (material, reason) in enumerate(
            [("建筑工程施工许可申请表", "申请表未加盖单位公章"),
             ("建设工程规划许可证", "规划许可证复印件不清晰，请重新扫描"),
             ("其他", "请补充项目负责人的身份证明")], start=1):
        assert f"{number}{material}{reason}" in text, (number, material)
    for expected in ["不计算在本机关的办理时限内", "重新提交", "政务服务大厅窗口",
                     f"{SITE}/cases/", "请于十个工作日内补正", "第三十二条"]:
        assert expected in text, expected
    assert document.payload["items"] == [
        ["建筑工程施工许可申请表", "申请表未加盖单位公章"],
        ["建设工程规划许可证", "规划许可证复印件不清晰，请重新扫描"],
        ["其他", "请补充项目负责人的身份证明"]]


def test_correction_notice_second_return_lists_only_its_own_items(zone, applied):
    form, permit = zone.item.materials.filter(required=True).order_by("order")
    _return(zone, applied, [(form, "第一次的问题")])
    services.case_submit(actor=zone.applicant, case_id=applied.pk)
    case = _return(zone, applied, [(permit, "第二次的问题")])
    first, second = case.documents.filter(kind=K.CORRECTION_NOTICE).order_by("id")
    assert first.number.endswith("BZ1") and second.number.endswith("BZ2")
    assert "第二次的问题" in pdf_text(second) and "第一次的问题" not in pdf_text(second)


def test_acceptance_notice_states_both_limits_and_due_dates(zone, applied):
    case = services.case_accept(actor=zone.clerk, case_id=applied.pk)
    text = pdf_text(latest(case, K.ACCEPTANCE_NOTICE))
    assert case.legal_due == dt.date(2026, 3, 11) and case.promised_due == dt.date(2026, 3, 4)
    for expected in ["受理通知书", "予以受理", "受理日期2026年3月2日",
                     "法定办结时限7个工作日", "法定办结期限2026年3月11日",
                     "承诺办结时限2个工作日", "承诺办结期限2026年3月4日", "不含法定节假日"]:
        assert expected in text, expected
    assert "视为受理" not in text


def test_acceptance_notice_deemed_accepted_says_so(zone, applied, freeze_today):
    freeze_today(applied.pre_review_due + dt.timedelta(days=1))
    case = services.case_deem_accepted(case_id=applied.pk)
    document = latest(case, K.ACCEPTANCE_NOTICE)
    text = pdf_text(document)
    assert document.issued_by is None
    for expected in ["视为受理", "第三十二条第一款第（四）项", "受理日期2026年3月2日",
                     "五个工作日"]:
        assert expected in text, expected


def test_not_accepted_notice_states_reason_agency_and_remedy(zone, applied):
    services.case_claim(actor=zone.clerk, case_id=applied.pk)
    services.case_offer_help(actor=zone.clerk, case_id=applied.pk, reason_told="不属于本部门职权",
                             help_offered="已告知向区市场监管局申请")
    case = services.case_not_accept(actor=zone.clerk, case_id=applied.pk,
                                    reason="该事项属于市场主体登记，不属于本机关职权范围",
                                    competent_agency="高新区市场监督管理局")
    text = pdf_text(latest(case, K.NOT_ACCEPTED_NOTICE))
    for expected in ["不予受理通知书", "该事项属于市场主体登记，不属于本机关职权范围",
                     "有权机关高新区市场监督管理局", "请向有权机关“高新区市场监督管理局”提出申请",
                     "行政复议", "行政诉讼"]:
        assert expected in text, expected


def test_extension_notice_states_reason_days_and_new_due(zone, reviewing):
    case = services.case_extend(actor=zone.approver, case_id=reviewing.pk, days=5,
                                reason="需要组织现场核查")
    text = pdf_text(latest(case, K.EXTENSION_NOTICE))
    assert case.legal_due == dt.date(2026, 3, 18)
    for expected in ["延期办理告知书", "因需要组织现场核查", "延长5个工作日", "第四十二条",
                     "延长后的法定办结时限12个工作日", "延长后的法定办结期限2026年3月18日"]:
        assert expected in text, expected


def test_suspension_notice_states_procedure_and_reason(zone, reviewing):
    case = services.case_suspend(actor=zone.reviewer, case_id=reviewing.pk,
                                 procedure="expert_review", reason="施工图需专家论证")
    text = pdf_text(latest(case, K.SUSPENSION_NOTICE))
    for expected in ["特别程序告知书", "特别程序专家评审", "原因施工图需专家论证", "第四十五条",
                     "不计算在办理期限内", "暂停计时日期2026年3月2日"]:
        assert expected in text, expected


def test_decision_letter_approved_and_certificate(zone, reviewing):
    case = services.case_decide(actor=zone.approver, case_id=reviewing.pk, decision="approved")
    letter = pdf_text(latest(case, K.DECISION_LETTER))
    for expected in ["准予行政许可决定书", "决定准予行政许可", "颁发“建筑工程施工许可证”",
                     "第三十八条第一款", "决定日期2026年3月2日"]:
        assert expected in letter, expected
    certificate = latest(case, K.CERTIFICATE)
    text = pdf_text(certificate)
    assert certificate.title == "建筑工程施工许可证" and certificate.valid_until is None
    for expected in ["证照名称建筑工程施工许可证", f"证照编号{certificate.number}",
                     "持证主体青岛启明智能科技有限公司",
                     f"统一社会信用代码{zone.enterprise.uscc}",
                     "许可事项建筑工程施工许可证核发", "发证机关高新区住房和城乡建设局",
                     "发证日期2026年3月2日", "有效期限长期", "特发此证"]:
        assert expected in text, expected


def test_certificate_validity_from_setting(zone, reviewing, settings):
    settings.ONEWINDOW_CERTIFICATE_VALID_YEARS = 5
    case = services.case_decide(actor=zone.approver, case_id=reviewing.pk, decision="approved")
    certificate = latest(case, K.CERTIFICATE)
    assert certificate.valid_until == dt.date(2031, 3, 1)
    assert certificate.payload["valid_until"] == "2031-03-01"
    assert "有效期限至2031年3月1日" in pdf_text(certificate)


def test_decision_letter_denied_states_reasons_and_remedy(zone, reviewing):
    case = services.case_decide(actor=zone.approver, case_id=reviewing.pk, decision="denied",
                                reason="施工场地尚未具备施工条件")
    document = latest(case, K.DECISION_LETTER)
    text = pdf_text(document)
    assert document.title == "不予行政许可决定书"
    assert not case.documents.filter(kind=K.CERTIFICATE).exists()
    for expected in ["不予行政许可决定书", "理由如下", "施工场地尚未具备施工条件",
                     "不予许可理由施工场地尚未具备施工条件", "第三十八条第二款",
                     "六十日内", "行政复议", "行政诉讼"]:
        assert expected in text, expected


def _all_kinds(zone, case):
    """Issue one document of every kind on `case`, through the services where they exist."""
    documents.issue(case=case, kind=K.RECEIPT, actor=zone.clerk)
    form = zone.item.materials.filter(required=True).first()
    _return(zone, case, [(form, "申请表未盖章")])
    services.case_submit(actor=zone.applicant, case_id=case.pk)
    services.case_accept(actor=zone.clerk, case_id=case.pk)
    services.case_start_review(actor=zone.reviewer, case_id=case.pk)
    record_review(zone.reviewer, case.pk)
    services.case_extend(actor=zone.approver, case_id=case.pk, days=3, reason="情况复杂")
    services.case_suspend(actor=zone.reviewer, case_id=case.pk, procedure="testing",
                          reason="需要检测")
    services.case_resume(actor=zone.reviewer, case_id=case.pk)
    services.case_decide(actor=zone.approver, case_id=case.pk, decision="approved")
    documents.issue(case=reload(case), kind=K.NOT_ACCEPTED_NOTICE, actor=zone.clerk)
    _tolerance_and_commitment_documents(zone, reload(case))
    return reload(case)


def _tolerance_and_commitment_documents(zone, case):
    """容缺受理告知书 and 告知承诺书, from the records their services issue them with."""
    permit = zone.item.materials.get(name="建设工程规划许可证")
    pledge = TolerancePledge.objects.create(case=case, text="承诺限期补交", channel="online",
                                            signed_by=zone.applicant, signer_name="王启明",
                                            signed_at=timezone.now())
    ToleratedMaterial.objects.create(case=case, requirement=permit, pledge=pledge,
                                     form_text="电子材料", due=case.promised_due)
    documents.issue(case=case, kind=K.TOLERANCE_NOTICE, actor=zone.clerk, source=pledge)
    signed = Commitment.objects.create(case=case, text="承诺属实", signed_by=zone.applicant,
                                       signed_at=timezone.now())
    signed.replaced.set([permit])
    with transaction.atomic():
        commitment_on_decided(lock_case(case.pk), actor=zone.approver)


def test_every_document_names_issuer_number_date_case_applicant_item_and_qr(zone, applied):
    case = _all_kinds(zone, applied)
    assert set(case.documents.values_list("kind", flat=True)) == set(DocumentKind.values)
    for document in case.documents.all():
        text = pdf_text(document)
        for expected in ["高新区住房和城乡建设局", "（印章）", document.number, "2026年3月2日",
                         case.number, "青岛启明智能科技有限公司", "建筑工程施工许可证核发",
                         document.verify_code, f"{SITE}/verify/{document.verify_code}/",
                         "第1页，共1页"]:
            assert expected in text, (document.kind, expected)


def test_every_document_qr_code_encodes_its_verify_url(zone, applied):
    case = _all_kinds(zone, applied)
    other = qr_matrix_of(f"{SITE}/verify/ABCDEFGHJKMNPQRS/")
    for document in case.documents.all():
        url = documents.verify_url(document.verify_code)
        assert url == f"{SITE}/verify/{document.verify_code}/"
        assert document.payload["verify_url"] == url
        expected = qr_matrix_of(url)
        found = qr_modules_in_pdf(document, side=len(expected))
        assert found == expected, document.kind
        assert found != other


def test_verify_url_follows_the_script_prefix():
    """Served under a path (SCRIPT_NAME), the QR code points there, as `reverse` would."""
    code = "ABCDEFGHJKMNPQRS"
    try:
        set_script_prefix("/zone/")
        assert documents.verify_url(code) == f"{SITE}/zone/verify/{code}/"
    finally:
        set_script_prefix("/")
    assert documents.verify_url(code) == f"{SITE}/verify/{code}/"


def test_document_stores_pdf_hash_and_payload(zone, applied):
    case = services.case_accept(actor=zone.clerk, case_id=applied.pk)
    document = latest(case, K.ACCEPTANCE_NOTICE)
    assert not document.file and not document.sha256  # nothing rendered inside the transition
    content = pdf_bytes(document)
    assert content.startswith(b"%PDF")
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert pdf_bytes(CaseDocument.objects.get(pk=document.pk)) == content  # stored, not redone
    payload = document.payload
    assert payload["department"] == "高新区住房和城乡建设局"
    assert payload["issued_on"] == "2026-03-02"
    assert payload["case_number"] == case.number
    assert payload["holder"] == "青岛启明智能科技有限公司"
    assert payload["holder_is_person"] is False
    assert payload["item"] == "建筑工程施工许可证核发"
    assert payload["issued_what"] == "受理通知书"
    assert ["法定办结期限", "2026年3月11日"] in payload["facts"]
    assert document.issued_by == zone.clerk
    assert len(document.verify_code) == 16 and document.verify_code.isupper()


def test_document_for_a_person_names_the_person(zone, freeze_today):
    freeze_today(DAY)
    person = UserFactory(username="zhang", last_name="张", first_name="三丰")
    case = apply_for(zone, enterprise=False, applicant=person)
    case = services.case_accept(actor=zone.clerk, case_id=case.pk)
    document = latest(case, K.ACCEPTANCE_NOTICE)
    assert "张三丰：" in pdf_text(document)
    assert document.payload["holder"] == "张三丰" and document.payload["holder_is_person"]


def test_document_long_reasons_wrap_onto_further_pages(zone, applied):
    form = zone.item.materials.filter(required=True).first()
    reason = "申请材料中的建设单位名称与营业执照登记的名称不一致，请核对后重新填写。"
    case = _return(zone, applied, [(form, reason * 3)] * 40)
    text = pdf_text(latest(case, K.CORRECTION_NOTICE))
    assert "共40项" in text and f"40{form.name}" in text
    assert "第2页" in text and "（印章）" in text
