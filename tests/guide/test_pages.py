"""The guide page, the click-through, the rating and the administrators' review list."""

import pytest
from django.urls import reverse

from onewindow.guide.models import QueryLog, Rating
from tests.guide.factories import QueryLogFactory
from tests.guide.zone import small_zone

pytestmark = pytest.mark.django_db


def test_guide_page_without_question_shows_examples(client):
    response = client.get("/guide/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "智能导办" in html and "我想开一家饭店要办什么证" in html
    assert "guide/guide.js" in html and "大字模式" in html


def test_guide_page_answers_with_items_reasons_and_links(client):
    zone = small_zone()
    response = client.get("/guide/", {"q": "施工许可证"})
    html = response.content.decode()
    log = QueryLog.objects.get()
    assert "建筑工程施工许可证核发" in html and "名称含" in html
    assert reverse("guide:go", args=[log.public_id, zone.permit.pk]) in html
    assert "在线申请" in html and "这个回答有帮助吗" in html
    assert log.result_ids[0] == zone.permit.pk


def test_guide_page_htmx_returns_the_answer_partial(client):
    small_zone()
    response = client.get("/guide/", {"q": "施工许可证"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="guide-answer"')
    assert "<html" not in html and "建筑工程施工许可证核发" in html


def test_guide_page_follow_up_links_narrow_the_question(client):
    small_zone()
    html = client.get("/guide/", {"q": "营业执照"}).content.decode()
    assert "您是以企业（单位）还是个人身份办理？" in html
    assert "audience=person" in html
    narrowed = client.get("/guide/", {"q": "营业执照", "audience": "person"}).content.decode()
    assert "个体工商户设立登记" in narrowed and "已按您的选择缩小范围" in narrowed


@pytest.mark.parametrize("q, text", [("", "请告诉我您想办什么事"), ("@@@###", "请再多说一点"),
                                     ("办" * 2000, "您的问题有点长")])
def test_guide_page_odd_questions_are_answered_politely(client, q, text):
    response = client.get("/guide/", {"q": q})
    assert response.status_code == 200
    assert text in response.content.decode()


def test_guide_page_rate_limited_shows_429_message(client, settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 1
    small_zone()
    client.get("/guide/", {"q": "施工"})
    response = client.get("/guide/", {"q": "施工"})
    assert response.status_code == 429
    assert "您提问太频繁了" in response.content.decode()


def test_go_records_the_click_and_opens_the_guide(client):
    zone = small_zone()
    client.get("/guide/", {"q": "施工许可证"})
    log = QueryLog.objects.get()
    response = client.get(reverse("guide:go", args=[log.public_id, zone.permit.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:item", args=[zone.permit.pk])
    log.refresh_from_db()
    assert log.clicked_item == zone.permit and log.clicked_at is not None
    apply = client.get(reverse("guide:go", args=[log.public_id, zone.permit.pk]),
                       {"to": "apply"})
    assert apply["Location"] == reverse("cases:apply", args=[zone.permit.pk])


def test_go_to_an_item_not_in_the_answer_is_404(client):
    zone = small_zone()
    client.get("/guide/", {"q": "施工许可证"})
    log = QueryLog.objects.get()
    assert zone.company.pk not in log.result_ids
    response = client.get(reverse("guide:go", args=[log.public_id, zone.company.pk]))
    assert response.status_code == 404


def test_rate_from_the_page_thanks_once(client):
    small_zone()
    client.get("/guide/", {"q": "施工许可证"})
    log = QueryLog.objects.get()
    url = reverse("guide:rate", args=[log.public_id])
    first = client.post(url, {"rating": "-1"}, headers={"HX-Request": "true"})
    assert "谢谢反馈" in first.content.decode()
    second = client.post(url, {"rating": "1"}, headers={"HX-Request": "true"})
    assert "评价过了" in second.content.decode()
    log.refresh_from_db()
    assert log.rating == Rating.BAD


def test_review_lists_unclicked_and_bad_questions_for_catalog_admins(client, make_user):
    QueryLogFactory(query="开个小馆子", top_score=0)
    QueryLogFactory(query="开个小馆子", top_score=0)
    QueryLogFactory(query="施工许可", rating=Rating.BAD, top_score=10)
    zone = small_zone()
    QueryLogFactory(query="食品许可", clicked_item=zone.food, top_score=10)
    client.force_login(make_user(role="catalog_admin"))
    html = client.get("/guide/review/").content.decode()
    assert "开个小馆子" in html and "施工许可" in html
    assert "食品许可" not in html
    assert "/admin/guide/synonym/add/?phrase=" in html


def test_review_is_refused_to_others(client, make_user):
    assert client.get("/guide/review/").status_code == 302
    client.force_login(make_user(role="applicant"))
    assert client.get("/guide/review/").status_code == 403


def test_navigation_has_the_guide_link(client):
    assert "/guide/" in client.get("/").content.decode()


def test_guide_page_rate_limited_htmx_shows_the_message_in_place(client, settings):
    settings.GUIDE_RATE_LIMIT_PER_MINUTE = 1
    small_zone()
    client.get("/guide/", {"q": "施工"})
    response = client.get("/guide/", {"q": "施工"}, headers={"HX-Request": "true"})
    assert response.status_code == 200  # htmx would not swap a 429
    assert "您提问太频繁了" in response.content.decode()
