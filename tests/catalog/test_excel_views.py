"""The import page, the template and the export download, and who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.catalog.models import ServiceItem
from tests.catalog.excel_helpers import XLSX, item_row, make_xlsx, read_xlsx
from tests.factories import DepartmentFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("catalog:import")


@pytest.fixture
def dept():
    return DepartmentFactory(code="scjgj", name="区市场监管局")


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(role="catalog_admin"))
    return client


def upload(client, data: bytes, name="catalog.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_import_page_sends_visitor_to_login(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["catalog:import", "catalog:import_template",
                                      "catalog:export"])
def test_transfer_pages_refuse_applicant_with_friendly_403(client, make_user, url_name):
    client.force_login(make_user(role="applicant"))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_import_page_shows_upload_form_and_template_link(admin_client):
    body = admin_client.get(IMPORT).content.decode()
    assert 'enctype="multipart/form-data"' in body and 'name="file"' in body
    assert reverse("catalog:import_template") in body and reverse("catalog:export") in body


def test_import_page_open_to_system_admin(client, make_user):
    client.force_login(make_user(role="system_admin"))
    assert "Excel 导入事项" in client.get(IMPORT).content.decode()


def test_import_upload_imports_and_reports_counts(admin_client, dept):
    response = upload(admin_client, make_xlsx([item_row(dept, "V-1"), item_row(dept, "V-2")]))
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "导入完成：新增事项 2 个，更新 0 个，未变化 0 个" in page
    assert ServiceItem.objects.filter(implementation_code__in=["V-1", "V-2"]).count() == 2


def test_import_upload_with_bad_rows_shows_every_problem_and_imports_nothing(admin_client, dept):
    data = make_xlsx([item_row(dept, "V-1"), item_row(dept, "V-2", 办理部门="火星局"),
                      item_row(dept, "V-3", 法定办结时限=2, 承诺办结时限=9)])
    response = upload(admin_client, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "文件未导入：发现 2 处问题" in body
    assert "<td>事项</td><td>3</td><td>办理部门</td>" in body and "火星局" in body
    assert "<td>事项</td><td>4</td><td>承诺办结时限</td>" in body
    assert not ServiceItem.objects.exists()


def test_import_upload_of_non_excel_is_refused(admin_client):
    response = upload(admin_client, b"%PDF-1.7 not a workbook", name="guide.xlsx")
    assert response.status_code == 422
    assert "该文件不是 Excel（.xlsx）文件" in response.content.decode()


def test_import_post_without_file_is_400_with_message(admin_client):
    response = admin_client.post(IMPORT, {})
    assert response.status_code == 400
    assert "请选择要导入的 Excel 文件" in response.content.decode()


def test_import_post_of_oversized_file_is_400(admin_client, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    response = upload(admin_client, b"PK\x03\x04" + b"\0" * 2000)
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()


def test_template_download_is_xlsx_with_headers(admin_client):
    response = admin_client.get(reverse("catalog:import_template"))
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    sheets = read_xlsx(b"".join(response.streaming_content))
    assert sheets["事项"][0][:2] == ("实施编码", "事项名称")


def test_export_download_lists_all_items_including_unpublished(admin_client, dept):
    ServiceItemFactory(implementation_code="E-1", name="食品经营许可", department=dept)
    ServiceItemFactory(implementation_code="E-2", name="草稿事项", department=dept,
                       is_published=False)
    response = admin_client.get(reverse("catalog:export"))
    assert response.status_code == 200
    rows = read_xlsx(b"".join(response.streaming_content))["事项"]
    assert sorted(row[1] for row in rows[1:]) == ["草稿事项", "食品经营许可"]


def test_import_page_lists_at_most_500_problems_but_counts_all(admin_client, dept):
    data = make_xlsx([item_row(dept, f"V-{n}", 办理部门="火星局") for n in range(501)])
    body = upload(admin_client, data).content.decode()
    assert "文件未导入：发现 501 处问题" in body and "以下仅列出前 500 处。" in body
    assert body.count("<td>办理部门</td>") == 500
