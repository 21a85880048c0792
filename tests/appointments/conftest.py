"""A small hall for appointment tests: a centre with after-hours service, two windows for the
market department's item, a clerk at window 01, and the zone's clock frozen at a known time.

Monday 2026-11-30 is a working day; Friday 2026-11-27 08:00 (Asia/Shanghai) is "now" unless a
test moves the clock with `at(...)`.
"""

import datetime as dt

import pytest

from onewindow.appointments import clock
from tests.appointments.factories import SlotFactory
from tests.factories import (
    DepartmentFactory,
    ServiceHallFactory,
    ServiceItemFactory,
    UserFactory,
    WindowFactory,
)

NOW = clock.at(dt.date(2026, 11, 27), dt.time(8))
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def at(monkeypatch):
    """at(moment): set the zone's 'now' for appointments."""
    def move(moment: dt.datetime):
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment
    move(NOW)
    return move


@pytest.fixture
def hall_zone(db, at):
    dept = DepartmentFactory(code="market", name="高新区市场监督管理局")
    other = DepartmentFactory(code="tax", name="国家税务总局青岛高新区税务局")
    hall = ServiceHallFactory(code="center", name="高新区政务服务中心", offers_after_hours=True)
    w1 = WindowFactory(hall=hall, number="01", name="综合受理窗口", departments=[dept])
    w2 = WindowFactory(hall=hall, number="02", name="市场准入窗口", departments=[dept])
    w3 = WindowFactory(hall=hall, number="03", name="税务窗口", departments=[other])
    item = ServiceItemFactory(name="企业设立登记", department=dept)
    tax_item = ServiceItemFactory(name="发票领用", department=other)
    return type("HallZone", (), {
        "dept": dept, "hall": hall, "w1": w1, "w2": w2, "w3": w3, "item": item,
        "tax_item": tax_item,
        "applicant": UserFactory(username="applicant", role="applicant"),
        "other": UserFactory(username="other", role="applicant"),
        "clerk": UserFactory(username="clerk", role="window_clerk", window=w1),
        "clerk2": UserFactory(username="clerk2", role="window_clerk", window=w2),
        "stranger_clerk": UserFactory(username="farclerk", role="window_clerk"),
        "supervisor": UserFactory(username="supervisor", role="supervisor"),
    })


@pytest.fixture
def slot(hall_zone):
    """Monday 09:00–09:30 at window 01, two places."""
    return SlotFactory(window=hall_zone.w1, day=MONDAY, capacity=2)


def slot_at(window, day=MONDAY, hour=9, minute=0, capacity=2, **kwargs):
    start = clock.at(day, dt.time(hour, minute))
    return SlotFactory(window=window, day=day, start=start,
                       end=start + dt.timedelta(minutes=30), capacity=capacity, **kwargs)
