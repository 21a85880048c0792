"""The applicant's pages: apply, fill, upload, submit, fix what was returned, withdraw, follow."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from onewindow.audit.selectors import events_for
from onewindow.cases import services
from onewindow.cases.enums import CaseState
from onewindow.cases.models import Case, CaseNote, SubmittedMaterial
from onewindow.catalog.enums import MaterialSource
from tests.cases.conftest import PDF, reload, upload_all
from tests.factories import ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00" + b"\x00" * 60
FORM = {"title": "启明智能产业园一期", "contact_name": "李华", "contact_phone": "13812345678",
        "address": "高新区创新大道 100 号"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def applicant(client, zone):
    client.force_login(zone.applicant)
    return client


@pytest.fixture
def draft(zone):
    return services.case_create_draft(actor=zone.applicant, item=zone.item,
                                      enterprise=zone.enterprise)


@pytest.fixture
def returned(zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    planning = zone.item.materials.get(name="建设工程规划许可证")
    return services.case_return(actor=zone.clerk, case_id=submitted.pk,
                                items=[(planning, "规划许可证复印件不清晰，请上传原件扫描件")])


def body(response) -> str:
    return response.content.decode()


def pdf_file(name="规划证.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- applying ------------------------------------------------------------------------------

def test_item_guide_page_offers_online_application(client, zone):
    page = body(client.get(reverse("catalog:item", args=[zone.item.pk])))
    assert "在线申请" in page
    assert reverse("cases:apply", args=[zone.item.pk]) in page


def test_apply_anonymous_is_sent_to_login(client, zone):
    response = client.get(reverse("cases:apply", args=[zone.item.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_apply_form_offers_the_enterprise_and_carries_a_key(applicant, zone):
    page = body(applicant.get(reverse("cases:apply", args=[zone.item.pk])))
    assert "青岛启明智能科技有限公司" in page
    assert 'name="idempotency_key"' in page
    assert "以个人身份申请" not in page  # the item is for enterprises


def test_apply_double_post_with_same_key_creates_one_case(applicant, zone):
    url = reverse("cases:apply", args=[zone.item.pk])
    data = {"applicant_as": str(zone.enterprise.pk), "idempotency_key": "k" * 32}
    first = applicant.post(url, data)
    again = applicant.post(url, data)
    case = Case.objects.get()
    assert case.enterprise == zone.enterprise and case.state == CaseState.DRAFT
    assert first["Location"] == again["Location"] == reverse("cases:edit", args=[case.pk])


def test_apply_for_an_enterprise_one_is_not_member_of_refused(client, zone):
    item = ServiceItemFactory(audience="both")
    client.force_login(zone.stranger)
    response = client.post(reverse("cases:apply", args=[item.pk]),
                           {"applicant_as": str(zone.enterprise.pk), "idempotency_key": "x" * 20})
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_apply_as_individual_when_item_allows(client, zone):
    item = ServiceItemFactory(audience="both")
    client.force_login(zone.stranger)
    response = client.post(reverse("cases:apply", args=[item.pk]),
                           {"applicant_as": "person", "idempotency_key": "p" * 20})
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:edit", args=[case.pk])
    assert case.enterprise is None and case.applicant == zone.stranger


def test_apply_enterprise_only_item_without_enterprise_explains(client, zone):
    client.force_login(zone.stranger)
    page = body(client.get(reverse("cases:apply", args=[zone.item.pk])))
    assert "只能以企业名义申请" in page


# --- filling in ----------------------------------------------------------------------------

def test_edit_shows_form_and_one_upload_per_material(applicant, zone, draft):
    page = body(applicant.get(reverse("cases:edit", args=[draft.pk])))
    assert "联系电话" in page and "保存草稿" in page and "提交申请" in page
    for requirement in zone.item.materials.all():
        assert reverse("cases:upload", args=[draft.pk, requirement.pk]) in page
        assert requirement.name in page


def test_edit_save_draft_keeps_form_data(applicant, draft):
    response = applicant.post(reverse("cases:edit", args=[draft.pk]), FORM)
    assert response.status_code == 302
    assert reload(draft).form_data == FORM
    page = body(applicant.get(reverse("cases:edit", args=[draft.pk])))
    assert "启明智能产业园一期" in page and "草稿已保存" in page


def test_edit_invalid_mobile_refused_and_not_saved(applicant, draft):
    response = applicant.post(reverse("cases:edit", args=[draft.pk]),
                              {**FORM, "contact_phone": "0532-1234"})
    assert response.status_code == 422
    assert "11 位中国大陆手机号码" in body(response)
    assert reload(draft).form_data == {}


def test_upload_htmx_swaps_the_row_with_file_name_and_versions(applicant, zone, draft):
    requirement = zone.item.materials.get(name="建设工程规划许可证")
    url = reverse("cases:upload", args=[draft.pk, requirement.pk])
    applicant.post(url, {"file": pdf_file("旧版.pdf", PDF + b"v1")}, HTTP_HX_REQUEST="true")
    response = applicant.post(url, {"file": pdf_file("新版.pdf")}, HTTP_HX_REQUEST="true")
    row = body(response)
    assert response.status_code == 200
    assert row.lstrip().startswith(f'<li id="material-{requirement.pk}"')
    assert "<html" not in row
    assert "当前文件：新版.pdf" in row and "历史版本 1 个" in row and "旧版.pdf" in row


def test_upload_htmx_bad_file_shows_message_in_row(applicant, zone, draft):
    requirement = zone.item.materials.get(name="建设工程规划许可证")
    response = applicant.post(reverse("cases:upload", args=[draft.pk, requirement.pk]),
                              {"file": pdf_file("x.pdf", EXE)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "“建设工程规划许可证”：文件类型不符" in body(response)
    assert not SubmittedMaterial.objects.exists()


def test_upload_without_js_redirects_back_to_the_row(applicant, zone, draft):
    requirement = zone.item.materials.first()
    response = applicant.post(reverse("cases:upload", args=[draft.pk, requirement.pk]),
                              {"file": pdf_file()})
    assert response["Location"].endswith(f"#material-{requirement.pk}")
    page = body(applicant.get(response["Location"]))
    assert f"“{requirement.name}”已上传" in page and "当前文件：规划证.pdf" in page


def test_upload_without_js_bad_file_keeps_the_draft(applicant, zone, draft):
    services.case_update_draft(actor=zone.applicant, case_id=draft.pk, form_data=FORM)
    requirement = zone.item.materials.first()
    response = applicant.post(reverse("cases:upload", args=[draft.pk, requirement.pk]), {})
    assert response.status_code == 422
    page = body(response)
    assert f"“{requirement.name}”：请选择要上传的文件" in page
    assert "启明智能产业园一期" in page
    assert reload(draft).form_data == FORM


# --- submitting ----------------------------------------------------------------------------

def test_submit_with_missing_material_shows_message_and_keeps_draft(applicant, draft):
    response = applicant.post(reverse("cases:submit", args=[draft.pk]), FORM)
    assert response.status_code == 422
    page = body(response)
    assert "还缺少必要材料：建筑工程施工许可申请表、建设工程规划许可证" in page
    assert "启明智能产业园一期" in page
    case = reload(draft)
    assert case.state == CaseState.DRAFT and case.number is None and case.form_data == FORM


def test_material_the_window_obtains_itself_is_not_asked_of_the_applicant(applicant, zone,
                                                                          draft):
    planning = zone.item.materials.get(name="建设工程规划许可证")
    planning.source = MaterialSource.PRODUCED  # the result of an earlier item (guide: 无需提交)
    planning.save(update_fields=["source"])
    page = body(applicant.get(reverse("cases:edit", args=[draft.pk])))
    row = page[page.index(f'id="material-{planning.pk}"'):]
    assert "无需提交" in row[:row.index("</li>")] and "由窗口获取" in row[:row.index("</li>")]
    response = applicant.post(reverse("cases:submit", args=[draft.pk]), FORM)
    assert "还缺少必要材料：建筑工程施工许可申请表。" in body(response)  # only the other one
    upload_all(draft, zone.applicant, required=["建筑工程施工许可申请表"])
    response = applicant.post(reverse("cases:submit", args=[draft.pk]), FORM)
    assert response.status_code == 302
    assert reload(draft).state == CaseState.SUBMITTED
    services.case_claim(actor=zone.clerk, case_id=draft.pk)
    assert services.case_accept(actor=zone.clerk, case_id=draft.pk).state == CaseState.ACCEPTED


def test_apply_button_only_for_those_who_may_apply(client, zone):
    zone.item.online_depth = 4
    zone.item.save(update_fields=["online_depth"])
    guide = reverse("catalog:item", args=[zone.item.pk])
    apply = reverse("cases:apply", args=[zone.item.pk])
    assert apply in body(client.get(guide))  # a visitor: the login comes first
    client.force_login(zone.applicant)
    assert apply in body(client.get(guide))
    client.force_login(zone.reviewer)  # staff may not apply: no button that leads to a 404
    assert "在线申请" not in body(client.get(guide))
    assert client.get(apply).status_code == 404


def test_submit_with_incomplete_form_refused(applicant, zone, draft):
    upload_all(draft, zone.applicant)
    response = applicant.post(reverse("cases:submit", args=[draft.pk]),
                              {**FORM, "contact_name": ""})
    assert response.status_code == 422
    assert "未填或填错" in body(response)
    assert reload(draft).state == CaseState.DRAFT


def test_submit_complete_gives_number_and_query_code(applicant, zone, draft):
    upload_all(draft, zone.applicant)
    response = applicant.post(reverse("cases:submit", args=[draft.pk]), FORM, follow=True)
    case = reload(draft)
    assert case.state == CaseState.SUBMITTED
    page = body(response)
    assert case.number in page and case.query_code in page and "等待窗口预审" in page


def test_submit_clicked_twice_shows_the_case_submitted_once(applicant, zone, draft):
    upload_all(draft, zone.applicant)
    url = reverse("cases:submit", args=[draft.pk])
    applicant.post(url, FORM)
    number = reload(draft).number
    again = applicant.post(url, FORM, follow=True)
    assert again.redirect_chain[-1][0] == reverse("cases:detail", args=[draft.pk])
    assert f"申请已提交，办件编号 {number}，无需重复提交。" in body(again)
    assert reload(draft).number == number
    assert events_for(draft).filter(action="case_submit").count() == 1


def test_submit_without_csrf_token_refused(zone, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(zone.applicant)
    upload_all(draft, zone.applicant)
    response = client.post(reverse("cases:submit", args=[draft.pk]), FORM)
    assert response.status_code == 403
    assert reload(draft).state == CaseState.DRAFT


def test_returned_case_shows_every_fix_prominently(applicant, returned):
    page = body(applicant.get(reverse("cases:edit", args=[returned.pk])))
    assert "需要补正的内容（一次性告知）" in page
    assert "规划许可证复印件不清晰，请上传原件扫描件" in page
    assert "重新提交" in page


def test_free_text_fix_is_named_as_the_notice_names_it(applicant, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    services.case_return(actor=zone.clerk, case_id=submitted.pk,
                         items=[(None, "请补充项目总平面图")])
    for url in (reverse("cases:edit", args=[submitted.pk]),
                reverse("cases:detail", args=[submitted.pk])):
        page = body(applicant.get(url))
        assert "<strong>其他</strong>：请补充项目总平面图" in page  # as on the PDF notice
        assert "<strong>申请表</strong>" not in page
    item = submitted.corrections.get().items.get()
    assert item.subject == "其他"


def test_resubmit_without_the_material_asked_for_is_taken_with_a_warning(applicant, returned):
    response = applicant.post(reverse("cases:submit", args=[returned.pk]), FORM, follow=True)
    assert reload(returned).state == CaseState.SUBMITTED  # not refused: the window decides
    assert "以下要求补正的材料没有重新上传：建设工程规划许可证。" in body(response)


def test_resubmit_after_return_is_the_same_case(applicant, zone, returned):
    planning = zone.item.materials.get(name="建设工程规划许可证")
    applicant.post(reverse("cases:upload", args=[returned.pk, planning.pk]),
                   {"file": pdf_file("原件扫描.pdf", PDF + b"clear")}, HTTP_HX_REQUEST="true")
    row = body(applicant.get(reverse("cases:edit", args=[returned.pk])))
    assert "已重新上传" in row
    response = applicant.post(reverse("cases:submit", args=[returned.pk]), FORM)
    assert response["Location"] == reverse("cases:detail", args=[returned.pk])
    page = body(applicant.get(response["Location"]))
    assert "没有重新上传" not in page  # it was
    case = reload(returned)
    assert case.state == CaseState.SUBMITTED and case.number == returned.number
    assert case.corrections.get().resolved_at is not None


def test_edit_of_submitted_case_goes_to_detail(applicant, submitted):
    response = applicant.get(reverse("cases:edit", args=[submitted.pk]))
    assert response["Location"] == reverse("cases:detail", args=[submitted.pk])


def test_withdraw_asks_then_withdraws(applicant, submitted):
    url = reverse("cases:withdraw", args=[submitted.pk])
    assert "确认撤回" in body(applicant.get(url))
    response = applicant.post(url, {"reason": "项目调整"}, follow=True)
    assert reload(submitted).state == CaseState.WITHDRAWN
    assert "申请已撤回" in body(response)


def test_discarding_a_draft_speaks_of_a_draft(applicant, draft):
    url = reverse("cases:withdraw", args=[draft.pk])
    page = body(applicant.get(url))
    assert "放弃此草稿" in page and "确认放弃" in page and "放弃草稿</li>" in page
    assert "撤回" not in page[page.index("<main"):]  # nothing withdrawn: it was never filed
    response = applicant.post(url, {}, follow=True)
    assert reload(draft).state == CaseState.WITHDRAWN
    assert "草稿已放弃。" in body(response)


def test_resubmit_panel_keeps_the_number(applicant, returned):
    page = body(applicant.get(reverse("cases:edit", args=[returned.pk])))
    panel = page[page.index('id="submit-title"'):]
    assert f"仍是办件 {returned.number}" in panel and "生成办件编号" not in panel


def test_withdraw_of_decided_case_refused_with_message(applicant, zone, in_review):
    services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="approved")
    response = applicant.post(reverse("cases:withdraw", args=[in_review.pk]), {})
    assert response.status_code == 409
    assert "不能执行“撤回”" in body(response)


# --- following one's cases -----------------------------------------------------------------

def test_my_cases_shows_state_clock_due_and_next_step(applicant, in_review, freeze_today):
    case = reload(in_review)
    freeze_today(case.accepted_on)
    page = body(applicant.get(reverse("cases:mine")))
    assert case.number in page and "建筑工程施工许可证核发" in page
    assert "审查中" in page and "部门审查中" in page
    assert f"截止 {case.legal_due:%Y-%m-%d}" in page
    assert f"截止 {case.promised_due:%Y-%m-%d}" in page
    assert "剩余 2 个工作日" in page  # the promised limit, on the day of acceptance
    notice = case.documents.get(kind="acceptance_notice")
    assert reverse("cases:document", args=[case.pk, notice.pk]) in page


def test_my_cases_finished_case_shows_the_time_taken_not_a_countdown(applicant, zone,
                                                                      in_review, freeze_today):
    case = reload(in_review)
    freeze_today(case.accepted_on)
    services.case_decide(actor=zone.approver, case_id=case.pk, decision="approved")
    services.case_complete(actor=zone.clerk, case_id=case.pk)
    freeze_today(case.legal_due)  # weeks later: still no countdown on a finished case
    page = body(applicant.get(reverse("cases:detail", args=[case.pk])))
    clocks = page[page.index('class="clock-list"'):]
    clocks = clocks[:clocks.index("</ul>")]
    assert "不计时" in clocks and "用时 0 个工作日" in clocks and "剩余" not in clocks


def test_documents_are_listed_by_the_names_they_bear(applicant, zone, in_review):
    services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="approved")
    letter = in_review.documents.get(kind="decision_letter")
    page = body(applicant.get(reverse("cases:detail", args=[in_review.pk])))
    assert f">{letter.title}</a>" in page  # as printed on it, as staff and the PDF say
    assert f">{letter.title}</a>" in body(applicant.get(reverse("cases:mine")))


@pytest.mark.parametrize("ended", [CaseState.TERMINATED, CaseState.REVOKED])
def test_my_cases_ended_case_is_listed_under_done(applicant, submitted, ended):
    Case.objects.filter(pk=submitted.pk).update(state=ended)
    mine = reverse("cases:mine")
    assert submitted.number in body(applicant.get(mine, {"state": "done"}))
    assert submitted.number not in body(applicant.get(mine, {"state": "open"}))


def test_draft_page_offers_to_discard_not_to_withdraw(applicant, draft):
    page = body(applicant.get(reverse("cases:detail", args=[draft.pk])))
    assert "放弃此草稿" in page and "撤回申请" not in page


def test_my_cases_overdue_clock_is_red(applicant, in_review, freeze_today):
    case = reload(in_review)
    freeze_today(case.legal_due + dt.timedelta(days=14))
    page = body(applicant.get(reverse("cases:mine")))
    assert "已超期" in page and "badge-bad" in page


def test_my_cases_returned_asks_for_correction(applicant, returned):
    page = body(applicant.get(reverse("cases:mine")))
    assert "请补正材料后重新提交" in page and "去补正" in page
    assert "补正期间在申请人处，不计入办理时限" in page


def test_my_cases_filter_by_group_as_htmx_partial(applicant, zone, submitted, draft):
    response = applicant.get(reverse("cases:mine"), {"state": "draft"}, HTTP_HX_REQUEST="true")
    page = body(response)
    assert "<html" not in page and 'id="case-list"' in page
    assert reverse("cases:edit", args=[draft.pk]) in page
    assert submitted.number not in page
    full = body(applicant.get(reverse("cases:mine"), {"state": "open"}))
    assert "<html" in full and submitted.number in full
    assert reverse("cases:edit", args=[draft.pk]) not in full


def test_my_cases_include_the_enterprise_colleagues_cases(client, zone, submitted):
    colleague = UserFactory(role="applicant")
    colleague.memberships.create(enterprise=zone.enterprise)
    client.force_login(colleague)
    assert submitted.number in body(client.get(reverse("cases:mine")))


def test_detail_shows_facts_timeline_and_applicant_time(applicant, zone, returned,
                                                        freeze_today):
    freeze_today(dt.date.today() + dt.timedelta(days=7))
    page = body(applicant.get(reverse("cases:detail", args=[returned.pk])))
    assert returned.number in page and returned.query_code in page
    assert "退回补正（一次性告知）" in page and "提交申请" in page
    assert "规划许可证复印件不清晰" in page
    assert "在申请人处（补正）的时间：" in page
    assert "在申请人处（补正）的时间：0 个工作日" not in page


def test_detail_never_shows_internal_notes_or_review_opinions(applicant, zone, in_review):
    CaseNote.objects.create(case=in_review, author=zone.reviewer, text="内部：法人疑似失信，慎重",
                            internal=True)
    CaseNote.objects.create(case=in_review, author=zone.clerk, text="请留意短信通知",
                            internal=False)
    services.case_review_step(actor=zone.reviewer, case_id=in_review.pk, kind="review",
                              outcome="agree", opinion="部门内部审查意见：同意")
    page = body(applicant.get(reverse("cases:detail", args=[in_review.pk])))
    assert "请留意短信通知" in page
    assert "法人疑似失信" not in page
    assert "部门内部审查意见" not in page


# --- who may see what ----------------------------------------------------------------------

def _case_urls(case, requirement) -> list[tuple[str, str]]:
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("get", reverse("cases:edit", args=[case.pk])),
        ("post", reverse("cases:edit", args=[case.pk])),
        ("post", reverse("cases:upload", args=[case.pk, requirement.pk])),
        ("post", reverse("cases:submit", args=[case.pk])),
        ("get", reverse("cases:withdraw", args=[case.pk])),
        ("post", reverse("cases:withdraw", args=[case.pk])),
    ]


def test_other_applicant_gets_404_on_every_case_url(client, zone, draft):
    client.force_login(zone.stranger)
    for method, url in _case_urls(draft, zone.item.materials.first()):
        response = getattr(client, method)(url, FORM)
        assert response.status_code == 404, url
        assert "页面不存在" in body(response)
    assert reload(draft).form_data == {} and reload(draft).state == CaseState.DRAFT
    assert "这里还没有办件" in body(client.get(reverse("cases:mine")))


def test_staff_get_404_on_applicant_views_and_the_list_sends_them_to_work(client, zone,
                                                                          submitted):
    client.force_login(zone.clerk)
    for method, url in _case_urls(submitted, zone.item.materials.first()):
        assert getattr(client, method)(url).status_code == 404, url
    assert client.get(reverse("cases:apply", args=[zone.item.pk])).status_code == 404
    assert client.get(reverse("cases:mine"))["Location"] == reverse("cases:workbench")


def test_anonymous_is_sent_to_login_from_case_pages(client, draft):
    response = client.get(reverse("cases:detail", args=[draft.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
