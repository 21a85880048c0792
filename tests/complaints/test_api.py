"""/api/complaints/…: the same operations and permissions as the pages, Chinese errors."""

import pytest
from django.test import Client

from onewindow.accounts.services import api_token_create
from onewindow.complaints.enums import RequestState
from onewindow.complaints.models import ServiceRequest
from tests.complaints.conftest import file

pytestmark = pytest.mark.django_db
API = "/api/complaints"


def bearer(user):
    _token, key = api_token_create(actor=None, owner=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(method, path, user=None, body=None):
    client = Client()
    headers = bearer(user) if user else {}
    kwargs = {"content_type": "application/json", "data": body or {}} if method == "post" else {}
    return getattr(client, method)(f"{API}{path}", **kwargs, **headers)


def test_api_categories_public(zone):
    body = call("get", "/categories").json()
    ordinary = next(c for c in body if c["code"] == "ordinary")
    assert ordinary["closing_limit"] == 7 and ordinary["closing_unit"] == "working_days"


def test_api_file_and_follow(zone, clock):
    response = call("post", "/requests", zone.requester, {
        "category": "ordinary", "kind": "complaint", "title": "窗口态度差",
        "description": "3号窗口工作人员态度生硬。"})
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "submitted" and body["state_label"] == "待派单"
    assert len(body["query_code"]) == 6
    detail = call("get", f"/requests/{body['id']}", zone.requester).json()
    assert detail["number"] == body["number"] and detail["progress"] == []
    public = Client().post(f"{API}/track", {"number": body["number"],
                                            "query_code": body["query_code"]},
                           content_type="application/json")
    assert public.status_code == 200 and public.json()["title"] == "窗口态度差"


def test_api_file_needs_auth(zone):
    response = call("post", "/requests", None, {"category": "ordinary", "kind": "complaint",
                                               "title": "x", "description": "y"})
    assert response.status_code == 401 and "令牌" in response.json()["detail"]


def test_api_file_unknown_category_422(zone):
    response = call("post", "/requests", zone.requester, {
        "category": "nope", "kind": "complaint", "title": "x", "description": "y"})
    assert response.status_code == 422 and "类别" in response.json()["detail"]


def test_api_track_wrong_code_404(zone, clock):
    request = file(zone)
    response = Client().post(f"{API}/track", {"number": request.number, "query_code": "ZZZZZZ"},
                             content_type="application/json")
    assert response.status_code == 404 and "查询码" in response.json()["detail"]


def test_api_staff_flow_dispatch_accept_answer(zone, clock):
    request = file(zone)
    path = f"/requests/{request.pk}"
    response = call("post", f"{path}/dispatch", zone.dispatcher,
                    {"lead": "zjj", "helpers": ["scj"]})
    assert response.status_code == 200 and response.json()["lead_department"] == zone.lead.name
    assert call("post", f"{path}/accept", zone.lead_staff).json()["state"] == "accepted"
    answered = call("post", f"{path}/answer", zone.lead_staff, {"text": "已处理"}).json()
    assert answered["state"] == "answered" and answered["answer"] == "已处理"
    again = call("post", f"{path}/answer", zone.lead_staff, {"text": "再答"})
    assert again.status_code == 409 and "已答复" in again.json()["detail"]


def test_api_requester_cannot_dispatch_and_stranger_sees_404(zone, clock):
    request = file(zone)
    path = f"/requests/{request.pk}"
    refused = call("post", f"{path}/dispatch", zone.requester, {"lead": "zjj"})
    assert refused.status_code == 403 and refused.json()["detail"]
    assert call("get", path, zone.stranger).status_code == 404
    assert call("post", f"{path}/withdraw", zone.stranger, {}).status_code == 404
    assert ServiceRequest.objects.get().state == RequestState.SUBMITTED


def test_api_dispatch_unknown_department_422(zone, clock):
    request = file(zone)
    response = call("post", f"/requests/{request.pk}/dispatch", zone.dispatcher, {"lead": "x"})
    assert response.status_code == 422 and "部门" in response.json()["detail"]


def test_api_send_back_and_extension(zone, dispatched):
    path = f"/requests/{dispatched.pk}"
    extension = call("post", f"{path}/extension", zone.lead_staff,
                     {"amount": 3, "unit": "working_days", "reason": "需调查"})
    assert extension.status_code == 200
    decided = call("post", f"{path}/extension-decide", zone.dispatcher, {"approve": True})
    assert decided.json()["closing_due"] > dispatched.closing_due.isoformat()
    back = call("post", f"{path}/send-back", zone.lead_staff, {"text": ""})
    assert back.status_code == 422 and "退回理由" in back.json()["detail"]


def test_api_list_visible_only(zone, clock):
    file(zone)
    assert len(call("get", "/requests", zone.requester).json()) == 1
    assert call("get", "/requests", zone.stranger).json() == []
    assert len(call("get", "/requests", zone.dispatcher).json()) == 1


def test_api_metrics_for_dispatcher_only(zone, answered):
    body = call("get", "/metrics", zone.dispatcher).json()
    row = next(r for r in body["departments"] if r["label"] == zone.lead.name)
    assert row["total"] == 1 and row["on_time_rate"] == 100.0 and row["response_rate"] == 100.0
    assert call("get", "/metrics", zone.requester).status_code == 403
