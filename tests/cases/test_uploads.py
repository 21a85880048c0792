"""Uploads: the type from the bytes, the size limit, content-addressed storage never overwritten."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from onewindow.cases import services, uploads
from onewindow.cases.errors import CaseForbidden, CaseInputError
from onewindow.cases.models import SubmittedMaterial
from onewindow.cases.services.applying import case_material_upload
from tests.factories import MaterialRequirementFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
OFD_XML = (b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"'
           b' Version="1.0" DocType="OFD"><ofd:DocBody/></ofd:OFD>')


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OFD = zip_bytes({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def planning(zone):
    """The item's 建设工程规划许可证, accepting PDF and JPG only."""
    requirement = zone.item.materials.get(name="建设工程规划许可证")
    requirement.allowed_file_types = "pdf,jpg"
    requirement.save()
    return requirement


@pytest.fixture
def draft(zone):
    return services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)


def stored_files(media) -> list:
    return [p for p in (media / "cases").rglob("*") if p.is_file()]


@pytest.mark.parametrize(("name", "content", "kind", "content_type"), [
    ("申请表.pdf", PDF, "pdf", "application/pdf"),
    ("photo.JPG", JPEG, "jpg", "image/jpeg"),
    ("scan.png", PNG, "png", "image/png"),
    ("许可证.ofd", OFD, "ofd", "application/ofd"),
])
def test_check_and_store_allowed_type_is_recognised_from_bytes(zone, name, content, kind,
                                                               content_type):
    requirement = zone.item.materials.first()
    stored = uploads.check_and_store(requirement=requirement, uploaded_file=upload(name, content))
    assert stored["extension"] == kind
    assert stored["content_type"] == content_type
    assert stored["sha256"] == hashlib.sha256(content).hexdigest()
    assert stored["size"] == len(content)
    assert stored["original_name"] == name
    assert stored["file"].name == f"{stored['sha256']}.{kind}"


def test_check_and_store_png_named_pdf_is_stored_as_png(zone):
    requirement = zone.item.materials.first()
    stored = uploads.check_and_store(requirement=requirement, uploaded_file=upload("a.pdf", PNG))
    assert (stored["extension"], stored["content_type"]) == ("png", "image/png")


def test_check_and_store_exe_renamed_pdf_refused_naming_material(planning):
    with pytest.raises(CaseInputError) as caught:
        uploads.check_and_store(requirement=planning, uploaded_file=upload("规划证.pdf", EXE))
    assert caught.value.message == "“建设工程规划许可证”：文件类型不符，只接受 PDF、JPG。"
    assert caught.value.status == 422


def test_check_and_store_png_where_only_pdf_allowed_refused(zone):
    requirement = MaterialRequirementFactory(item=zone.item, name="委托书",
                                             allowed_file_types="pdf")
    with pytest.raises(CaseInputError, match="“委托书”：文件类型不符，只接受 PDF。"):
        uploads.check_and_store(requirement=requirement, uploaded_file=upload("a.pdf", PNG))


