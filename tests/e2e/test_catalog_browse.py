"""A visitor finds an item by theme, reads its guide and downloads the PDF, in a real browser."""

import pytest

from tests.factories import (
    DepartmentFactory,
    LifeEventFactory,
    MaterialRequirementFactory,
    ProcessStepFactory,
    ServiceItemFactory,
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_browses_to_a_guide_and_downloads_its_pdf(page, live_server):
    dept = DepartmentFactory(code="scjg", name="高新区市场监督管理局")
    event = LifeEventFactory(slug="business", name="经营许可")
    item = ServiceItemFactory(name="食品经营许可", aliases="开饭店", department=dept,
                              life_events=[event], promised_limit=5, legal_limit=20)
    MaterialRequirementFactory(item=item, name="食品经营许可申请书", order=1)
    MaterialRequirementFactory(item=item, name="食品安全管理制度", order=2)
    ProcessStepFactory(item=item, name="现场核查")
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text)
            if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/catalog/")
    page.get_by_role("link", name="经营许可").click()
    page.get_by_role("heading", level=1, name="经营许可").wait_for()
    page.get_by_role("link", name="食品经营许可").click()

    page.get_by_role("heading", level=1, name="食品经营许可").wait_for()
    materials = page.locator("#materials table")
    assert "食品经营许可申请书" in materials.inner_text()
    assert "食品安全管理制度" in materials.inner_text()
    assert "5 个工作日" in page.locator(".limits").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载办事指南（PDF）").click()
    download = download_info.value
    assert download.suggested_filename == "食品经营许可.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # The search box refreshes its results as one types (htmx, allowed by the CSP).
    page.goto(f"{live_server.url}/catalog/search/")
    page.get_by_label("搜索事项").press_sequentially("开饭店")
    page.locator("#search-results .item-name", has_text="食品经营许可").wait_for()
    assert "找到 1 个事项" in page.locator("#search-results").inner_text()
    assert "/catalog/search/?q=" in page.url  # the address can be shared or bookmarked
    assert csp_errors == []
