"""Shared fixtures: users per role, and a headless Debian Chromium for browser tests."""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from onewindow.audit import triggers
from onewindow.workdays import cache
from onewindow.workdays.models import CalendarYear
from onewindow.workdays.services import calendar_generate
from tests.factories import UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Still argon2 (the stored hash says so), with the cheapest parameters: tests make users."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["tests.conftest.FastArgon2PasswordHasher"]
    _let_test_flush_empty_the_audit_trail()


def _let_test_flush_empty_the_audit_trail():
    """Transactional tests end with `flush`, which on SQLite is a DELETE that the append-only
    trigger refuses (PostgreSQL's TRUNCATE fires no row trigger). Only the test harness's flush
    lifts the guard, and puts it back at once."""
    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return original(self, **options)
        triggers.remove(connection)
        try:
            return original(self, **options)
        finally:
            triggers.install(connection)

    flush.Command.handle = handle


@pytest.fixture(autouse=True)
def _fresh_workday_calendar():
    """Each test starts and ends with no working-day calendar in this process's memory.

    pytest-django rolls the database back after a test, which no version check can see within
    the recheck window; dropping the copy keeps one test's calendar edits out of the next test.
    """
    cache.drop()
    yield
    cache.drop()


@pytest.fixture(autouse=True)
def _calendar_for_transactional_tests(request):
    """A transactional test starts from a flushed database, without the working-day calendar
    that the data migration filled: put back the years the tests use."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    if not CalendarYear.objects.exists():
        calendar_generate(actor=None, years=range(2024, 2027))


@pytest.fixture
def make_user(db):
    def make(role="applicant", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI: Debian's chromium is required for browser tests")
        pytest.skip("chromium not installed: browser test skipped")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
