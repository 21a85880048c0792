"""The smart guide in Chromium: a question typed on the guide page leads to the right item's
one-time guide and on to its online application; the page fits a phone and has a large-type
mode for the hall's touch screen."""

import re

import pytest

from onewindow.cases.models import Case
from onewindow.guide.models import QueryLog
from onewindow.guide.services import synonym_create
from tests.e2e.test_case_journeys import log_in
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MaterialRequirementFactory,
    ServiceItemFactory,
    UserFactory,
)


def build_zone():
    housing = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局", short_name="住建局")
    market = DepartmentFactory(code="scj", name="高新区市场监督管理局")
    permit = ServiceItemFactory(name="建筑工程施工许可证核发", department=housing,
                                aliases="施工许可证\n开工许可", online_depth=4)
    MaterialRequirementFactory(item=permit, name="建筑工程施工许可证申请表", order=1)
    ServiceItemFactory(name="夜间施工作业证明", department=housing, aliases="夜间施工许可")
    ServiceItemFactory(name="食品经营许可", department=market, aliases="餐饮许可证")
    synonym_create(actor=None, phrase="盖厂房", expansion="施工许可", items=[permit])
    enterprise = EnterpriseFactory(name="青岛启明智能科技有限公司")
    applicant = UserFactory(username="qiming", role="applicant")
    applicant.memberships.create(enterprise=enterprise)
    return permit, enterprise, applicant


def csp_watch(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    return errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_guide_question_leads_to_the_guide_page_and_the_application(browser, live_server):
    permit, enterprise, applicant = build_zone()
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = csp_watch(page)
    log_in(page, live_server.url, applicant)

    page.goto(f"{live_server.url}/guide/")
    page.get_by_label("您的问题").fill("我们要盖厂房，开工前要办什么")
    page.get_by_role("button", name="问一问").click()
    answer = page.locator("#guide-answer")
    answer.get_by_text("最相关的是“建筑工程施工许可证核发”").wait_for()
    assert "常用说法" in answer.locator(".guide-item").first.inner_text()
    assert "q=" in page.url  # htmx pushed the question into the address bar

    answer.get_by_role("link", name="建筑工程施工许可证核发").click()
    page.wait_for_url(re.compile(rf"/catalog/items/{permit.pk}/$"))
    page.get_by_role("heading", level=1, name="建筑工程施工许可证核发").wait_for()
    assert QueryLog.objects.get().clicked_item == permit

    page.get_by_role("link", name="在线申请").first.click()
    page.get_by_role("heading", level=1, name="在线申请").wait_for()
    page.get_by_label(enterprise.name).check()
    page.get_by_role("button", name="开始填写").click()
    page.get_by_role("heading", name="申请材料").wait_for()
    assert page.get_by_text("建筑工程施工许可证申请表").first.is_visible()
    assert Case.objects.filter(item=permit).count() == 1
    assert errors == []
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_guide_page_fits_a_phone_and_has_large_type(browser, live_server):
    build_zone()
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = csp_watch(page)
    page.goto(f"{live_server.url}/guide/?q=施工许可证")
    page.locator("#guide-answer .guide-item").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="大字模式").click()
    after = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert after > before
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "true"
    page.reload()  # remembered on this device
    assert page.evaluate("document.body.classList.contains('guide-large')")
    page.get_by_role("button", name="有帮助").click()
    page.get_by_text("谢谢！很高兴帮上忙。").wait_for()
    assert errors == []
    context.close()
