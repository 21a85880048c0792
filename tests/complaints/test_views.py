"""The pages: file (signed in, anonymous, by phone), track, mine, detail and its actions,
the workbenches with htmx filters, and the metrics page."""

import pytest
from django.test import Client

from onewindow.complaints import services
from onewindow.complaints.enums import RequestState
from onewindow.complaints.models import ServiceRequest
from tests.complaints.conftest import file, reload

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form(zone, **extra):
    return {"kind": "complaint", "category": zone.ordinary.pk, "title": "停车难",
            "description": "园区停车位不足。", **extra}


def test_new_page_shows_categories(zone):
    page = client_for().get("/complaints/new/").content.decode()
    assert "我要诉求" in page and "一般诉求" in page and "联系电话" in page


def test_new_anonymous_gets_number_and_query_code(zone, clock):
    response = client_for().post("/complaints/new/", form(zone, contact_name="李四",
                                                          contact_phone="13800000000"))
    request = ServiceRequest.objects.get()
    page = response.content.decode()
    assert request.number in page and request.query_code in page and "查询码" in page


def test_new_anonymous_without_phone_422(zone):
    response = client_for().post("/complaints/new/", form(zone, contact_name="李四"))
    assert response.status_code == 422 and 'class="form-error"' in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_new_signed_in_redirects_to_detail(zone, clock):
    response = client_for(zone.requester).post("/complaints/new/", form(zone), follow=True)
    request = ServiceRequest.objects.get()
    page = response.content.decode()
    assert request.requester == zone.requester and request.number in page and "待派单" in page


def test_new_by_clerk_is_a_phone_request(zone, clock):
    client_for(zone.clerk).post("/complaints/new/", form(zone, contact_name="李四",
                                                         contact_phone="13800000000"))
    assert ServiceRequest.objects.get().channel == "phone"


def test_track_with_code_shows_progress_not_internal(zone, dispatched):
    services.request_nudge(actor=zone.dispatcher, request_id=dispatched.pk, text="内部催办内容")
    page = client_for().post("/complaints/track/", {
        "number": dispatched.number, "query_code": dispatched.query_code}).content.decode()
    assert "已派至" in page and "内部催办内容" not in page


def test_track_wrong_code_404(zone, filed):
    response = client_for().post("/complaints/track/", {"number": filed.number,
                                                        "query_code": "XXXXXX"})
    assert response.status_code == 404 and "不正确" in response.content.decode()


def test_mine_lists_own_requests_only(zone, filed):
    assert filed.title in client_for(zone.requester).get("/complaints/mine/").content.decode()
    assert filed.title not in client_for(zone.stranger).get("/complaints/mine/").content.decode()


def test_detail_hidden_from_stranger(zone, filed):
    assert client_for(zone.stranger).get(f"/complaints/{filed.pk}/").status_code == 404


def test_detail_dispatcher_dispatches_by_form(zone, filed):
    client = client_for(zone.dispatcher)
    assert "派单" in client.get(f"/complaints/{filed.pk}/").content.decode()
    response = client.post(f"/complaints/{filed.pk}/dispatch/", {
        "lead": zone.lead.pk, "helpers": [zone.helper.pk]}, follow=True)
    assert "已派单" in response.content.decode()
    assert reload(filed).state == RequestState.DISPATCHED


def test_detail_department_accepts_and_answers(zone, dispatched):
    client = client_for(zone.lead_staff)
    assert "签收" in client.get(f"/complaints/{dispatched.pk}/").content.decode()
    client.post(f"/complaints/{dispatched.pk}/accept/")
    response = client.post(f"/complaints/{dispatched.pk}/answer/", {"text": "已答复内容"},
                           follow=True)
    assert "已答复内容" in response.content.decode()
    assert reload(dispatched).state == RequestState.ANSWERED


def test_detail_action_refused_shows_message_and_status(zone, dispatched):
    response = client_for(zone.lead_staff).post(f"/complaints/{dispatched.pk}/send-back/",
                                                {"text": ""})
    assert response.status_code == 422 and "请填写退回理由" in response.content.decode()


def test_detail_answered_offers_rating_link(zone, answered):
    page = client_for(zone.requester).get(f"/complaints/{answered.pk}/").content.decode()
    assert f"/feedback/rate/request/{answered.pk}/" in page and "评价本次服务" in page


def test_dispatch_workbench_filters_with_htmx(zone, clock):
    first = file(zone, title="甲诉求")
    file(zone, title="乙诉求", category=zone.emergency)
    client = client_for(zone.dispatcher)
    page = client.get("/complaints/dispatch/").content.decode()
    assert "甲诉求" in page and "乙诉求" in page and "<html" in page
    partial = client.get("/complaints/dispatch/", {"category": zone.ordinary.pk},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "甲诉求" in partial and "乙诉求" not in partial and "<html" not in partial
    assert first.number in partial


def test_dispatch_workbench_forbidden_for_applicant(zone):
    assert client_for(zone.requester).get("/complaints/dispatch/").status_code == 403


def test_department_workbench_shows_assigned_only(zone, dispatched, clock):
    file(zone, title="未派的诉求")
    page = client_for(zone.lead_staff).get("/complaints/department/").content.decode()
    assert dispatched.title in page and "未派的诉求" not in page


def test_metrics_page_computes_rates(zone, answered):
    page = client_for(zone.dispatcher).get("/complaints/metrics/").content.decode()
    assert zone.lead.name in page and "100.0%" in page and "响应率" in page
    assert client_for(zone.requester).get("/complaints/metrics/").status_code == 403
