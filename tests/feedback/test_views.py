import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from onewindow.feedback import services
from onewindow.feedback.enums import RectificationState as R
from onewindow.feedback.models import Rating, Rectification, SurveyResult
from tests.factories import WindowFactory


def rate_url(zone):
    return reverse("feedback:rate", kwargs={"kind": "case", "object_id": zone.case.pk})


def test_rate_page_shows_five_levels_and_the_case(client, zone):
    client.force_login(zone.applicant)
    page = client.get(rate_url(zone)).content.decode()
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in page
    assert zone.case.number in page and zone.dept.name in page and "提交评价" in page


def test_rate_page_post_htmx_returns_partial_and_saves(client, zone):
    client.force_login(zone.applicant)
    response = client.post(rate_url(zone), {"level": "2", "comment": "等了很久"},
                           headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "感谢您的评价" in body and "回访并整改" in body
    rating = Rating.objects.get()
    assert (rating.level, rating.rectification.state) == (2, R.OPEN)


def test_rate_page_bad_without_reason_is_422_with_message(client, zone):
    client.force_login(zone.applicant)
    response = client.post(rate_url(zone), {"level": "1", "comment": ""})
    assert response.status_code == 422 and "写明不满意的原因" in response.content.decode()
    assert not Rating.objects.exists()


def test_rate_page_no_level_is_422(client, zone):
    client.force_login(zone.applicant)
    response = client.post(rate_url(zone), {"comment": "x"})
    assert response.status_code == 422 and "请选择评价等级" in response.content.decode()


def test_rate_page_stranger_and_unknown_kind_404(client, zone):
    client.force_login(zone.stranger)
    assert client.get(rate_url(zone)).status_code == 404
    client.force_login(zone.applicant)
    url = reverse("feedback:rate", kwargs={"kind": "nothing", "object_id": zone.case.pk})
    assert client.get(url).status_code == 404


def test_rate_page_anonymous_redirected_to_login(client, zone):
    assert client.get(rate_url(zone)).status_code == 302


def test_my_ratings_lists_own_rating_with_task(client, zone, rate):
    rate(2, "窗口让我跑了三次")
    client.force_login(zone.applicant)
    page = client.get(reverse("feedback:mine")).content.decode()
    assert "窗口让我跑了三次" in page and "不满意" in page and "整改：待整改" in page
    client.force_login(zone.stranger)
    assert "窗口让我跑了三次" not in client.get(reverse("feedback:mine")).content.decode()


def test_queue_shows_department_tasks_only(client, zone, bad_task):
    client.force_login(zone.reviewer)
    page = client.get(reverse("feedback:queue")).content.decode()
    assert "窗口让我跑了三次" in page and str(bad_task.due_on.year) in page
    client.force_login(zone.other_reviewer)
    assert "窗口让我跑了三次" not in client.get(reverse("feedback:queue")).content.decode()
    client.force_login(zone.applicant)
    assert client.get(reverse("feedback:queue")).status_code == 404


def test_rectification_page_walks_call_report_return_accept(client, zone, bad_task):
    url = reverse("feedback:rectification", kwargs={"pk": bad_task.pk})
    act = lambda action: reverse("feedback:rectification_action",  # noqa: E731
                                 kwargs={"pk": bad_task.pk, "action": action})
    client.force_login(zone.reviewer)
    assert "保存回访记录" in client.get(url).content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(act("record_call"), {"called_at": now, "outcome": "understood",
                                                "note": "已致电说明"}, follow=True)
    assert "回访记录已保存" in response.content.decode() and "表示理解" in response.content.decode()
    client.post(act("report"), {"report": "已修订一次性告知单"})
    client.force_login(zone.supervisor)
    assert "待审核的整改报告" in client.get(reverse("feedback:review")).content.decode()
    page = client.get(url).content.decode()
    assert "已修订一次性告知单" in page and "整改通过" in page
    response = client.post(act("return"), {"reason": ""})
    assert response.status_code == 422
    client.post(act("return"), {"reason": "请说明培训安排"})
    client.force_login(zone.reviewer)
    assert "请说明培训安排" in client.get(url).content.decode()
    client.post(act("report"), {"report": "已组织窗口培训"})
    client.force_login(zone.supervisor)
    response = client.post(act("accept"), follow=True)
    assert "已确认整改通过" in response.content.decode()
    bad_task.refresh_from_db()
    assert bad_task.state == R.ACCEPTED


def test_rectification_page_applicant_appeals(client, zone, bad_task):
    services.rectification_record_call(actor=zone.reviewer, task_id=bad_task.pk,
                                       called_at=timezone.now(), outcome="dissatisfied",
                                       note="x")
    services.rectification_submit_report(actor=zone.reviewer, task_id=bad_task.pk, report="y")
    services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)
    client.force_login(zone.applicant)
    url = reverse("feedback:rectification", kwargs={"pk": bad_task.pk})
    assert "提交申诉" in client.get(url).content.decode()
    client.post(reverse("feedback:rectification_action",
                        kwargs={"pk": bad_task.pk, "action": "appeal"}), {"reason": "没改"})
    page = client.get(url).content.decode()
    assert "没改" in page and "提交申诉" not in page


