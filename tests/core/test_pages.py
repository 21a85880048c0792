import pytest
from django.test import Client
from django.urls import path

from onewindow import urls as root_urls

pytestmark = pytest.mark.django_db


def test_home_page_in_chinese_with_search(client):
    body = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "企业办事，一网通办" in body
    assert 'name="q"' in body


def test_pages_send_csp_without_inline_scripts(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_api_json_answers_carry_the_fixed_strict_policy_and_its_html_the_pages(client):
    answer = client.get("/api/workdays/add", {"start": "2026-03-02", "days": 1})
    assert answer["Content-Type"].startswith("application/json")
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    refused = client.get("/api/cases/1/status")  # an error is JSON too
    assert refused.status_code == 401
    assert refused.headers["Content-Security-Policy"].startswith("default-src 'none'")
    docs = client.get("/api/docs")  # the API's documentation is a page
    assert docs["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]


def test_missing_page_is_friendly_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


def test_forbidden_page_does_not_ask_a_signed_in_user_to_sign_in(rf, make_user):
    from django.contrib.auth.models import AnonymousUser

    from onewindow.core.views import permission_denied

    request = rf.get("/")
    request.user = make_user(role="applicant")
    assert "请先登录" not in permission_denied(request).content.decode()
    request.user = AnonymousUser()
    assert "请先登录" in permission_denied(request).content.decode()


def test_stale_form_token_is_a_friendly_chinese_403(make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user(role="applicant"))
    response = browser.post("/notifications/", {"notification": "all"})  # no token
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and "填写的内容没有保存" in body and "返回首页" in body
    assert 'class="site-header"' in body  # the site's own page, not Django's bare one
    assert "CSRF验证失败" not in body


def test_server_error_is_friendly_chinese_500(settings):
    root_urls.urlpatterns.append(path("boom/", _boom))
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        root_urls.urlpatterns.pop()
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务暂时不可用" in body
    assert "Traceback" not in body and "RuntimeError" not in body


def test_healthz_reports_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_api_docs_page_served_from_own_origin(client):
    response = client.get("/api/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in body
    assert "cdn." not in body  # assets are served by us, so the CSP holds


def test_media_serves_catalog_forms_only(client, settings):
    from django.conf import settings as live

    blank = live.MEDIA_ROOT / "catalog" / "templates" / "test-blank-form.pdf"
    private = live.MEDIA_ROOT / "cases" / "test-private.pdf"
    for file, content in [(blank, b"%PDF-1.4 blank form"), (private, b"%PDF-1.4 private")]:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(content)
    try:
        served = client.get("/media/catalog/templates/test-blank-form.pdf")
        assert b"blank form" in b"".join(served.streaming_content)
        assert client.get("/media/cases/test-private.pdf").status_code == 404
        traversal = client.get("/media/catalog/../cases/test-private.pdf")
        assert traversal.status_code in (400, 404)
        assert b"private" not in traversal.content
    finally:
        blank.unlink()
        private.unlink()


@pytest.mark.parametrize(("role", "label", "url"), [
    ("applicant", "我的办件", "/cases/"),
    ("window_clerk", "工作台", "/work/"),
    ("supervisor", "工作台", "/work/"),
])
def test_navigation_shows_each_role_its_place(client, make_user, role, label, url):
    client.force_login(make_user(role=role))
    body = client.get("/").content.decode()
    assert f'<a href="{url}">{label}</a>' in body
    assert "办件查询" in body


def test_navigation_for_visitor_has_no_workbench(client):
    body = client.get("/").content.decode()
    assert "工作台" not in body and "我的办件" not in body


def test_site_has_an_icon(client):
    assert 'rel="icon"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("core/favicon.svg")
