"""GET /api/workdays/…: results and the 422 cases, in Chinese."""

import pytest

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    return client.get(f"/api/workdays/{path}", params)


def test_api_add_returns_date_and_provisional(client):
    response = get(client, "add", start="2026-02-13", days=1)
    assert response.status_code == 200
    assert response.json() == {"date": "2026-02-14", "provisional": False}


def test_api_add_into_provisional_year(client, enter_2027):
    enter_2027()
    response = get(client, "add", start="2026-12-20", days=10)
    assert response.json() == {"date": "2027-01-04", "provisional": True}


@pytest.mark.parametrize(("params", "message"), [
    ({"start": "2026-13-01", "days": 1}, "日期“2026-13-01”无效"),
    ({"start": "20260105", "days": 1}, "YYYY-MM-DD"),
    ({"start": "2026-01-05", "days": -1}, "工作日天数不能为负数"),
    ({"start": "2026-12-20", "days": 10}, "2027年的节假日安排尚未录入，无法计算期限"),
    ({"start": "2026-01-05", "days": "x"}, "请求参数有误：days"),
    ({"start": "2026-01-05"}, "请求参数有误：days"),
])
def test_api_add_bad_input_is_422_in_chinese(client, params, message):
    response = get(client, "add", **params)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_api_between_counts_after_start_up_to_end(client):
    response = get(client, "between", start="2026-02-13", end="2026-02-24")
    assert response.json() == {"days": 2, "provisional": False}
    assert get(client, "between", start="2026-12-01", end="2027-01-05").status_code == 422


def test_api_is_working_day_names_the_day(client):
    body = get(client, "is-working-day", date="2026-02-14").json()
    assert body == {"date": "2026-02-14", "working": True, "provisional": False,
                    "kind": "workday", "name": "春节调休上班"}
    assert get(client, "is-working-day", date="2026-02-16").json()["working"] is False


def test_api_workdays_in_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/workdays/add", "/api/workdays/between", "/api/workdays/is-working-day"} <= set(
        paths)
    assert paths["/api/workdays/add"]["get"]["tags"] == ["workdays"]