def test_rectification_page_hidden_from_others(client, zone, bad_task):
    url = reverse("feedback:rectification", kwargs={"pk": bad_task.pk})
    for user in (zone.stranger, zone.other_reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_rectification_action_forbidden_for_department_on_review(client, zone, bad_task):
    client.force_login(zone.reviewer)
    response = client.post(reverse("feedback:rectification_action",
                                   kwargs={"pk": bad_task.pk, "action": "accept"}))
    assert response.status_code == 403


def test_ranking_page_shows_formula_and_window(client, zone, rate):
    rate(5)
    page = client.get(reverse("feedback:ranking")).content.decode()
    assert "综合得分 = 50% × 满意率" in page and zone.window.name in page
    assert "工作人员排名" not in page
    client.force_login(zone.supervisor)
    assert "工作人员排名" in client.get(reverse("feedback:ranking")).content.decode()


def _workbook(rows, header=("大厅代码", "窗口号", "测评得分", "样本量", "备注")) -> bytes:
    book = Workbook()
    book.active.append(list(header))
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, data, month="2026-10", agency="某大学第三方评估中心"):
    file = io.BytesIO(data)
    file.name = "survey.xlsx"
    return client.post(reverse("feedback:survey_import"),
                       {"month": month, "agency": agency, "file": file})


def test_survey_import_page_imports_and_ranking_shows_score(client, zone):
    client.force_login(zone.supervisor)
    response = _upload(client, _workbook([(zone.window.hall.code, "7", 96.5, 200, "")]))
    assert response.status_code == 302
    page = client.get(reverse("feedback:ranking") + "?month=2026-10").content.decode()
    assert "96.50" in page and "某大学第三方评估中心" in page


def test_survey_import_rejects_whole_file_with_row_errors(client, zone):
    other = WindowFactory(hall=zone.window.hall, number="8")
    client.force_login(zone.supervisor)
    data = _workbook([(zone.window.hall.code, "7", 90, 10, ""),
                      (other.hall.code, "8", 101, 10, ""),
                      ("nohall", "1", 80, 10, ""),
                      (zone.window.hall.code, "7", 85, "x", "")])
    response = _upload(client, data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "第 3 行" in page and "0–100" in page and "第 4 行" in page and "nohall" in page
    assert "第 5 行" in page and "样本量须为正整数" in page and "与第 2 行是同一窗口" in page
    assert not SurveyResult.objects.exists()


@pytest.mark.parametrize("data, message", [
    (b"not a workbook", "无法读取该文件"),
    (_workbook([], header=("窗口号", "测评得分")), "缺少列"),
])
def test_survey_import_rejects_bad_files(client, zone, data, message):
    client.force_login(zone.supervisor)
    response = _upload(client, data)
    assert response.status_code == 422 and message in response.content.decode()


def test_survey_import_and_template_for_supervisors_only(client, zone):
    client.force_login(zone.reviewer)
    assert client.get(reverse("feedback:survey_import")).status_code == 404
    assert client.get(reverse("feedback:survey_template")).status_code == 404
    client.force_login(zone.supervisor)
    response = client.get(reverse("feedback:survey_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == ["大厅代码", "窗口号", "测评得分", "样本量", "备注"]
    assert "下载模板" in client.get(reverse("feedback:survey_import")).content.decode()


def test_case_detail_page_shows_rate_button_then_rating(client, zone, rate):
    client.force_login(zone.applicant)
    url = reverse("cases:detail", kwargs={"pk": zone.case.pk})
    assert f'href="{rate_url(zone)}"' in client.get(url).content.decode()
    assert "评价本次服务" in client.get(url).content.decode()
    rate(4)
    page = client.get(url).content.decode()
    assert "您的评价：满意" in page and "评价本次服务" not in page


def test_rectification_page_rater_does_not_see_internal_return_reason(client, zone, bad_task):
    services.rectification_record_call(actor=zone.reviewer, task_id=bad_task.pk,
                                       called_at=timezone.now(), outcome="understood", note="x")
    services.rectification_submit_report(actor=zone.reviewer, task_id=bad_task.pk, report="y")
    services.rectification_return(actor=zone.supervisor, task_id=bad_task.pk, reason="内部意见")
    url = reverse("feedback:rectification", kwargs={"pk": bad_task.pk})
    client.force_login(zone.reviewer)
    assert "内部意见" in client.get(url).content.decode()
    client.force_login(zone.applicant)
    page = client.get(url).content.decode()
    assert "内部意见" not in page and "退回重新整改" in page


def test_review_page_lists_overdue_tasks(client, zone, bad_task):
    Rectification.objects.filter(pk=bad_task.pk).update(due_on=timezone.localdate().replace(
        year=timezone.localdate().year - 1))
    client.force_login(zone.supervisor)
    page = client.get(reverse("feedback:review")).content.decode()
    assert "超期未整改" in page and "窗口让我跑了三次" in page
    assert "badge-bad" in page


def test_my_ratings_lists_pending_invitation_until_rated(client, zone, rate):
    services.rating_invite(kind="case", object_id=zone.case.pk, users=[zone.applicant],
                           title=f"{zone.case.number} 施工许可")
    client.force_login(zone.applicant)
    page = client.get(reverse("feedback:mine")).content.decode()
    assert "待评价" in page and f'href="{rate_url(zone)}"' in page
    rate(5)
    assert "待评价" not in client.get(reverse("feedback:mine")).content.decode()
