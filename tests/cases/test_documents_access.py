"""Who gets a case's documents: the download view, and revoking a document."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import services
from onewindow.cases.enums import DocumentKind
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.services.documents import document_revoke
from tests.cases.document_helpers import DAY, SITE, apply_for, pdf_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def accepted(zone, freeze_today):
    freeze_today(DAY)
    case = apply_for(zone)
    return services.case_accept(actor=zone.clerk, case_id=case.pk)


@pytest.fixture
def notice(accepted):
    return accepted.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)


def _url(case, document):
    return reverse("cases:document", args=[case.pk, document.pk])


def test_document_download_by_applicant_is_the_pdf_as_attachment(client, zone, accepted, notice):
    client.force_login(zone.applicant)
    response = client.get(_url(accepted, notice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''" + quote(f"受理通知书-{notice.number}.pdf", safe=""))
    assert b"".join(response.streaming_content) == pdf_bytes(notice)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["clerk", "reviewer", "approver", "supervisor"])
def test_document_download_by_staff_who_see_the_case(client, zone, accepted, notice, who):
    client.force_login(getattr(zone, who))
    response = client.get(_url(accepted, notice))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["stranger", "other_reviewer"])
def test_document_download_by_someone_else_is_404(client, zone, accepted, notice, who):
    client.force_login(getattr(zone, who))
    response = client.get(_url(accepted, notice))
    assert response.status_code == 404
    assert "%PDF" not in response.content.decode()


def test_document_download_missing_case_looks_like_forbidden(client, zone, accepted, notice):
    client.force_login(zone.stranger)
    forbidden = client.get(_url(accepted, notice))
    missing = client.get(reverse("cases:document", args=[999999, notice.pk]))
    assert forbidden.status_code == missing.status_code == 404
    assert "页面不存在" in forbidden.content.decode() and "页面不存在" in missing.content.decode()


def test_document_of_another_case_through_this_case_url_is_404(client, zone, accepted):
    other = apply_for(zone)
    other = services.case_accept(actor=zone.clerk, case_id=other.pk)
    foreign = other.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    client.force_login(zone.applicant)  # may see both cases
    assert client.get(_url(other, foreign)).status_code == 200
    assert client.get(_url(accepted, foreign)).status_code == 404


def test_document_download_anonymous_is_sent_to_login(client, accepted, notice):
    response = client.get(_url(accepted, notice))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_document_revoke_by_department_approver_is_audited(zone, notice):
    document = document_revoke(actor=zone.approver, document_id=notice.pk,
                               reason="受理时材料审查有误，已重新办理")
    notice.refresh_from_db()
    assert notice.revoked_at is not None and notice.revoked_at == document.revoked_at
    assert notice.revoked_reason == "受理时材料审查有误，已重新办理"
    event = events_for(notice).last()
    assert event.action == "document_revoke" and event.actor == zone.approver
    assert event.note == "受理时材料审查有误，已重新办理"
    assert event.new_value["number"] == notice.number
    assert audit_verify()[1] is None


def test_document_revoke_by_system_admin_allowed(zone, notice):
    admin = UserFactory(username="admin", role="system_admin")
    assert document_revoke(actor=admin, document_id=notice.pk, reason="证照信息有误").revoked_at


@pytest.mark.parametrize("who", ["clerk", "reviewer", "other_reviewer", "supervisor",
                                 "applicant"])
def test_document_revoke_by_others_refused_and_unchanged(zone, notice, who):
    with pytest.raises(CaseForbidden):
        document_revoke(actor=getattr(zone, who), document_id=notice.pk, reason="试图撤销")
    notice.refresh_from_db()
    assert notice.revoked_at is None and not events_for(notice).exists()


def test_document_revoke_by_other_department_approver_refused(zone, notice):
    outsider = UserFactory(username="approver2", role="approver", department=zone.other)
    with pytest.raises(CaseForbidden):
        document_revoke(actor=outsider, document_id=notice.pk, reason="试图撤销")


def test_document_revoke_missing_document_refused_like_forbidden(zone):
    with pytest.raises(CaseForbidden):
        document_revoke(actor=zone.approver, document_id=999999, reason="不存在")


def test_document_revoke_needs_a_reason(zone, notice):
    with pytest.raises(CaseInputError, match="原因"):
        document_revoke(actor=zone.approver, document_id=notice.pk, reason="  ")
    notice.refresh_from_db()
    assert notice.revoked_at is None


def test_document_revoke_twice_refused(zone, notice):
    document_revoke(actor=zone.approver, document_id=notice.pk, reason="第一次")
    with pytest.raises(CaseInputError, match="不能重复撤销"):
        document_revoke(actor=zone.approver, document_id=notice.pk, reason="第二次")
    notice.refresh_from_db()
    assert notice.revoked_reason == "第一次"
    assert events_for(notice).count() == 1
