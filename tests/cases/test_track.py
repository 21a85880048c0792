"""Tracking a case by its number and query code, without an account."""

import pytest
from django.urls import reverse

from onewindow.cases import services
from tests.cases.conftest import reload

pytestmark = pytest.mark.django_db

WRONG = "办件编号或查询码不正确"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def track(client, number, code):
    return client.post(reverse("cases:track"), {"number": number, "query_code": code})


def test_track_page_shows_the_form(client):
    page = client.get(reverse("cases:track")).content.decode()
    assert "办件查询" in page and 'name="number"' in page and 'name="query_code"' in page


def test_track_right_code_shows_state_dates_clocks_and_next_step(client, zone, in_review,
                                                                freeze_today):
    case = reload(in_review)
    freeze_today(case.accepted_on)
    response = track(client, case.number, case.query_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert case.number in page and "建筑工程施工许可证核发" in page
    assert "审查中" in page and "部门审查中" in page
    assert f"截止 {case.promised_due:%Y-%m-%d}" in page and "剩余 2 个工作日" in page
    assert f"{case.accepted_on:%Y-%m-%d}" in page


def test_track_shows_no_personal_data_and_no_documents(client, zone, in_review):
    case = reload(in_review)
    page = track(client, case.number, case.query_code).content.decode()
    assert "青岛****有限公司" in page
    assert "青岛启明智能科技有限公司" not in page
    assert str(zone.applicant) not in page
    assert "/documents/" not in page


def test_track_accepts_lower_case_and_spaces(client, submitted):
    page = track(client, f" {submitted.number.lower()} ", submitted.query_code.lower())
    assert submitted.number in page.content.decode() and page.status_code == 200


def test_track_wrong_code_and_wrong_number_get_the_same_message(client, submitted):
    wrong_code = track(client, submitted.number, "ZZZZZZ")
    wrong_number = track(client, "GX2099999999", submitted.query_code)
    for response in (wrong_code, wrong_number):
        page = response.content.decode()
        assert response.status_code == 404
        assert WRONG in page
        assert "建筑工程施工许可证核发" not in page


def test_track_withdrawn_case_says_so(client, zone, submitted):
    services.case_withdraw(actor=zone.applicant, case_id=submitted.pk)
    page = track(client, submitted.number, submitted.query_code).content.decode()
    assert "已撤回" in page


def test_track_empty_form_asks_for_both(client):
    response = client.post(reverse("cases:track"), {})
    assert response.status_code == 422
    assert response.content.decode().count("这个字段是必填项") == 2
