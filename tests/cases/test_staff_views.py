"""The staff case page and the actions on it, through the views."""

import pytest
from django.urls import reverse

from onewindow.accounts.validators import mask_ric
from onewindow.audit.selectors import events_for
from onewindow.cases import services
from onewindow.cases.enums import CaseState, DocumentKind
from tests.cases.conftest import reload, upload_all
from tests.factories import make_ric

pytestmark = pytest.mark.django_db


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:staff_detail", args=[case.pk]))


def act(client, user, case, action, **data):
    """POST an action; follow the redirect so the result page is what the user sees."""
    client.force_login(user)
    return client.post(reverse("cases:staff_action", args=[case.pk, action]), data,
                       follow=True)


def offers(body: str, case, action: str) -> bool:
    """Whether the page offers `action` (its form posts to the action's URL)."""
    return reverse("cases:staff_action", args=[case.pk, action]) in body


def assert_refused(response, status: int, message: str):
    assert response.status_code == status
    body = response.content.decode()
    assert 'class="message message-error" role="alert"' in body and message in body


def unchanged(case):
    """The case's state and audit trail, to compare before and after a refused action."""
    return reload(case).state, events_for(case).count()


# --- the page --------------------------------------------------------------------------------

def test_staff_detail_shows_case_materials_clocks_notes_and_timeline(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    services.case_note_add(actor=zone.clerk, case_id=submitted.pk, text="申请人电话未接通，已留言")
    response = page(client, zone.clerk, submitted)
    body = response.content.decode()
    assert response.status_code == 200
    assert submitted.number in body and "建筑工程施工许可证核发" in body
    assert "青岛启明智能科技有限公司" in body and zone.enterprise.uscc in body
    material = submitted.materials.first()
    assert material.requirement.name in body and material.sha256 in body
    assert "预审期限" in body and "wb-clock-green" in body
    assert "申请人电话未接通，已留言" in body and "内部意见" in body
    assert "提交" in body and "承办（开始预审）" in body and "添加意见" in body
    for action in ("accept", "return", "offer_help", "not_accept", "note"):
        assert offers(body, submitted, action), action
    assert "<summary>退回补正（一次性告知）</summary>" in body
    assert not offers(body, submitted, "claim")  # already claimed
    assert not offers(body, submitted, "decide") and not offers(body, submitted, "start_review")


def test_department_queue_claims_a_case_for_review_and_shows_its_handler(client, zone,
                                                                         submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    client.force_login(zone.reviewer)
    queue = client.get(reverse("cases:workbench")).content.decode()
    assert offers(queue, submitted, "start_review") and "承办审查" in queue
    act(client, zone.reviewer, submitted, "start_review")
    case = reload(submitted)
    assert case.state == CaseState.IN_REVIEW and case.review_handler == zone.reviewer
    client.force_login(zone.approver)  # not the reviewer: the page header names who is in
    queue = client.get(reverse("cases:workbench")).content.decode()
    assert not offers(queue, submitted, "start_review") and str(zone.reviewer) in queue
    # Another reviewer of the department, a moment later: taken already, and told so.
    response = act(client, zone.approver, submitted, "start_review")
    assert "不能执行" in response.content.decode()
    assert reload(submitted).review_handler == zone.reviewer


def test_staff_detail_names_the_application_form_answers_as_the_form_does(
        client, zone, submitted):
    submitted.form_data = {"contact_name": "李明", "title": "研发中心一期", "address": "",
                           "legacy_key": "旧表单的内容"}
    submitted.save(update_fields=["form_data"])
    body = page(client, zone.clerk, submitted).content.decode()
    facts = body[body.index("<h3>申请表</h3>"):]
    facts = facts[:facts.index("</dl>")]
    assert ("<dt>项目名称/申请事由</dt><dd>研发中心一期</dd><dt>联系人</dt><dd>李明</dd>"
            "<dt>地址</dt><dd>—</dd>") in facts  # the form's order and labels, not its keys
    assert "<dt>legacy_key</dt><dd>旧表单的内容</dd>" in facts  # nothing asked is hidden
    assert "contact_name" not in facts and ">title<" not in facts


def test_staff_detail_offers_the_decision_after_a_review_opinion(client, zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    services.case_start_review(actor=zone.reviewer, case_id=submitted.pk)
    body = page(client, zone.approver, submitted).content.decode()
    assert offers(body, submitted, "review_step") and not offers(body, submitted, "decide")
    act(client, zone.approver, submitted, "review_step", kind="approve", outcome="agree",
        opinion="同意")
    body = page(client, zone.approver, submitted).content.decode()
    assert offers(body, submitted, "decide")


def test_staff_detail_flags_a_blacklisted_person_applying_in_own_name(client, zone, submitted):
    zone.item.audience = "both"
    zone.item.save()
    zone.applicant.credit_status = "blacklist"
    zone.applicant.save()
    own = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(own, zone.applicant)
    own = services.case_submit(actor=zone.applicant, case_id=own.pk)
    assert "失信黑名单申请人" in page(client, zone.clerk, own).content.decode()
    assert "失信黑名单" not in page(client, zone.clerk, submitted).content.decode()  # for the firm


def test_staff_detail_masks_resident_id_for_supervisor_not_for_clerk(client, zone, submitted):
    zone.applicant.ric = make_ric(7)
    zone.applicant.save()
    clerk_body = page(client, zone.clerk, submitted).content.decode()
    supervisor_body = page(client, zone.supervisor, submitted).content.decode()
    assert zone.applicant.ric in clerk_body
    assert zone.applicant.ric not in supervisor_body
    assert mask_ric(zone.applicant.ric) in supervisor_body


def test_staff_detail_supervisor_has_note_action_only(client, zone, submitted):
    body = page(client, zone.supervisor, submitted).content.decode()
    assert offers(body, submitted, "note")
    assert not offers(body, submitted, "accept") and not offers(body, submitted, "claim")


def test_staff_pages_same_404_for_applicant_other_department_draft_and_missing(
        client, zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    draft = services.case_create_draft(actor=zone.applicant, item=zone.item)
    for user, case_pk in [(zone.applicant, submitted.pk), (zone.other_reviewer, submitted.pk),
                          (zone.supervisor, draft.pk), (zone.clerk, 999999)]:
        client.force_login(user)
        response = client.get(reverse("cases:staff_detail", args=[case_pk]))
        assert response.status_code == 404 and "页面不存在" in response.content.decode()
    before = unchanged(submitted)
    for user in (zone.applicant, zone.other_reviewer):
        response = act(client, user, submitted, "start_review")
        assert response.status_code == 404
    assert unchanged(submitted) == before


def test_staff_detail_anonymous_redirected_to_login(client, submitted):
    response = client.get(reverse("cases:staff_detail", args=[submitted.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_staff_action_unknown_refused_and_by_get_does_nothing(client, zone, submitted):
    client.force_login(zone.clerk)
    url = reverse("cases:staff_action", args=[submitted.pk, "accept"])
    assert client.get(url).status_code == 302  # to the case page (see the reload test)
    assert client.put(url).status_code == 405
    assert reload(submitted).state == CaseState.SUBMITTED
    response = client.post(reverse("cases:staff_action", args=[submitted.pk, "approve_all"]))
    assert response.status_code == 404
    assert reload(submitted).state == CaseState.SUBMITTED


# --- intake ----------------------------------------------------------------------------------

def test_staff_claim_then_return_lists_every_fix(client, zone, submitted):
    assert offers(page(client, zone.clerk, submitted).content.decode(), submitted, "claim")
    response = act(client, zone.clerk, submitted, "claim")
    assert "已承办，开始预审。" in response.content.decode()
    assert reload(submitted).claimed_by == zone.clerk
    req1, req2 = zone.item.materials.filter(required=True)
    response = act(client, zone.clerk, submitted, "return", **{
        f"fix_{req1.pk}": "on", f"reason_{req1.pk}": "申请表未加盖公章",
        f"reason_{req2.pk}": "规划许可证复印件不清晰", "extra": "委托书缺失\n\n法人身份证明过期"})
    body = response.content.decode()
    case = reload(submitted)
    assert case.state == CaseState.RETURNED
    fixes = list(case.corrections.get().items.values_list("requirement", "reason"))
    assert fixes == [(req1.pk, "申请表未加盖公章"), (req2.pk, "规划许可证复印件不清晰"),
                     (None, "委托书缺失"), (None, "法人身份证明过期")]
    assert "已退回补正" in body and "申请表未加盖公章" in body and "补正材料一次性告知书" in body


def test_staff_return_ticked_material_without_reason_refused(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    req1 = zone.item.materials.first()
    before = unchanged(submitted)
    response = act(client, zone.clerk, submitted, "return",
                   **{f"fix_{req1.pk}": "on", "extra": "其他问题"})
    assert response.status_code == 422
    assert "请写明该材料需要补正的内容。" in response.content.decode()
    assert unchanged(submitted) == before


def test_staff_return_with_nothing_listed_refused(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    response = act(client, zone.clerk, submitted, "return", extra="  \n ")
    assert response.status_code == 422
    assert "请至少列出一项需补正的内容" in response.content.decode()
    assert reload(submitted).state == CaseState.PRE_REVIEW


def test_staff_not_accept_before_help_offer_refused_then_allowed(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    before = unchanged(submitted)
    response = act(client, zone.clerk, submitted, "not_accept", reason="不属于本机关职权",
                   competent_agency="青岛市住房和城乡建设局")
    assert_refused(response, 422, "先帮再办")
    assert "不属于本机关职权" in response.content.decode()  # the input is kept
    assert unchanged(submitted) == before
    response = act(client, zone.clerk, submitted, "offer_help", reason_told="该事项由市级办理",
                   help_offered="已告知市住建局窗口地址", channel="电话")
    assert "已记录先帮再办情况。" in response.content.decode()
    response = act(client, zone.clerk, submitted, "not_accept", reason="不属于本机关职权",
                   competent_agency="青岛市住房和城乡建设局")
    body = response.content.decode()
    assert reload(submitted).state == CaseState.NOT_ACCEPTED
    assert "青岛市住房和城乡建设局" in body and "不予受理通知书" in body
    assert "当前状态下您没有可执行的操作" not in body  # a note can still be added


def test_staff_accept_by_second_clerk_gets_409_and_nothing_changes(client, zone, submitted):
    response = act(client, zone.clerk, submitted, "accept", note="材料齐全")
    assert "已受理，受理通知书已生成。" in response.content.decode()
    before = unchanged(submitted)
    response = act(client, zone.clerk2, submitted, "accept")
    assert_refused(response, 409, "当前状态为“已受理”，不能执行“受理”")
    assert unchanged(submitted) == before


def test_staff_intake_on_case_claimed_by_other_clerk_refused(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    body = page(client, zone.clerk2, submitted).content.decode()
    assert "该办件由" in body and not offers(body, submitted, "accept")
    response = act(client, zone.clerk2, submitted, "accept")
    assert_refused(response, 422, "承办")
    assert reload(submitted).state == CaseState.PRE_REVIEW


# --- review and decision ---------------------------------------------------------------------

def test_staff_full_path_through_the_views(client, zone, submitted):
    steps = [
        (zone.clerk, "accept", {}, CaseState.ACCEPTED, "受理通知书"),
        (zone.reviewer, "start_review", {}, CaseState.IN_REVIEW, "已承办，开始审查。"),
        (zone.reviewer, "review_step", {"kind": "review", "outcome": "agree",
                                        "opinion": "材料齐全，符合法定条件"},
         CaseState.IN_REVIEW, "材料齐全，符合法定条件"),
        (zone.reviewer, "suspend", {"procedure": "expert_review", "reason": "组织专家评审"},
         CaseState.SUSPENDED, "计时暂停"),
        (zone.reviewer, "resume", {}, CaseState.IN_REVIEW, "已恢复审查"),
        (zone.approver, "extend", {"days": "5", "reason": "需现场核查"}, CaseState.IN_REVIEW,
         "需现场核查"),
        (zone.approver, "review_step", {"kind": "approve", "outcome": "agree",
                                        "opinion": "同意准予许可"},
         CaseState.IN_REVIEW, "同意准予许可"),
        (zone.approver, "decide", {"decision": "approved", "reason": "符合条件",
                                   "remedy_text": "（预填的救济途径）"},
         CaseState.DECIDED, "行政许可决定书"),
        (zone.clerk, "complete", {}, CaseState.COMPLETED, "已办结。"),
        (zone.clerk, "deliver", {"method": "download", "address": ""}, CaseState.DELIVERED,
         "网上下载"),
    ]
    for user, action, data, state, shown in steps:
        response = act(client, user, submitted, action, **data)
        assert response.status_code == 200, (action, response.status_code)
        assert reload(submitted).state == state, action
        assert shown in response.content.decode(), action
    case = reload(submitted)
    assert case.extension_days == 5 and case.remedy_text == ""
    assert case.documents.filter(kind=DocumentKind.CERTIFICATE).exists()


def test_staff_review_step_kinds_offered_by_role(client, zone, in_review):
    reviewer_body = page(client, zone.reviewer, in_review).content.decode()
    approver_body = page(client, zone.approver, in_review).content.decode()
    assert '<option value="approve"' not in reviewer_body
    assert '<option value="approve" selected>' in approver_body
    assert offers(approver_body, in_review, "extend")
    assert not offers(reviewer_body, in_review, "extend")


def test_staff_extend_by_reviewer_forbidden_403(client, zone, in_review):
    before = unchanged(in_review)
    response = act(client, zone.reviewer, in_review, "extend", days="3", reason="复杂")
    assert_refused(response, 403, "您无权对该办件执行此操作。")
    assert unchanged(in_review) == before


def test_staff_extend_over_ten_days_refused_by_form(client, zone, in_review):
    response = act(client, zone.approver, in_review, "extend", days="11", reason="复杂")
    assert response.status_code == 422
    assert reload(in_review).extension_days == 0


def test_staff_extend_offered_once_only(client, zone, in_review):
    act(client, zone.approver, in_review, "extend", days="10", reason="需现场核查")
    body = page(client, zone.approver, in_review).content.decode()
    assert not offers(body, in_review, "extend")
    assert "10 个工作日（批准人：" in body


def test_staff_action_address_reloaded_shows_the_case_page(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    client.force_login(zone.clerk)
    url = reverse("cases:staff_action", args=[submitted.pk, "return"])
    refused = client.post(url, {}, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert refused.status_code == 422  # nothing ticked: the form says so
    assert refused["HX-Replace-Url"] == reverse("cases:staff_detail", args=[submitted.pk])
    assert "HX-Replace-Url" not in client.post(url, {})  # no htmx: a plain page
    reloaded = client.get(url)  # F5 on that address, or a bookmark of it
    assert reloaded.status_code == 302
    assert reloaded["Location"] == reverse("cases:staff_detail", args=[submitted.pk])
    client.force_login(zone.applicant)
    assert client.get(url).status_code == 404  # not a way round the staff check


def test_staff_return_form_says_its_note_reaches_the_applicant(client, zone, submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    intake = page(client, zone.clerk, submitted).content.decode()
    assert "印在一次性告知书上，申请人可见。" in intake  # the return's 补充说明


def test_staff_opinion_forms_say_who_reads_them(client, zone, in_review):
    reviewer = page(client, zone.reviewer, in_review).content.decode()
    # The box's own label: the page also has an 审查意见 heading over the opinions recorded.
    assert 'for="review_step-opinion">审查意见</label>' in reviewer
    assert "内部意见，申请人不可见。" in reviewer
    approver = page(client, zone.approver, in_review).content.decode()
    assert 'for="review_step-opinion">审查、审批意见</label>' in approver  # approval step too


def test_staff_approver_told_why_decide_is_not_offered_yet(client, zone, submitted):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    services.case_start_review(actor=zone.reviewer, case_id=submitted.pk)
    body = page(client, zone.approver, submitted).content.decode()
    assert not offers(body, submitted, "decide") and "尚无审查意见：先在" in body
    assert "尚无审查意见：先在" not in page(client, zone.reviewer, submitted).content.decode()


def test_staff_extend_not_offered_without_a_legal_limit(client, zone, in_review):
    assert offers(page(client, zone.approver, in_review).content.decode(), in_review, "extend")
    in_review.legal_limit_days = None
    in_review.save(update_fields=["legal_limit_days"])
    assert not offers(page(client, zone.approver, in_review).content.decode(), in_review,
                      "extend")


def test_staff_deny_without_reason_refused_with_remedy_prefilled(client, zone, in_review):
    body = page(client, zone.approver, in_review).content.decode()
    assert "依法申请行政复议" in body  # the remedy text is prefilled
    before = unchanged(in_review)
    response = act(client, zone.approver, in_review, "decide", decision="denied", reason=" ",
                   remedy_text="可申请行政复议")
    assert_refused(response, 422, "不予许可必须写明理由。")
    assert unchanged(in_review) == before
    act(client, zone.approver, in_review, "decide", decision="denied",
        reason="规划许可证与设计图纸不符", remedy_text="可于六十日内申请行政复议")
    case = reload(in_review)
    assert case.decision == "denied" and case.remedy_text == "可于六十日内申请行政复议"


def test_staff_deliver_by_express_needs_address(client, zone, in_review):
    services.case_decide(actor=zone.approver, case_id=in_review.pk, decision="approved")
    services.case_complete(actor=zone.clerk, case_id=in_review.pk)
    response = act(client, zone.clerk, in_review, "deliver", method="express", address="")
    assert_refused(response, 422, "邮寄送达须填写收件地址。")
    assert reload(in_review).state == CaseState.COMPLETED


def test_staff_deliver_offers_the_address_the_applicant_gave(zone, in_review):
    from onewindow.cases.forms_staff import DeliverForm

    zone.enterprise.address = "网谷创新中心B座801室"
    zone.enterprise.save(update_fields=["address"])
    in_review.enterprise = zone.enterprise
    in_review.form_data = {**(in_review.form_data or {}), "address": "汇智桥路1号"}
    assert DeliverForm(case=in_review, user=zone.clerk)["address"].initial == "汇智桥路1号"
    in_review.form_data["address"] = ""  # none given: the registered one
    assert DeliverForm(case=in_review, user=zone.clerk)["address"].initial == "网谷创新中心B座801室"


def test_staff_note_public_or_internal_shown_on_page(client, zone, in_review):
    act(client, zone.reviewer, in_review, "note", text="请补充现场照片", internal="on")
    response = act(client, zone.reviewer, in_review, "note", text="已电话告知申请人")
    body = response.content.decode()
    notes = dict(in_review.notes.values_list("text", "internal"))
    assert notes == {"请补充现场照片": True, "已电话告知申请人": False}
    assert "请补充现场照片" in body and "申请人可见" in body and "意见已添加。" in body
