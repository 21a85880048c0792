"""The JSON API: the same services, refusals as {"detail": …} with a 4xx."""

import json

import pytest

from onewindow.bidding import services
from onewindow.bidding.models import Score
from tests.bidding.conftest import close_with_example1
from tests.factories import UserFactory

API = "/api/bidding"


@pytest.fixture
def expert_client(client, seated):
    client.force_login(seated.seated_members[1].user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_score_enter_and_out_of_bounds(expert_client, seated):
    url = f"{API}/tenders/{seated.tender.pk}/scores"
    ok = post(expert_client, url, {"bid": seated.bids[0].pk, "criterion": seated.criteria[0].pk,
                                   "points": "33.5"})
    assert ok.status_code == 200 and ok.json()["points"] == "33.50"
    bad = post(expert_client, url, {"bid": seated.bids[0].pk,
                                    "criterion": seated.criteria[0].pk, "points": "41"})
    assert bad.status_code == 422 and "40.00" in bad.json()["detail"]
    assert Score.objects.get().points == 33.5


def test_api_stranger_gets_404(client, seated):
    client.force_login(UserFactory(role="expert"))
    response = post(client, f"{API}/tenders/{seated.tender.pk}/scores",
                    {"bid": seated.bids[0].pk, "criterion": seated.criteria[0].pk,
                     "points": "1"})
    assert response.status_code == 404 and response.json()["detail"] == "招标项目不存在。"


def test_api_anonymous_401(client, seated):
    assert client.get(f"{API}/tenders/{seated.tender.pk}/progress").status_code == 401


def test_api_progress_and_own_scores(expert_client, seated):
    services.score_enter(actor=seated.seated_members[0].user, bid=seated.bids[0],
                         criterion=seated.criteria[0], points="30")
    progress = expert_client.get(f"{API}/tenders/{seated.tender.pk}/progress").json()
    assert {m["member_id"]: m["scored"] for m in progress["members"]}[
        seated.seated_members[0].pk] == 1
    assert expert_client.get(f"{API}/tenders/{seated.tender.pk}/scores").json() == []


def test_api_close_by_non_chair_403(expert_client, seated):
    response = post(expert_client, f"{API}/tenders/{seated.tender.pk}/close", {})
    assert response.status_code == 403 and "主任" in response.json()["detail"]


def test_api_results_after_close(client, seated):
    close_with_example1(seated)
    client.force_login(seated.main_op)
    body = client.get(f"{API}/tenders/{seated.tender.pk}/results").json()
    assert [r["total"] for r in body["lots"][0]["results"]] == ["94.50", "93.91", "90.00"]


def test_api_message_and_compliance(expert_client, seated):
    assert post(expert_client, f"{API}/tenders/{seated.tender.pk}/messages",
                {"text": "开始评审"}).json()["text"] == "开始评审"
    response = post(expert_client, f"{API}/tenders/{seated.tender.pk}/compliance",
                    {"bid": seated.bids[0].pk, "passed": False})
    assert response.status_code == 422


def test_api_public_score(client, db):
    body = {"price_weight": 20, "bids": [{"id": "P1", "price": 800000, "scores": [76]},
                                         {"id": "P2", "price": 1000000, "scores": [80]}]}
    response = client.post(f"{API}/score", json.dumps(body), content_type="application/json")
    assert [r["id"] for r in response.json()["ranking"]] == ["P1", "P2"]
    bad = client.post(f"{API}/score", "{", content_type="application/json")
    assert bad.status_code == 422 and "输入格式有误" in bad.json()["detail"]


def test_api_verify_and_ocds_public_after_countersign(client, seated):
    close_with_example1(seated)
    seated.tender.refresh_from_db()
    report = services.report_create(actor=seated.main_op, tender=seated.tender)
    assert client.get(f"{API}/tenders/{seated.tender.pk}/ocds").status_code == 404
    services.report_sign(actor=seated.seated_members[0].user, report=report)
    services.report_countersign(actor=seated.main_op, report=report)
    verified = client.get(f"{API}/verify/{report.code}").json()
    assert verified["valid"] is True and len(verified["signatures"]) == 1
    package = client.get(f"{API}/tenders/{seated.tender.pk}/ocds").json()
    assert package["releases"][-1]["tag"] == ["award"]
