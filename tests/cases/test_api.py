"""The cases API: /api/cases/… — the same services and permissions as the pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from onewindow.accounts.services import api_token_create
from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import services
from onewindow.cases.api import ACTIONS
from onewindow.cases.api_schemas import CaseStatusOut
from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.models import Case, CaseNote
from tests.cases.conftest import PDF, race, reload, upload_all

pytestmark = pytest.mark.django_db
API = "/api/cases"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def token():
    """`token(user)`: the Authorization header of a fresh API token of `user`."""

    def make(user) -> dict:
        _token, key = api_token_create(actor=None, owner=user, name="测试")
        return {"Authorization": f"Bearer {key}"}

    return make


def create(client, headers, item, key="", **body):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}/", {"item_id": item.pk, **body}, content_type="application/json",
                       headers={**headers, **extra})


def act(client, headers, case, action, body=None):
    return client.post(f"{API}/{case.pk}/actions/{action}", body or {},
                       content_type="application/json", headers=headers)


# --- create and idempotency --------------------------------------------------------------------
def test_api_create_same_idempotency_key_twice_gives_one_case(client, zone, token):
    headers = token(zone.applicant)
    first = create(client, headers, zone.item, key="retry-1",
                   enterprise_id=zone.enterprise.pk, form_data={"project": "一期厂房"})
    again = create(client, headers, zone.item, key="retry-1",
                   enterprise_id=zone.enterprise.pk, form_data={"project": "一期厂房"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["form_data"] == {"project": "一期厂房"}
    assert first.json()["state"] == "draft" and first.json()["state_label"] == "草稿"
    assert Case.objects.filter(filed_by=zone.applicant).count() == 1


def test_api_create_without_key_makes_a_new_case_each_time(client, zone, token):
    headers = token(zone.applicant)
    ids = {create(client, headers, zone.item).json()["id"] for _ in range(2)}
    assert len(ids) == 2


def test_api_create_key_reused_for_another_item_refused(client, zone, token):
    from tests.factories import ServiceItemFactory

    headers = token(zone.applicant)
    assert create(client, headers, zone.item, key="k").status_code == 201
    other = ServiceItemFactory(department=zone.dept)
    response = create(client, headers, other, key="k")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Case.objects.count() == 1


def test_api_create_for_foreign_enterprise_is_403_in_chinese(client, zone, token):
    response = create(client, token(zone.stranger), zone.item, enterprise_id=zone.enterprise.pk)
    assert response.status_code == 403
    assert "不是该企业的经办人" in response.json()["detail"]
    assert not Case.objects.exists()


def test_api_create_unknown_item_is_422(client, zone, token):
    response = client.post(f"{API}/", {"item_id": 999999}, content_type="application/json",
                           headers=token(zone.applicant))
    assert response.status_code == 422 and response.json()["detail"] == "事项不存在。"


@pytest.mark.django_db(transaction=True)
def test_api_create_twins_racing_with_one_key_make_one_case(zone, token):
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing: run on PostgreSQL")
    headers = token(zone.applicant)
    responses = race(*(lambda: create(Client(), headers, zone.item, key="double-click")
                        for _ in range(2)))
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert Case.objects.filter(idempotency_key="double-click").count() == 1


def test_api_create_twins_one_by_token_one_by_session_make_one_case(client, zone, token):
    """The same person retrying through another channel (the page's session, a script's
    token) with the same key still gets the one case."""
    by_token = create(client, token(zone.applicant), zone.item, key="twin")
    session = Client()
    session.force_login(zone.applicant)
    by_session = create(session, {}, zone.item, key="twin")
    assert by_session.status_code == 200
    assert by_token.json()["id"] == by_session.json()["id"]


# --- reading -----------------------------------------------------------------------------------
def test_api_forbidden_and_missing_case_give_same_404(client, zone, submitted, token):
    for user, pk in [(zone.stranger, submitted.pk), (zone.other_reviewer, submitted.pk),
                     (zone.applicant, 999999)]:
        headers = token(user)
        for path in ("", "/status", "/documents"):
            response = client.get(f"{API}/{pk}{path}", headers=headers)
            assert response.status_code == 404
            assert response.json() == {"detail": "办件不存在。"}
        response = act(client, headers, Case(pk=pk), "accept")
        assert response.status_code == 404 and response.json() == {"detail": "办件不存在。"}
    assert reload(submitted).state == CaseState.SUBMITTED


def test_api_without_credentials_is_401(client, zone, submitted):
    assert client.get(f"{API}/{submitted.pk}/status").status_code == 401
    response = client.post(f"{API}/{submitted.pk}/submit")
    assert response.status_code == 401 and "未认证" in response.json()["detail"]


def test_api_status_during_pre_review(client, zone, freeze_today, token):
    freeze_today(dt.date(2026, 3, 2))
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(case, zone.applicant)
    case = services.case_submit(actor=zone.applicant, case_id=case.pk)
    freeze_today(dt.date(2026, 3, 5))
    body = client.get(f"{API}/{case.pk}/status", headers=token(zone.applicant)).json()
    assert body == {
        "number": case.number, "state": "submitted", "state_label": "已提交",
        "clocks": [{"name": "pre_review", "limit": 5, "used": 3, "remaining": 2,
                    "due": "2026-03-09", "colour": "green", "provisional": False}],
        "next_step": "已提交，等待窗口预审（5个工作日内）。"}


def test_api_status_after_acceptance_shows_both_clocks(client, zone, submitted, freeze_today,
                                                       token):
    freeze_today(dt.date(2026, 9, 30))
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    freeze_today(dt.date(2026, 10, 9))
    body = client.get(f"{API}/{submitted.pk}/status", headers=token(zone.clerk)).json()
    assert body["state"] == "accepted" and body["next_step"] == "待部门开始审查。"
    legal, promised = body["clocks"]
    assert (legal["name"], legal["limit"], legal["used"], legal["due"]) == \
        ("legal", 7, 2, "2026-10-15")
    assert (promised["name"], promised["used"], promised["remaining"], promised["colour"]) == \
        ("promised", 2, 0, "yellow")


def test_api_status_by_token_is_one_query_the_owner_case_and_calendar_together(
        client, zone, in_review, token, django_assert_num_queries):
    headers = token(zone.applicant)
    path = f"{API}/{in_review.pk}/status"
    client.get(path, headers=headers)  # warm the calendar; the token's last use noted
    with django_assert_num_queries(1):  # the token's owner, the case, whether it has pauses
        response = client.get(path, headers=headers)  # and the working calendar's version
    body = response.json()
    assert body["state"] == "in_review" and len(body["clocks"]) == 2
    assert CaseStatusOut.model_validate(body).model_dump(mode="json") == body  # its schema
    assert response["Content-Type"] == "application/json"


def test_api_status_by_session_reads_the_same(client, zone, in_review, token,
                                              django_assert_num_queries):
    path = f"{API}/{in_review.pk}/status"
    by_token = client.get(path, headers=token(zone.applicant)).json()
    session = Client()
    session.force_login(zone.applicant)
    assert session.get(path).json() == by_token
    session.force_login(zone.stranger)
    response = session.get(path)
    assert response.status_code == 404 and response.json() == {"detail": "办件不存在。"}


def test_api_status_refuses_a_revoked_token_or_an_inactive_owner(client, zone, submitted):
    from onewindow.accounts.services import api_token_revoke

    path = f"{API}/{submitted.pk}/status"
    revoked, key = api_token_create(actor=None, owner=zone.applicant, name="旧")
    assert client.get(path, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    api_token_revoke(actor=None, token=revoked)
    response = client.get(path, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401 and "未认证" in response.json()["detail"]
    _token, key = api_token_create(actor=None, owner=zone.applicant, name="新")
    zone.applicant.is_active = False
    zone.applicant.save(update_fields=["is_active"])
    assert client.get(path, headers={"Authorization": f"Bearer {key}"}).status_code == 401
    response = client.get(path, headers={"Authorization": "Bearer ow_wrong"})
    assert response.status_code == 401


def test_api_status_notes_the_tokens_use_once_a_minute(client, zone, submitted):
    from onewindow.accounts.models import ApiToken

    api_token, key = api_token_create(actor=None, owner=zone.applicant, name="轮询")
    path, headers = f"{API}/{submitted.pk}/status", {"Authorization": f"Bearer {key}"}
    client.get(path, headers=headers)
    first = ApiToken.objects.get(pk=api_token.pk).last_used_at
    assert first is not None
    client.get(path, headers=headers)
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at == first  # within the minute
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    client.get(path, headers=headers)
    assert ApiToken.objects.get(pk=api_token.pk).last_used_at > first


def test_api_list_shows_only_my_cases_filtered_by_state(client, zone, submitted, token):
    draft = services.case_create_draft(actor=zone.applicant, item=zone.item)
    services.case_create_draft(actor=zone.stranger, item=zone.item)
    headers = token(zone.applicant)
    body = client.get(f"{API}/", headers=headers).json()
    assert body["count"] == 2
    assert [c["id"] for c in body["items"]] == [draft.pk, submitted.pk]
    body = client.get(f"{API}/?state=submitted", headers=headers).json()
    assert [c["number"] for c in body["items"]] == [submitted.number]
    assert body["items"][0]["item_name"] == "建筑工程施工许可证核发"


def test_api_detail_hides_internal_notes_and_escalations_from_applicant(client, zone,
                                                                        in_review, token):
    clerk = token(zone.clerk)
    act(client, clerk, in_review, "note", {"text": "申请人电话难以联系"})
    act(client, clerk, in_review, "note", {"text": "请于周五前补充说明", "internal": False})
    assert CaseNote.objects.filter(case=in_review).count() == 2
    mine = client.get(f"{API}/{in_review.pk}", headers=token(zone.applicant)).json()
    assert [n["text"] for n in mine["notes"]] == ["请于周五前补充说明"]
    staff = client.get(f"{API}/{in_review.pk}", headers=clerk).json()
    assert {n["text"] for n in staff["notes"]} == {"申请人电话难以联系", "请于周五前补充说明"}
    assert mine["query_code"] == in_review.query_code
    assert [r["name"] for r in mine["requirements"]] == \
        ["建筑工程施工许可申请表", "建设工程规划许可证", "其他说明"]
    assert [r["uploaded"] for r in mine["requirements"]] == [True, True, False]


def test_api_documents_have_page_and_api_download_urls(client, zone, submitted, token):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    headers = token(zone.applicant)
    [doc] = client.get(f"{API}/{submitted.pk}/documents", headers=headers).json()
    notice = submitted.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    assert doc["kind"] == "acceptance_notice" and doc["kind_label"] == "受理通知书"
    assert doc["url"].endswith(reverse("cases:document",
                                       kwargs={"pk": submitted.pk, "document_pk": notice.pk}))
    response = client.get(doc["api_url"], headers=headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    stranger = client.get(doc["api_url"], headers=token(zone.stranger))
    assert stranger.status_code == 404
    other_case = client.get(f"{API}/{submitted.pk}/documents/999999", headers=headers)
    assert other_case.status_code == 404 and other_case.json() == {"detail": "文书不存在。"}


# --- the applicant's actions -------------------------------------------------------------------
def test_api_upload_refuses_mislabelled_file_naming_the_material(client, zone, token):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    requirement = zone.item.materials.get(name="建筑工程施工许可申请表")
    requirement.allowed_file_types = "pdf"
    requirement.save()
    headers = token(zone.applicant)
    url = f"{API}/{case.pk}/materials/{requirement.pk}"
    fake = SimpleUploadedFile("申请表.pdf", PNG, content_type="application/pdf")
    response = client.post(url, {"file": fake}, headers=headers)
    assert response.status_code == 422
    assert "建筑工程施工许可申请表" in response.json()["detail"]
    assert not case.materials.exists()
    good = SimpleUploadedFile("申请表.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"file": good}, headers=headers)
    assert response.status_code == 201
    assert response.json()["material"] == "建筑工程施工许可申请表"
    assert response.json()["content_type"] == "application/pdf"


FORM = {"title": "启明智能产业园一期", "contact_name": "李华", "contact_phone": "13812345678",
        "address": "高新区创新大道 100 号"}


def test_api_submit_checks_the_form_as_the_page_does(client, zone, token):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(case, zone.applicant)
    headers = token(zone.applicant)
    response = client.generic("POST", f"{API}/{case.pk}/submit", headers=headers)  # no body
    assert response.status_code == 422
    assert response.json()["detail"].startswith("申请表有未填或填错的内容：")
    assert "联系人（这个字段是必填项。）" in response.json()["detail"]
    response = client.post(f"{API}/{case.pk}/submit",
                           {"form_data": {**FORM, "contact_phone": "12345"}},
                           content_type="application/json", headers=headers)
    assert response.status_code == 422 and "联系电话（请填写 11 位" in response.json()["detail"]
    assert reload(case).state == CaseState.DRAFT and not reload(case).number
    assert reload(case).form_data["contact_phone"] == "12345"  # kept, as on the page


def test_api_submit_names_missing_materials_then_submits(client, zone, token):
    case = services.case_create_draft(actor=zone.applicant, item=zone.item, form_data=FORM)
    headers = token(zone.applicant)
    response = client.generic("POST", f"{API}/{case.pk}/submit", headers=headers)  # no body
    assert response.status_code == 422
    assert "建筑工程施工许可申请表、建设工程规划许可证" in response.json()["detail"]
    upload_all(case, zone.applicant)
    response = client.post(f"{API}/{case.pk}/submit", {"note": "请审核"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert response.json()["state"] == "submitted" and response.json()["number"].startswith("GX")


def test_api_withdraw_by_applicant(client, zone, submitted, token):
    response = client.post(f"{API}/{submitted.pk}/withdraw", {"reason": "不再需要"},
                           content_type="application/json", headers=token(zone.applicant))
    assert response.json()["state"] == "withdrawn"
    assert reload(submitted).withdrawn_reason == "不再需要"


# --- staff actions -----------------------------------------------------------------------------
def test_api_decide_before_any_review_opinion_is_refused_with_422(client, zone, submitted,
                                                                   token):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    services.case_start_review(actor=zone.reviewer, case_id=submitted.pk)
    response = act(client, token(zone.approver), submitted, "decide", {"decision": "approved"})
    assert response.status_code == 422
    assert response.json()["detail"] == "尚无审查意见：请先记录审查意见，再作出决定。"
    assert reload(submitted).state == CaseState.IN_REVIEW
    act(client, token(zone.reviewer), submitted, "review-step",
        {"kind": "review", "outcome": "agree", "opinion": "符合条件"})
    response = act(client, token(zone.approver), submitted, "decide", {"decision": "approved"})
    assert response.status_code == 200 and response.json()["state"] == "decided"


def test_api_staff_accept_changes_state_and_is_audited(client, zone, submitted, token):
    response = act(client, token(zone.clerk), submitted, "accept", {"note": "材料齐全"})
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    event = events_for(submitted).last()
    assert (event.action, event.actor_id, event.note) == ("case_accept", zone.clerk.pk, "材料齐全")
    assert audit_verify()[1] is None


def test_api_illegal_action_is_409_in_chinese(client, zone, submitted, token):
    assert act(client, token(zone.clerk), submitted, "accept").status_code == 200
    response = act(client, token(zone.clerk2), submitted, "accept")
    assert response.status_code == 409
    assert "已受理" in response.json()["detail"] and "不能执行“受理”" in response.json()["detail"]


def test_api_applicant_cannot_take_staff_actions(client, zone, submitted, token):
    response = act(client, token(zone.applicant), submitted, "accept")
    assert response.status_code == 403
    assert response.json()["detail"] == "您无权对该办件执行此操作。"
    assert reload(submitted).state == CaseState.SUBMITTED


def test_api_return_lists_every_fix_and_applicant_sees_them(client, zone, submitted, token):
    clerk = token(zone.clerk)
    act(client, clerk, submitted, "claim")
    req1, req2 = zone.item.materials.filter(required=True)
    response = act(client, clerk, submitted, "return", {"items": [
        {"requirement_id": req1.pk, "reason": "申请表未盖章"},
        {"requirement_id": req2.pk, "reason": "复印件不清晰"},
        {"reason": "请补充项目联系人电话"}]})
    assert response.json()["state"] == "returned"
    body = client.get(f"{API}/{submitted.pk}", headers=token(zone.applicant)).json()
    assert [(c["material"], c["reason"]) for c in body["corrections"]] == [
        ("建筑工程施工许可申请表", "申请表未盖章"), ("建设工程规划许可证", "复印件不清晰"),
        ("", "请补充项目联系人电话")]
    assert body["next_step"] == "请按一次性告知书补正全部材料后重新提交。"


def test_api_return_with_material_of_another_item_refused(client, zone, submitted, token):
    from tests.factories import MaterialRequirementFactory

    foreign = MaterialRequirementFactory()
    clerk = token(zone.clerk)
    act(client, clerk, submitted, "claim")
    response = act(client, clerk, submitted, "return",
                   {"items": [{"requirement_id": foreign.pk, "reason": "x"}]})
    assert response.status_code == 422 and "不属于该事项" in response.json()["detail"]
    assert reload(submitted).state == CaseState.PRE_REVIEW


def test_api_full_review_path_through_actions(client, zone, submitted, token):
    act(client, token(zone.clerk), submitted, "accept")
    reviewer, approver = token(zone.reviewer), token(zone.approver)
    act(client, reviewer, submitted, "start-review")
    act(client, reviewer, submitted, "review-step",
        {"kind": "review", "outcome": "agree", "opinion": "符合条件"})
    act(client, approver, submitted, "extend", {"days": 5, "reason": "需现场核查"})
    act(client, reviewer, submitted, "suspend", {"procedure": "inspection", "reason": "现场勘验"})
    act(client, reviewer, submitted, "resume")
    response = act(client, approver, submitted, "decide", {"decision": "approved"})
    assert response.json()["state"] == "decided"
    act(client, token(zone.clerk), submitted, "complete")
    response = act(client, token(zone.clerk), submitted, "deliver", {"method": "download"})
    assert response.json()["state"] == "delivered"
    case = reload(submitted)
    assert case.extension_days == 5
    assert case.documents.filter(kind=DocumentKind.CERTIFICATE).exists()


def test_api_invalid_body_is_422_from_validation(client, zone, in_review, token):
    response = act(client, token(zone.approver), in_review, "decide", {"decision": "maybe"})
    assert response.status_code == 422
    assert "decision" in response.json()["detail"]
    assert reload(in_review).state == CaseState.IN_REVIEW


def test_api_denial_without_reason_is_422_with_service_message(client, zone, in_review, token):
    response = act(client, token(zone.approver), in_review, "decide", {"decision": "denied"})
    assert response.status_code == 422
    assert response.json()["detail"] == "不予许可必须写明理由。"


# --- session authentication and the schema -----------------------------------------------------
def test_api_session_post_needs_csrf_token(zone, submitted):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(zone.clerk)
    response = browser.post(f"{API}/{submitted.pk}/actions/accept", {},
                            content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert reload(submitted).state == CaseState.SUBMITTED
    assert browser.get(f"{API}/{submitted.pk}/status").json()["state"] == "submitted"


def test_api_token_post_needs_no_csrf_token(zone, submitted, token):
    script = Client(enforce_csrf_checks=True)
    response = script.post(f"{API}/{submitted.pk}/actions/accept", {},
                           content_type="application/json", headers=token(zone.clerk))
    assert response.status_code == 200 and response.json()["state"] == "accepted"


def test_api_cases_in_openapi_with_chinese_descriptions(client):
    schema = client.get("/api/openapi.json").json()
    status = schema["paths"]["/api/cases/{case_id}/status"]["get"]
    assert status["tags"] == ["cases"] and status["summary"] == "办件状态"
    create_op = schema["paths"]["/api/cases/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create_op["parameters"])
    actions = {p for p in schema["paths"] if "/actions/" in p}
    assert actions == {f"/api/cases/{{case_id}}/actions/{slug}" for slug in ACTIONS}
    decide = schema["paths"]["/api/cases/{case_id}/actions/decide"]["post"]
    assert decide["summary"] == "作出准予或不予许可决定"

