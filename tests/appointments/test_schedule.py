"""Slot generation from halls' schedules and the working-day calendar; which windows serve
which items."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from onewindow.appointments import clock, selectors, services
from onewindow.appointments.enums import DayType
from onewindow.appointments.models import Slot
from tests.appointments.conftest import MONDAY
from tests.appointments.factories import ScheduleRuleFactory, WindowItemOverrideFactory
from tests.factories import ServiceHallFactory, ServiceItemFactory, WindowFactory


@pytest.fixture
def schedule(hall_zone):
    hall = hall_zone.hall
    ScheduleRuleFactory(hall=hall, day_type=DayType.WORKDAY, start=dt.time(9), end=dt.time(12))
    ScheduleRuleFactory(hall=hall, day_type=DayType.WORKDAY, start=dt.time(17),
                        end=dt.time(19), capacity=1, after_hours=True)
    ScheduleRuleFactory(hall=hall, day_type=DayType.SATURDAY, start=dt.time(9),
                        end=dt.time(12), capacity=1, after_hours=True)
    return hall_zone


def slots_on(day):
    return Slot.objects.filter(day=day)


def test_slots_generate_working_day_cuts_rules_per_window(schedule):
    created = services.slots_generate(actor=None, start=MONDAY, days=1)
    # 3 windows × (6 daytime + 4 evening slots)
    assert created == 30
    w1 = slots_on(MONDAY).filter(window=schedule.w1).order_by("start")
    assert [s.start.astimezone(clock.zone()).strftime("%H:%M") for s in w1][:2] == ["09:00",
                                                                                  "09:30"]
    assert w1.filter(after_hours=True).count() == 4
    assert w1.filter(after_hours=True).first().capacity == 1


def test_slots_generate_second_run_creates_nothing(schedule):
    assert services.slots_generate(actor=None, start=MONDAY, days=7) > 0
    assert services.slots_generate(actor=None, start=MONDAY, days=7) == 0


def test_slots_generate_ordinary_saturday_takes_weekend_rules(schedule):
    saturday = dt.date(2026, 12, 5)
    services.slots_generate(actor=None, start=saturday, days=2)
    assert slots_on(saturday).count() == 3 * 6
    assert not slots_on(saturday + dt.timedelta(1)).exists()  # no Sunday rules
    assert all(s.after_hours for s in slots_on(saturday))


def test_slots_generate_holiday_has_none(schedule):
    services.slots_generate(actor=None, start=dt.date(2026, 10, 1), days=8)
    assert not slots_on(dt.date(2026, 10, 1)).exists()  # 国庆节
    assert not slots_on(dt.date(2026, 10, 3)).exists()  # Saturday inside the holiday
    assert slots_on(dt.date(2026, 10, 8)).exists()  # back to work


def test_slots_generate_make_up_working_saturday_takes_workday_rules(schedule):
    saturday = dt.date(2026, 10, 10)  # 国庆节调休上班
    services.slots_generate(actor=None, start=saturday, days=1)
    assert slots_on(saturday).count() == 30
    assert slots_on(saturday).filter(after_hours=False).exists()


def test_slots_generate_uncovered_year_has_none(schedule):
    assert services.slots_generate(actor=None, start=dt.date(2099, 3, 2), days=3) == 0


def test_slots_generate_skips_self_service_and_inactive_windows(schedule):
    WindowFactory(hall=schedule.hall, number="10", kind="self_service")
    WindowFactory(hall=schedule.hall, number="11", is_active=False)
    assert services.slots_generate(actor=None, start=MONDAY, days=1) == 30


def test_schedule_rule_after_hours_in_hall_without_it_refused(db):
    hall = ServiceHallFactory(offers_after_hours=False)
    rule = ScheduleRuleFactory.build(hall=hall, day_type=DayType.SATURDAY)
    with pytest.raises(ValidationError, match="未提供延时服务"):
        rule.full_clean()


def test_schedule_rule_end_before_start_refused(db):
    rule = ScheduleRuleFactory.build(hall=ServiceHallFactory(), start=dt.time(12),
                                     end=dt.time(9))
    with pytest.raises(ValidationError, match="结束时间必须晚于开始时间"):
        rule.full_clean()


def test_windows_for_item_from_departments_with_overrides(hall_zone):
    windows = set(selectors.windows_for_item(hall_zone.item))
    assert windows == {hall_zone.w1, hall_zone.w2}
    WindowItemOverrideFactory(window=hall_zone.w2, item=hall_zone.item, serves=False)
    WindowItemOverrideFactory(window=hall_zone.w3, item=hall_zone.item, serves=True)
    assert set(selectors.windows_for_item(hall_zone.item)) == {hall_zone.w1, hall_zone.w3}


def test_window_items_set_adds_and_removes(hall_zone):
    services.window_items_set(actor=None, window=hall_zone.w3, item=hall_zone.item, serves=True)
    assert hall_zone.w3 in selectors.windows_for_item(hall_zone.item)
    services.window_items_set(actor=None, window=hall_zone.w3, item=hall_zone.item,
                              serves=False)
    assert hall_zone.w3 not in selectors.windows_for_item(hall_zone.item)


def test_next_free_slot_skips_full_and_past_slots(schedule, at):
    services.slots_generate(actor=None, start=MONDAY, days=1)
    first = selectors.next_free_slot(item=schedule.item)
    assert first.start == clock.at(MONDAY, dt.time(9)) and first.hall == schedule.hall
    assert first.window in (schedule.w1, schedule.w2)
    Slot.objects.filter(start=first.start).update(booked=2)
    second = selectors.next_free_slot(item=schedule.item)
    assert second.start == clock.at(MONDAY, dt.time(9, 30))
    after = selectors.next_free_slot(item=schedule.item, after=clock.at(MONDAY, dt.time(17)))
    assert after.start == clock.at(MONDAY, dt.time(17, 30)) and after.after_hours


def test_next_free_slot_none_for_unserved_item(schedule):
    services.slots_generate(actor=None, start=MONDAY, days=1)
    assert selectors.next_free_slot(item=ServiceItemFactory()) is None


def test_slots_command_generates(schedule, capsys):
    call_command("appointments", "slots", "--start", "2026-11-30", "--days", "1")
    assert "30 slots created" in capsys.readouterr().out
