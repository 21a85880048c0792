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


def test_missing_page_is_friendly_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


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
