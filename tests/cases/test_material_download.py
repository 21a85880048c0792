import pytest

from onewindow.cases.models import SubmittedMaterial

pytestmark = pytest.mark.django_db


def test_material_download_for_clerk_and_applicant_not_stranger(client, zone, submitted):
    upload = SubmittedMaterial.objects.filter(case=submitted).first()
    url = f"/cases/{submitted.pk}/files/{upload.pk}/"
    for user in (zone.clerk, zone.applicant, zone.reviewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
    for user in (zone.stranger, zone.other_reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_material_download_of_other_case_through_this_case_is_404(client, zone, submitted):
    from onewindow.cases import services
    from tests.cases.conftest import upload_all

    other = services.case_create_draft(actor=zone.stranger, item=zone.item)
    upload_all(other, zone.stranger)
    foreign = SubmittedMaterial.objects.filter(case=other).first()
    client.force_login(zone.applicant)
    assert client.get(f"/cases/{submitted.pk}/files/{foreign.pk}/").status_code == 404


def test_staff_case_page_links_materials(client, zone, submitted):
    client.force_login(zone.clerk)
    body = client.get(f"/work/cases/{submitted.pk}/").content.decode()
    upload = SubmittedMaterial.objects.filter(case=submitted).first()
    assert f"/cases/{submitted.pk}/files/{upload.pk}/" in body
