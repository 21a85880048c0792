"""A clerk filters the queue with htmx (no reload), claims a case and returns it, in Chromium."""

import datetime as dt

import pytest
from django.test import Client

from onewindow.cases.enums import CaseState
from onewindow.cases.models import Case
from tests.cases.conftest import reload
from tests.cases.test_workbench import TODAY, new_case, set_pre_review


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clerk_filters_claims_and_returns_in_browser(page, live_server, zone, freeze_today):
    freeze_today(TODAY)
    late, fresh = new_case(zone), new_case(zone)
    # Due today: yellow, and still the window's to return (past it, Art. 32 deems it accepted).
    set_pre_review(late, dt.date(2026, 3, 3), TODAY)
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    log_in(page, live_server, zone.clerk)

    page.goto(f"{live_server.url}/work/")
    queue = page.locator("#queue")
    assert late.number in queue.inner_text() and fresh.number in queue.inner_text()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("时限").select_option("yellow")
    page.locator("#queue", has_text="共 1 件").wait_for()
    assert fresh.number not in queue.inner_text()
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the table only
    assert "colour=yellow" in page.url

    page.get_by_role("button", name="承办").click()
    page.get_by_text("已承办，开始预审。").wait_for()
    assert page.evaluate("window.notReloaded") is True  # the case page swapped in (hx-boost)
    assert page.url.endswith(f"/work/cases/{late.pk}/")
    page.locator("summary", has_text="退回补正（一次性告知）").click()
    page.get_by_role("button", name="退回补正（一次性告知）").click()  # nothing listed: 422
    page.get_by_text("请至少列出一项需补正的内容，并一次告知全部问题。").wait_for()
    assert page.evaluate("window.notReloaded") is True  # the refusal swapped in, too
    assert reload(late).state == CaseState.PRE_REVIEW
    requirement = zone.item.materials.filter(required=True).first()
    page.get_by_label(requirement.name, exact=True).check()
    page.locator(f"#return-reason_{requirement.pk}").fill("申请表未加盖公章")
    page.get_by_role("button", name="退回补正（一次性告知）").click()
    page.get_by_text("已退回补正，一次性告知书已生成。").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert reload(late).state == CaseState.RETURNED
    assert Case.objects.get(pk=fresh.pk).state == CaseState.SUBMITTED
    assert csp_errors == []
