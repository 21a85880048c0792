"""A complaint's journey in Chromium, each person in their own browser and logged in through
the login page: filed online → dispatched by the supervisor → accepted and answered by the
lead department → rated by the requester on feedback's rate page (a bad rating) → reopened
once → back with the department. And an anonymous request followed by its query code."""

import re

import pytest

from onewindow.complaints.enums import RequestState
from onewindow.complaints.models import ServiceRequest
from tests.complaints.conftest import ensure_default_categories
from tests.factories import DepartmentFactory, UserFactory

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    ensure_default_categories()  # a transactional test starts from a flushed database
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    return {
        "dept": dept,
        "requester": UserFactory(username="qiming", role="applicant"),
        "supervisor": UserFactory(username="dispatcher", role="supervisor"),
        "reviewer": UserFactory(username="zjjstaff", role="reviewer", department=dept),
    }


@pytest.fixture
def open_as(browser, live_server):
    contexts = []

    def open_page(user=None):
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill(user.username)
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_role("button", name="退出").wait_for()
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_complaint_filed_dispatched_answered_rated_reopened(people, open_as, live_server):
    url = live_server.url
    requester = open_as(people["requester"])
    requester.goto(f"{url}/complaints/new/")
    requester.get_by_label("诉求类型").select_option("complaint")
    requester.get_by_label("类别").select_option(label="一般诉求")
    requester.get_by_label("标题").fill("园区道路夜间施工噪音")
    requester.get_by_label("诉求内容").fill("火炬路夜间22点后仍在施工，影响员工休息。")
    requester.get_by_role("button", name="提交诉求").click()
    requester.get_by_text("诉求已提交").wait_for()
    request = ServiceRequest.objects.get()
    assert request.number in requester.content() and "待派单" in requester.content()

    supervisor = open_as(people["supervisor"])
    supervisor.goto(f"{url}/complaints/dispatch/")
    supervisor.get_by_role("link", name=request.number).click()
    supervisor.get_by_label("主办部门").select_option(label=people["dept"].name)
    supervisor.locator("form[action$='/dispatch/']").get_by_role("button", name="派单").click()
    supervisor.get_by_text("已派单。").wait_for()

    reviewer = open_as(people["reviewer"])
    reviewer.goto(f"{url}/complaints/department/")
    reviewer.get_by_role("link", name=request.number).click()
    reviewer.get_by_role("button", name="签收").click()
    reviewer.get_by_text("已签收。").wait_for()
    reviewer.get_by_label("答复内容").fill("已约谈施工单位，夜间22点后停止施工。")
    reviewer.get_by_role("button", name="答复诉求人").click()
    reviewer.get_by_text("已提交答复。").wait_for()

    requester.goto(f"{url}/complaints/{request.pk}/")
    assert "已约谈施工单位" in requester.content()
    requester.get_by_role("link", name="评价本次服务").click()
    requester.get_by_text("服务评价").first.wait_for()
    requester.get_by_label("不满意", exact=True).check()
    requester.get_by_label(re.compile("评价内容|意见|说明")).fill("夜间仍有施工")
    requester.get_by_role("button", name="提交评价").click()
    requester.get_by_text("感谢您的评价").first.wait_for()

    requester.goto(f"{url}/complaints/{request.pk}/")
    requester.get_by_label("不满意的原因").fill("昨晚23点仍在施工")
    requester.get_by_role("button", name="申请重新办理").click()
    requester.get_by_text("已申请重新办理。").wait_for()
    request.refresh_from_db()
    assert request.state == RequestState.DISPATCHED and request.reopen_count == 1
    assert requester.get_by_role("button", name="申请重新办理").count() == 0  # once only


def test_anonymous_request_followed_by_query_code(people, open_as, live_server):
    visitor = open_as()
    visitor.goto(f"{live_server.url}/complaints/new/")
    visitor.get_by_label("诉求类型").select_option("consultation")
    visitor.get_by_label("类别").select_option(label="政策咨询")
    visitor.get_by_label("标题").fill("高企认定咨询")
    visitor.get_by_label("诉求内容").fill("高新技术企业认定需要哪些条件？")
    visitor.get_by_label("联系人").fill("王先生")
    visitor.get_by_label("联系电话").fill("13800000000")
    visitor.get_by_role("button", name="提交诉求").click()
    visitor.get_by_role("heading", name="诉求已提交").wait_for()
    number = visitor.locator(".req-number").inner_text()
    code = visitor.locator(".req-code").inner_text()
    visitor.get_by_role("link", name="诉求查询").last.click()
    visitor.wait_for_url("**/complaints/track/")
    visitor.get_by_label("诉求编号").fill(number)
    visitor.get_by_label("查询码").fill(code)
    visitor.get_by_role("button", name="查询").click()
    visitor.get_by_text("高企认定咨询").wait_for()
    assert "待派单" in visitor.content()
