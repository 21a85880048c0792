"""The appointment journey in Chromium: the applicant books a slot from an item's guide page,
sees it in 我的预约, changes it to another day; on that day the clerk checks them in on the
queue screen, calls them and serves them; the applicant sees the visit done."""

import datetime as dt
from types import SimpleNamespace

import pytest

from onewindow.appointments import clock
from onewindow.appointments.enums import BookingState
from onewindow.appointments.models import Booking, QueueTicket
from tests.appointments.conftest import MONDAY, NOW, slot_at
from tests.factories import (
    DepartmentFactory,
    ServiceHallFactory,
    ServiceItemFactory,
    UserFactory,
    WindowFactory,
)

PASSWORD = "pass-Word-123"  # tests.factories.UserFactory's
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def hall(db, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    dept = DepartmentFactory(code="market", name="高新区市场监督管理局")
    center = ServiceHallFactory(code="center", name="高新区政务服务中心", offers_after_hours=True)
    window = WindowFactory(hall=center, number="01", name="综合受理窗口", departments=[dept])
    item = ServiceItemFactory(name="企业设立登记", department=dept)
    return SimpleNamespace(
        item=item, window=window,
        monday=slot_at(window, day=MONDAY, hour=9), tuesday=slot_at(window, day=TUESDAY, hour=14),
        applicant=UserFactory(username="qiming", role="applicant", last_name="李",
                              first_name="明"),
        clerk=UserFactory(username="clerk", role="window_clerk", window=window),
        move_clock=lambda moment: monkeypatch.setattr(clock, "now", lambda: moment),
    )


def open_as(browser, url, user):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp = []
    page.on("console", lambda msg: csp.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出").wait_for()
    return context, page, csp


@pytest.mark.browser
def test_appointment_journey_book_change_check_in_serve(browser, live_server, hall):
    url = live_server.url
    context, page, csp = open_as(browser, url, hall.applicant)
    # From the guide page to the booking page; the first day's slots show.
    page.goto(f"{url}/catalog/items/{hall.item.pk}/")
    page.get_by_role("link", name="预约办理").click()
    page.get_by_role("heading", level=1, name="预约办理：企业设立登记").wait_for()
    page.get_by_role("button", name="09:00–09:30").click()
    page.locator(".messages", has_text="预约成功").wait_for()
    card = page.locator(".booking-card").first
    assert "2026年11月30日" in card.inner_text() and "已预约" in card.inner_text()

    # Change it: the day tabs load by htmx; pick Tuesday 14:00.
    card.get_by_role("link", name="改约").click()
    page.get_by_role("link", name="12月1日").click()
    page.get_by_role("heading", name="2026年12月1日").wait_for()
    page.get_by_role("button", name="14:00–14:30").click()
    page.locator(".messages", has_text="已改约").wait_for()
    assert "2026年12月1日" in page.locator(".booking-card").first.inner_text()
    booking = Booking.objects.get(applicant=hall.applicant)
    assert booking.slot_id == hall.tuesday.pk

    # Tuesday, in the hall: the clerk checks them in, calls them and serves them.
    hall.move_clock(clock.at(TUESDAY, dt.time(13, 50)))
    clerk_context, desk, clerk_csp = open_as(browser, url, hall.clerk)
    desk.goto(f"{url}/appointments/queue/")
    desk.get_by_role("heading", name="今日预约待签到（1）").wait_for()
    desk.locator(f"[data-booking='{booking.pk}']").get_by_role("button", name="签到取号").click()
    desk.get_by_text("已签到，排队号 A001").wait_for()
    desk.get_by_role("button", name="叫下一位").click()
    desk.get_by_text("已叫号 A001").wait_for()
    desk.get_by_role("button", name="办结").click()
    desk.get_by_text("已办结。").wait_for()
    assert Booking.objects.get(pk=booking.pk).state == BookingState.SERVED
    assert QueueTicket.objects.get(booking=booking).served_by == hall.clerk

    page.goto(f"{url}/appointments/mine/")
    history = page.locator(".booking-card", has_text="企业设立登记")
    assert "已办理" in history.inner_text() and "A001" in history.inner_text()
    assert csp == [] and clerk_csp == []
    clerk_context.close()
    context.close()
