"""GET /api/guide/search, POST /api/guide/chat and /rate: public, rate-limited, never a 500."""

import pytest

from onewindow.guide.models import Channel, QueryLog, RateCounter
from tests.factories import ServiceItemFactory
from tests.guide.zone import small_zone

pytestmark = pytest.mark.django_db


def chat(client, message, state=""):
    return client.post("/api/guide/chat", {"message": message, "state": state},
                       content_type="application/json")


def test_search_returns_ranked_items_with_scores_and_reasons(client):
    zone = small_zone()
    response = client.get("/api/guide/search", {"q": "施工许可证怎么办", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "found"
    assert len(body["items"]) <= 2
    first = body["items"][0]
    assert first["id"] == zone.permit.pk and first["name"] == "建筑工程施工许可证核发"
    assert first["score"] > 0 and first["reasons"]
    assert first["guide_url"] == f"/catalog/items/{zone.permit.pk}/"
    assert first["apply_url"] == f"/cases/apply/{zone.permit.pk}/"
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert QueryLog.objects.get(public_id=body["log_id"]).channel == Channel.API


@pytest.mark.parametrize("q, kind", [("", "empty"), ("？" * 30, "unclear"),
                                     ("开" * 2000, "too_long")])
def test_search_odd_questions_answer_200_with_a_message(client, q, kind):
    small_zone()
    body = client.get("/api/guide/search", {"q": q}).json()
    assert body["kind"] == kind and body["message"] and body["items"] == []


def test_search_bad_limit_is_422_in_chinese(client):
    response = client.get("/api/guide/search", {"q": "施工", "limit": 500})
    assert response.status_code == 422
    assert "请求参数有误" in response.json()["detail"]


def test_search_rate_limit_answers_429(client, settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 3
    small_zone()
    codes = [client.get("/api/guide/search", {"q": "施工许可"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/guide/search", {"q": "施工许可"})
    assert "频繁" in response.json()["detail"]
    assert RateCounter.objects.get().hits == 3  # a refused request is not counted


def test_chat_follow_up_narrows_to_the_person(client):
    small_zone()
    first = chat(client, "营业执照怎么办").json()
    assert first["follow_up"]["slot"] == "audience"
    assert "个人" in first["reply"] and first["turn"] == 1
    second = chat(client, "个人", first["state"]).json()
    assert second["items"][0]["name"] == "个体工商户设立登记"
    assert all(i["name"] != "企业设立登记" for i in second["items"])
    assert second["turn"] == 2 and second["follow_up"] is None


def test_chat_department_answer_narrows(client):
    zone = small_zone()
    ServiceItemFactory(name="户外广告设置审批", department=zone.housing)
    ServiceItemFactory(name="户外广告发布登记", department=zone.market)
    first = chat(client, "户外广告").json()
    assert first["follow_up"]["slot"] == "department"
    second = chat(client, "住建局", first["state"]).json()
    assert [i["name"] for i in second["items"]] == ["户外广告设置审批"]


def test_chat_tampered_state_starts_over(client):
    small_zone()
    body = chat(client, "施工许可", "not-a-signed-token").json()
    assert body["turn"] == 1 and body["items"]


def test_chat_empty_message_asks_for_more(client):
    response = chat(client, "")
    assert response.status_code == 200
    assert "请告诉我" in response.json()["reply"]


def test_rate_once_then_409(client):
    small_zone()
    log_id = client.get("/api/guide/search", {"q": "施工许可"}).json()["log_id"]
    ok = client.post("/api/guide/rate", {"log_id": log_id, "rating": -1},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["rating"] == -1
    again = client.post("/api/guide/rate", {"log_id": log_id, "rating": 1},
                        content_type="application/json")
    assert again.status_code == 409 and "评价过" in again.json()["detail"]
    assert QueryLog.objects.get(public_id=log_id).rating == -1


@pytest.mark.parametrize("log_id, rating, status", [("nonsense", 1, 404),
                                                    ("0" * 32, 1, 404)])
def test_rate_unknown_log_is_404(client, log_id, rating, status):
    response = client.post("/api/guide/rate", {"log_id": log_id, "rating": rating},
                           content_type="application/json")
    assert response.status_code == status and response.json()["detail"]


def test_rate_bad_value_is_400(client):
    small_zone()
    log_id = client.get("/api/guide/search", {"q": "施工许可"}).json()["log_id"]
    response = client.post("/api/guide/rate", {"log_id": log_id, "rating": 5},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_openapi_documents_the_guide_operations(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/guide/search", "/api/guide/chat", "/api/guide/rate"} <= set(paths)


def test_chat_new_question_keeps_who_is_asking(client):
    small_zone()
    first = chat(client, "我是个人，想办营业执照").json()
    assert first["items"][0]["name"] == "个体工商户设立登记"
    second = chat(client, "营业执照怎么办", first["state"]).json()
    assert second["follow_up"] is None  # already known: a person
    assert second["items"][0]["name"] == "个体工商户设立登记"


def test_chat_rate_limited_is_429(client, settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 1
    assert chat(client, "施工").status_code == 200
    response = chat(client, "施工")
    assert response.status_code == 429 and "频繁" in response.json()["detail"]
