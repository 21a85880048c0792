"""The staff pages, the results and report pages, the PDF, the public verification page and the
expert's invitation page."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from onewindow.bidding import services
from onewindow.bidding.models import Bid, CommitteeDraw, Score, Tender
from tests.bidding.conftest import close_with_example1
from tests.factories import UserFactory, make_uscc

D = Decimal


@pytest.fixture
def reported(seated):
    close_with_example1(seated)
    seated.tender.refresh_from_db()
    report = services.report_create(actor=seated.main_op, tender=seated.tender)
    for member in seated.seated_members[:4]:
        services.report_sign(actor=member.user, report=report)
    services.report_dissent(actor=seated.seated_members[4].user, report=report,
                            reasons="对丙公司技术方案评分有保留意见")
    services.report_countersign(actor=seated.main_op, report=report)
    seated.report = report
    return seated


def test_tender_list_shows_tenders_to_operator(client, evaluation):
    client.force_login(evaluation.main_op)
    response = client.get(reverse("bidding:tender_list"))
    assert response.status_code == 200
    assert "高新区智慧园区设备采购项目" in response.content.decode()


def test_tender_list_forbidden_to_applicant(client, evaluation):
    client.force_login(UserFactory(role="applicant"))
    assert client.get(reverse("bidding:tender_list")).status_code == 403


def test_tender_detail_404_for_other_operator(client, evaluation):
    client.force_login(UserFactory(role="venue_operator"))
    assert client.get(reverse("bidding:tender_detail", args=[evaluation.tender.pk])) \
        .status_code == 404


def test_tender_create_page(client, evaluation):
    client.force_login(evaluation.main_op)
    response = client.post(reverse("bidding:tender_new"), {
        "number": "QDGX-2026-0100", "title": "园区道路照明改造", "buyer": "青岛高新区建设局",
        "kind": "works", "method": "comprehensive", "price_weight": "20",
        "budget": "12500000", "committee_size": "7", "buyer_reps": "1",
        "recommend_count": "3", "main_venue": evaluation.venues["main"].pk,
        "sub_venues": [evaluation.venues["yantai"].pk], "evaluation_date": "2026-04-01",
        "lots": "一标段\n二标段"})
    tender = Tender.objects.get(number="QDGX-2026-0100")
    assert response.status_code == 302
    assert list(tender.lots.values_list("name", flat=True)) == ["一标段", "二标段"]
    page = client.get(response["Location"]).content.decode()
    assert "园区道路照明改造" in page and "招标项目 QDGX-2026-0100 已创建" in page


def test_tender_create_low_price_weight_refused(client, evaluation):
    client.force_login(evaluation.main_op)
    response = client.post(reverse("bidding:tender_new"), {
        "number": "QDGX-2026-0101", "title": "设备采购", "buyer": "管委会", "kind": "goods",
        "method": "comprehensive", "price_weight": "20", "budget": "100000",
        "committee_size": "5", "buyer_reps": "0", "recommend_count": "3",
        "main_venue": evaluation.venues["main"].pk, "evaluation_date": "2026-04-01"})
    assert response.status_code == 422
    assert "价格分权重不得低于 30" in response.content.decode()
    assert not Tender.objects.filter(number="QDGX-2026-0101").exists()


def test_bid_register_page_hashes_document(client, evaluation):
    client.force_login(evaluation.main_op)
    response = client.post(
        reverse("bidding:tender_action", args=[evaluation.tender.pk, "bid"]),
        {"lot": evaluation.lot.pk, "bidder": "青岛戊科技有限公司",
         "bidder_uscc": make_uscc(4242), "price": "980000",
         "document": SimpleUploadedFile("标书.pdf", b"%PDF-1.4 bid")})
    assert response.status_code == 302
    bid = Bid.objects.get(bidder="青岛戊科技有限公司")
    assert bid.documents.get().sha256 == hashlib.sha256(b"%PDF-1.4 bid").hexdigest()


def test_bid_register_bad_uscc_shows_message(client, evaluation):
    client.force_login(evaluation.main_op)
    response = client.post(
        reverse("bidding:tender_action", args=[evaluation.tender.pk, "bid"]),
        {"lot": evaluation.lot.pk, "bidder": "某公司", "bidder_uscc": "91370212000000000X",
         "price": "1"})
    assert response.status_code == 422
    assert "统一社会信用代码" in response.content.decode()
    assert Bid.objects.count() == 3


def test_draw_page_and_second_draw_needs_reason(client, evaluation):
    client.force_login(evaluation.main_op)
    url = reverse("bidding:tender_action", args=[evaluation.tender.pk, "draw"])
    assert client.post(url, {"need_it": "3", "need_econ": "2"}).status_code == 302
    page = client.get(reverse("bidding:tender_detail", args=[evaluation.tender.pk]))
    assert "随机种子" in page.content.decode() and CommitteeDraw.objects.count() == 1
    again = client.post(url, {"need_it": "3", "need_econ": "2"})
    assert again.status_code == 422 and "重新抽取必须记录理由" in again.content.decode()
    assert CommitteeDraw.objects.count() == 1


def test_expert_invitation_confirm(client, evaluation):
    evaluation.draw(seed="view")
    member = evaluation.members()[0]
    client.force_login(member.user)
    page = client.get(reverse("bidding:invitation", args=[evaluation.tender.pk]))
    assert "申请回避" in page.content.decode()
    response = client.post(reverse("bidding:invitation", args=[evaluation.tender.pk]),
                           {"answer": "accept"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "confirmed"
    listing = client.get(reverse("bidding:invitations")).content.decode()
    assert "已确认参加" in listing


def test_results_hidden_until_close(client, seated):
    client.force_login(seated.seated_members[1].user)
    page = client.get(reverse("bidding:results", args=[seated.tender.pk])).content.decode()
    assert "结束评分后，才显示" in page


def test_results_page_after_report(client, reported):
    client.force_login(reported.main_op)
    page = client.get(reverse("bidding:results", args=[reported.tender.pk])).content.decode()
    assert "94.50" in page and "签名核验通过" in page and "对丙公司技术方案评分有保留意见" in page


def test_report_pdf_contains_results_and_code(client, reported):
    client.force_login(reported.seated_members[2].user)
    response = client.get(reverse("bidding:report_pdf", args=[reported.tender.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "评标报告" in text and "94.50" in text and reported.report.code in text


def test_verify_page_public_valid(client, reported):
    page = client.get(reverse("bidding:verify", args=[reported.report.code])).content.decode()
    assert "核验通过" in page and page.count("有效") >= 6


def test_verify_page_changed_score_fails(client, reported):
    Score.objects.filter(pk=Score.objects.first().pk).update(points=D("0"))
    page = client.get(reverse("bidding:verify", args=[reported.report.code])).content.decode()
    assert "评分数据与签署时不一致" in page


def test_verify_page_unknown_code_404(client, db):
    response = client.get(reverse("bidding:verify", args=["nope"]))
    assert response.status_code == 404 and "未找到该评标报告" in response.content.decode()
