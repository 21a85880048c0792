"""The public verification page that a document's QR code opens: no login, the document's
own facts as issued, whether it is still valid, and nothing internal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import services
from onewindow.cases.enums import DocumentKind
from onewindow.cases.services.documents import document_revoke
from onewindow.cases.verification import mask_name
from tests.cases.document_helpers import DAY, SITE, apply_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def certificate(zone, freeze_today):
    freeze_today(DAY)
    zone.item.result_name = "建筑工程施工许可证"
    zone.item.save()
    case = apply_for(zone)
    services.case_accept(actor=zone.clerk, case_id=case.pk)
    services.case_start_review(actor=zone.reviewer, case_id=case.pk)
    services.case_review_step(actor=zone.reviewer, case_id=case.pk, kind="review",
                              outcome="agree", opinion="内部审查意见：材料可信")
    case = services.case_decide(actor=zone.approver, case_id=case.pk, decision="approved")
    return case.documents.get(kind=DocumentKind.CERTIFICATE)


def _page(client, code):
    return client.get(reverse("cases:verify", args=[code]))


def test_verify_valid_certificate_shows_what_was_issued(client, certificate):
    response = _page(client, certificate.verify_code)
    assert response.status_code == 200
    html = response.content.decode()
    certificate.refresh_from_db()
    assert len(certificate.sha256) == 64
    for expected in ["文书核验", "有效", "badge-ok", "证照", certificate.number,
                     "高新区住房和城乡建设局", "2026年3月2日", "青岛启明智能科技有限公司",
                     "建筑工程施工许可证核发", "建筑工程施工许可证", "长期", certificate.sha256,
                     certificate.verify_code]:
        assert expected in html, expected
    assert "已撤销" not in html and "已过期" not in html


def test_verify_shows_nothing_internal(client, zone, certificate):
    case = certificate.case
    html = _page(client, certificate.verify_code).content.decode()
    for secret in [case.query_code, "内部审查意见", zone.applicant.username, zone.approver.username,
                   "documents/", zone.enterprise.uscc]:
        assert secret not in html, secret


def test_verify_shows_the_facts_as_issued(client, zone, certificate):
    zone.dept.name = "高新区建设管理局"
    zone.dept.save()
    html = _page(client, certificate.verify_code).content.decode()
    assert "高新区住房和城乡建设局" in html and "高新区建设管理局" not in html


def test_verify_revoked_shows_date_and_reason(client, zone, certificate):
    document_revoke(actor=zone.approver, document_id=certificate.pk,
                    reason="申请人以欺骗手段取得许可")
    html = _page(client, certificate.verify_code).content.decode()
    revoked_on = timezone.localdate(timezone.now())
    day = f"{revoked_on.year}年{revoked_on.month}月{revoked_on.day}日"
    for expected in ["已撤销", "badge-bad", f"本文书已于{day}撤销", "申请人以欺骗手段取得许可"]:
        assert expected in html, expected
    assert "badge-ok" not in html


def test_verify_expired_shows_expired(client, certificate):
    certificate.valid_until = timezone.localdate() - dt.timedelta(days=1)
    certificate.save(update_fields=["valid_until"])
    html = _page(client, certificate.verify_code).content.decode()
    assert "已过期" in html and "badge-warn" in html and "badge-ok" not in html


def test_verify_valid_until_today_is_still_valid(client, certificate):
    certificate.valid_until = timezone.localdate()
    certificate.save(update_fields=["valid_until"])
    html = _page(client, certificate.verify_code).content.decode()
    assert "badge-ok" in html and "已过期" not in html


def test_verify_revoked_and_expired_shows_revoked(client, zone, certificate):
    certificate.valid_until = timezone.localdate() - dt.timedelta(days=1)
    certificate.save(update_fields=["valid_until"])
    document_revoke(actor=zone.approver, document_id=certificate.pk, reason="撤销")
    html = _page(client, certificate.verify_code).content.decode()
    assert "已撤销" in html and "已过期" not in html


def test_verify_unknown_code_is_friendly_404(client, certificate):
    response = _page(client, "NOSUCHCODE234567")
    assert response.status_code == 404
    html = response.content.decode()
    assert "未找到该文书" in html and "核验码" in html
    assert certificate.number not in html


def test_verify_code_typed_into_the_site_opens_the_documents_page(client, certificate):
    lookup = reverse("cases:verify_lookup")
    page = client.get(lookup).content.decode()
    assert 'name="code"' in page and "输入文书上的核验码" in page  # the box the 404 asks for
    typed = " ".join(certificate.verify_code.lower()[i:i + 4] for i in range(0, 16, 4))
    response = client.get(lookup, {"code": typed}, follow=True)
    assert response.status_code == 200 and certificate.number in response.content.decode()
    missing = client.get(lookup, {"code": "NOSUCHCODE234567"}, follow=True)
    assert missing.status_code == 404
    html = missing.content.decode()
    assert 'value="NOSUCHCODE234567"' in html  # to correct, in the box it asks to retype in
    assert reverse("cases:verify_lookup") in client.get("/").content.decode()  # footer link


def test_verify_code_as_typed_by_a_person_is_found(client, certificate):
    code = certificate.verify_code
    typed = f"{code[:4].lower()}-{code[4:8]}-{code[8:]}"
    response = _page(client, typed)
    assert response.status_code == 200
    assert certificate.number in response.content.decode()


def test_verify_is_not_cached_nor_indexed(client, certificate):
    response = _page(client, certificate.verify_code)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_verify_person_holder_is_masked(client, zone, freeze_today):
    freeze_today(DAY)
    person = UserFactory(username="zhang", last_name="张", first_name="三丰")
    case = services.case_accept(actor=zone.clerk,
                                case_id=apply_for(zone, enterprise=False, applicant=person).pk)
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    html = _page(client, notice.verify_code).content.decode()
    assert "张**" in html and "三丰" not in html
    assert "受理通知书" in html


@pytest.mark.parametrize(("name", "masked"), [("王明", "王*"), ("欧阳明月", "欧***"), ("李", "*"),
                                              ("", "")])
def test_mask_name_keeps_only_the_family_name(name, masked):
    assert mask_name(name) == masked


def test_verify_overlong_or_foreign_code_is_404(client, certificate):
    assert _page(client, certificate.verify_code * 3).status_code == 404
    assert _page(client, "核验码" + certificate.verify_code[:3]).status_code == 404