def test_check_and_store_oversized_refused(planning, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    refused = r"“建设工程规划许可证”：文件过大（2\.0.KB）.*不能超过 1\.0.KB"
    with pytest.raises(CaseInputError, match=refused):
        uploads.check_and_store(requirement=planning, uploaded_file=upload("big.pdf", big))


def test_check_and_store_at_the_limit_accepted(planning, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    exact = PDF + b"0" * (1024 - len(PDF))
    stored = uploads.check_and_store(requirement=planning, uploaded_file=upload("a.pdf", exact))
    assert stored["size"] == 1024


def test_check_and_store_empty_refused(planning):
    with pytest.raises(CaseInputError, match="“建设工程规划许可证”：文件是空的"):
        uploads.check_and_store(requirement=planning, uploaded_file=upload("a.pdf", b""))


def test_check_and_store_zip_without_ofd_xml_refused(zone):
    requirement = zone.item.materials.first()
    not_ofd = zip_bytes({"word/document.xml": b"<w:document/>"})
    with pytest.raises(CaseInputError, match="文件类型不符"):
        uploads.check_and_store(requirement=requirement, uploaded_file=upload("a.ofd", not_ofd))


def test_check_and_store_truncated_zip_refused(zone):
    requirement = zone.item.materials.first()
    with pytest.raises(CaseInputError, match="文件类型不符"):
        uploads.check_and_store(requirement=requirement, uploaded_file=upload("a.ofd", OFD[:40]))


def test_check_and_store_zip_bomb_refused_by_declared_sizes(zone):
    requirement = zone.item.materials.first()
    bomb = zip_bytes({"OFD.xml": OFD_XML, "Doc_0/Res/blank.xml": b"\x00" * 5_000_000})
    assert len(bomb) < 100_000  # small on the wire, 5 MB declared inside
    with pytest.raises(CaseInputError, match="文件类型不符"):
        uploads.check_and_store(requirement=requirement, uploaded_file=upload("a.ofd", bomb))


def test_material_upload_records_current_version_and_audits(zone, draft, planning):
    material = case_material_upload(actor=zone.applicant, case_id=draft.pk,
                                    requirement_id=planning.pk,
                                    uploaded_file=upload("规划证.pdf", PDF))
    assert material.is_current and material.uploaded_by == zone.applicant
    assert material.file.name == f"cases/{draft.pk}/{hashlib.sha256(PDF).hexdigest()}.pdf"
    assert material.file.read() == PDF


def test_material_upload_refused_changes_nothing(zone, draft, planning, media):
    first = case_material_upload(actor=zone.applicant, case_id=draft.pk,
                                 requirement_id=planning.pk, uploaded_file=upload("a.pdf", PDF))
    with pytest.raises(CaseInputError, match="建设工程规划许可证"):
        case_material_upload(actor=zone.applicant, case_id=draft.pk, requirement_id=planning.pk,
                             uploaded_file=upload("virus.pdf", EXE))
    rows = SubmittedMaterial.objects.filter(case=draft)
    assert list(rows.values_list("pk", "superseded_at")) == [(first.pk, None)]
    assert len(stored_files(media)) == 1


def test_material_upload_same_bytes_twice_two_rows_one_file(zone, draft, planning, media):
    args = {"actor": zone.applicant, "case_id": draft.pk, "requirement_id": planning.pk}
    first = case_material_upload(**args, uploaded_file=upload("a.pdf", PDF))
    second = case_material_upload(**args, uploaded_file=upload("again.pdf", PDF))
    first.refresh_from_db()
    assert first.pk != second.pk
    assert first.superseded_at is not None and second.is_current
    assert first.file.name == second.file.name
    assert len(stored_files(media)) == 1


def test_material_upload_new_version_keeps_the_old_file(zone, draft, planning, media):
    args = {"actor": zone.applicant, "case_id": draft.pk, "requirement_id": planning.pk}
    first = case_material_upload(**args, uploaded_file=upload("v1.pdf", PDF))
    second = case_material_upload(**args, uploaded_file=upload("v2.jpg", JPEG))
    first.refresh_from_db()
    assert first.file.name != second.file.name
    assert first.file.open("rb").read() == PDF
    assert second.file.open("rb").read() == JPEG
    assert len(stored_files(media)) == 2


def test_material_upload_by_stranger_refused(zone, draft, planning):
    with pytest.raises(CaseForbidden):
        case_material_upload(actor=zone.stranger, case_id=draft.pk, requirement_id=planning.pk,
                             uploaded_file=upload("a.pdf", PDF))
    assert not SubmittedMaterial.objects.filter(case=draft).exists()


def test_material_upload_after_submission_refused(zone, submitted, planning):
    with pytest.raises(CaseInputError, match="已提交.*不能上传材料"):
        case_material_upload(actor=zone.applicant, case_id=submitted.pk,
                             requirement_id=planning.pk, uploaded_file=upload("a.pdf", PDF))


def test_material_upload_requirement_of_another_item_refused(zone, draft):
    foreign = MaterialRequirementFactory(name="别的事项的材料")
    with pytest.raises(CaseInputError, match="不属于本事项"):
        case_material_upload(actor=zone.applicant, case_id=draft.pk, requirement_id=foreign.pk,
                             uploaded_file=upload("a.pdf", PDF))


def test_material_upload_from_a_temporary_file_on_disk(zone, draft, planning):
    """Large uploads reach us as temporary files, not in memory."""
    big = TemporaryUploadedFile("大文件.pdf", "application/pdf", 0, None)
    big.write(PDF + b"0" * 200_000)
    big.size = big.tell()
    material = case_material_upload(actor=zone.applicant, case_id=draft.pk,
                                    requirement_id=planning.pk, uploaded_file=big)
    assert material.size == len(PDF) + 200_000
    assert material.file.open("rb").read(len(PDF)) == PDF
