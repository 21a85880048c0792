"""The `seed` and `demo` management commands, and the production switch for demo users."""

from io import StringIO

import pytest
from django.core.management import call_command

from onewindow.accounts.models import User
from onewindow.catalog.models import ServiceItem
from onewindow.core.management.commands import demo
from onewindow.core.seeding import DEMO_PASSWORD, logins_table


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_command_prints_summary_and_logins():
    output = run("seed")

    assert "created   74 catalog.ServiceItem" in output
    assert f"password for every account: {DEMO_PASSWORD}" in output
    for username in ("applicant", "person", "clerk", "reviewer", "approver", "agent",
                     "supervisor", "catalogadmin", "admin"):
        assert f"\n{username} " in output
    assert "青岛启明智能科技有限公司" in output


@pytest.mark.django_db
def test_seed_command_second_run_reports_nothing_to_change():
    run("seed", "--no-logins")

    output = run("seed", "--no-logins")

    assert "nothing to change" in output
    assert "Demo logins" not in output


@pytest.mark.django_db
def test_seed_without_demo_users_when_env_says_so(monkeypatch):
    monkeypatch.setenv("ONEWINDOW_NO_DEMO_USERS", "1")

    output = run("seed")

    assert not User.objects.exists()
    assert ServiceItem.objects.count() >= 60
    assert "demo users skipped" in output
    assert "Demo users are disabled" in output
    assert DEMO_PASSWORD not in logins_table()


@pytest.mark.django_db
def test_demo_no_serve_twice_migrates_seeds_and_prints_url():
    first = run("demo", "--no-serve")
    second = run("demo", "--no-serve")

    assert "created   74 catalog.ServiceItem" in first
    assert "onewindow demo: open http://127.0.0.1:8000/" in first
    assert "nothing to change" in second
    assert "catalogadmin" in second


@pytest.mark.django_db
def test_demo_serves_static_files_when_debug_is_off(monkeypatch, settings):
    settings.DEBUG = False
    served = []
    real_call_command = demo.call_command

    def fake_call_command(name, *args, **kwargs):
        if name == "runserver":  # Django's server: recorded instead of started
            served.append(args)
            return None
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", fake_call_command)

    output = run("demo", "--addrport", "0.0.0.0:8080")

    assert served == [("0.0.0.0:8080", "--noreload", "--insecure")]
    assert "open http://127.0.0.1:8080/" in output


@pytest.mark.parametrize(
    ("addrport", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("8001", "http://127.0.0.1:8001/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("localhost:8000", "http://localhost:8000/"),
    ],
)
def test_demo_site_url_for_addrport(addrport, url):
    assert demo.site_url(addrport) == url
