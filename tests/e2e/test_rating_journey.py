"""A bad rating that changes something, in Chromium, each person logged in through the login
page: the applicant rates a completed case 不满意 → a rectification task appears for the
department → the department records the follow-up call and the rectification → the supervisor
sends it back once, then accepts it; the applicant sees the outcome."""

from types import SimpleNamespace

import pytest

from onewindow.feedback.enums import RectificationState
from onewindow.feedback.models import Rectification
from tests.e2e.test_case_journeys import log_in
from tests.factories import DepartmentFactory, UserFactory, WindowFactory
from tests.feedback.factories import CompletedCaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(browser, live_server):
    dept = DepartmentFactory(code="zjj", name="高新区住房和城乡建设局")
    window = WindowFactory(number="3", name="工程建设项目专业窗口", departments=[dept])
    clerk = UserFactory(username="clerk", role="window_clerk", window=window, department=dept)
    applicant = UserFactory(username="qiming", role="applicant", last_name="李",
                            first_name="明")
    zone = SimpleNamespace(
        case=CompletedCaseFactory(applicant=applicant, item__department=dept, claimed_by=clerk,
                                  item__name="建筑工程施工许可证核发"),
        applicant=applicant,
        reviewer=UserFactory(username="reviewer", role="reviewer", department=dept),
        supervisor=UserFactory(username="supervisor", role="supervisor"),
        contexts=[], csp_errors=[])

    def open_as(user):
        context = browser.new_context(locale="zh-CN")
        zone.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: zone.csp_errors.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        log_in(page, live_server.url, user)
        return page

    zone.open_as, zone.url = open_as, live_server.url
    yield zone
    for context in zone.contexts:
        context.close()


def test_bad_rating_rectified_sent_back_then_accepted(people):
    applicant = people.open_as(people.applicant)
    applicant.goto(f"{people.url}/cases/{people.case.pk}/")
    applicant.get_by_role("link", name="评价本次服务").click()
    applicant.get_by_text("不满意", exact=True).click()
    applicant.get_by_role("button", name="提交评价").click()  # a bad review needs a reason
    applicant.get_by_text("差评请写明不满意的原因").wait_for()
    applicant.get_by_label("意见或建议").fill("窗口让我跑了三次才办完")
    applicant.get_by_role("button", name="提交评价").click()
    applicant.get_by_text("责任部门将在整改期限内回访并整改").wait_for()

    reviewer = people.open_as(people.reviewer)
    reviewer.goto(f"{people.url}/")
    reviewer.get_by_role("link", name="差评整改").first.click()
    reviewer.get_by_role("link", name="建筑工程施工许可证核发").click()
    reviewer.get_by_label("回访结果").select_option(label="表示理解")
    reviewer.get_by_label("回访记录").fill("已致电李明先生，说明补正原因并致歉")
    reviewer.get_by_role("button", name="保存回访记录").click()
    reviewer.get_by_text("回访记录已保存").wait_for()
    report(reviewer, "已将该事项的一次性告知清单补全，窗口人员已培训")

    supervisor = people.open_as(people.supervisor)
    supervisor.goto(f"{people.url}/feedback/rectifications/review/")
    supervisor.get_by_role("link", name="建筑工程施工许可证核发").click()
    supervisor.get_by_label("理由").fill("请写明培训的时间和人员")
    supervisor.get_by_role("button", name="退回重新整改").click()
    supervisor.get_by_text("已退回责任部门重新整改").wait_for()

    reviewer.reload()
    reviewer.get_by_text("请写明培训的时间和人员").wait_for()
    report(reviewer, "11 月 20 日组织全体窗口人员培训，已补全告知清单")

    supervisor.reload()
    supervisor.get_by_role("button", name="整改通过").click()
    supervisor.get_by_text("已确认整改通过").wait_for()
    assert supervisor.locator("#task-state").inner_text() == "整改通过"

    applicant.goto(f"{people.url}/feedback/mine/")
    applicant.get_by_role("link", name="整改：整改通过").click()
    applicant.get_by_role("button", name="提交申诉").wait_for()
    task = Rectification.objects.get()
    assert (task.state, task.return_count, task.calls.count()) == \
        (RectificationState.ACCEPTED, 1, 1)
    assert people.csp_errors == []


def report(page, text: str):
    page.get_by_label("整改报告").fill(text)
    page.get_by_role("button", name="提交整改报告").click()
    page.get_by_text("整改报告已提交").wait_for()
