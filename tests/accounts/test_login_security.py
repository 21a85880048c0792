import pytest
from django.contrib.auth.hashers import identify_hasher

pytestmark = pytest.mark.django_db


def test_password_is_stored_with_argon2(make_user):
    user = make_user()
    assert identify_hasher(user.password).algorithm == "argon2"


def test_login_page_in_chinese_and_logs_in(client, make_user):
    user = make_user(role="window_clerk")
    page = client.get("/accounts/login/")
    assert "登录" in page.content.decode()
    response = client.post("/accounts/login/", {"username": user.username,
                                                "password": "pass-Word-123"})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "窗口人员工作台" in home


def test_login_wrong_password_says_so_in_chinese(client, make_user):
    user = make_user()
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_locks_out_after_repeated_failures(client, make_user, settings):
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": user.username,
                                              "password": "pass-Word-123"})
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
