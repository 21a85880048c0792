"""A catalog administrator imports an Excel file with one bad row, in a real browser."""

import pytest

from onewindow.catalog.models import ServiceItem
from onewindow.catalog.services import catalog_admin_grant
from tests.catalog.excel_helpers import item_row, make_xlsx
from tests.factories import DepartmentFactory, UserFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_imports_excel_with_bad_row_and_sees_report(page, live_server, tmp_path):
    dept = DepartmentFactory(code="scjg", name="高新区市场监督管理局")
    admin = UserFactory(username="catalogadmin", role="catalog_admin")
    catalog_admin_grant(actor=None, user=admin)
    workbook = tmp_path / "事项.xlsx"
    workbook.write_bytes(make_xlsx([
        item_row(dept, code="E2E-0001", 事项名称="食品经营许可"),
        item_row(dept, code="E2E-0002", 事项名称="药品零售许可", 权力类型="不存在的类型"),
        item_row(dept, code="E2E-0003", 事项名称="特种设备使用登记"),
    ]))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("catalogadmin")
    page.get_by_label("密码").fill("pass-Word-123")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="Excel 导入").click()
    page.get_by_label("Excel 文件（.xlsx）").set_input_files(str(workbook))
    page.get_by_role("button", name="导入").click()

    report = page.get_by_role("alert").filter(has_text="文件未导入")
    report.wait_for()
    text = report.inner_text()
    assert "发现 1 处问题" in text
    row = report.locator("tbody tr")
    assert row.count() == 1
    cells = row.first.locator("td").all_inner_texts()
    assert cells[:3] == ["事项", "3", "权力类型"]
    assert "不存在的类型" in cells[3] or "权力类型" in cells[3]
    assert not ServiceItem.objects.filter(implementation_code__startswith="E2E-").exists()
