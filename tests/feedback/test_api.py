import pytest
from django.test import Client

from onewindow.accounts.services import api_token_create
from onewindow.feedback.models import Rating

URL = "/api/feedback/ratings"


@pytest.fixture
def token(zone):
    return api_token_create(actor=zone.applicant, owner=zone.applicant, name="test")[1]


def post(client, token, **body):
    return client.post(URL, body, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def test_api_rating_submit_creates_then_changes(client, zone, token):
    created = post(client, token, kind="case", object_id=zone.case.pk, level=4)
    assert created.status_code == 201 and created.json()["level_label"] == "满意"
    changed = post(client, token, kind="case", object_id=zone.case.pk, level=2, comment="慢")
    body = changed.json()
    assert changed.status_code == 200 and body["rectification_state"] == "open"
    assert Rating.objects.get().channel == "api"


def test_api_rating_submit_errors_are_chinese(client, zone, token):
    response = post(client, token, kind="case", object_id=zone.case.pk, level=1)
    assert response.status_code == 422 and "原因" in response.json()["detail"]
    response = post(client, token, kind="case", object_id=999999, level=5)
    assert response.status_code == 404 and response.json()["detail"] == "没有可评价的事项。"
    response = post(client, token, kind="case", object_id=zone.case.pk, level=9)
    assert response.status_code == 422 and "请求参数有误" in response.json()["detail"]


def test_api_my_ratings_and_one(client, zone, token, rate):
    rate(5)
    auth = {"Authorization": f"Bearer {token}"}
    assert [r["level"] for r in client.get(URL, headers=auth).json()] == [5]
    one = client.get(f"{URL}/case/{zone.case.pk}", headers=auth)
    assert one.status_code == 200 and one.json()["title"].startswith(zone.case.number)
    assert client.get(f"{URL}/case/999999", headers=auth).status_code == 404


def test_api_anonymous_401_and_session_needs_csrf(zone):
    client = Client(enforce_csrf_checks=True)
    assert client.get(URL).status_code == 401
    client.force_login(zone.applicant)
    response = client.post(URL, {"kind": "case", "object_id": zone.case.pk, "level": 5},
                           content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
