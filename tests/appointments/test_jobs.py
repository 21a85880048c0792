"""The tick job: no-shows after the slot, reminders the day before, slots ahead; idempotent."""

import datetime as dt

from django.core.management import call_command

from onewindow.appointments import clock, jobs, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.models import Booking
from onewindow.cases.models import Notification
from tests.appointments.conftest import MONDAY, slot_at


def test_tick_marks_no_show_after_slot_end_once(hall_zone, slot, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(slot.end - dt.timedelta(minutes=1))
    assert jobs.tick().no_shows == []
    at(slot.end + dt.timedelta(minutes=1))
    assert jobs.tick().no_shows == [booking.pk]
    assert Booking.objects.get(pk=booking.pk).state == BookingState.NO_SHOW
    assert jobs.tick().no_shows == []


def test_tick_leaves_checked_in_bookings(hall_zone, slot, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(slot.start - dt.timedelta(minutes=5))
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booking.pk)
    at(slot.end + dt.timedelta(hours=1))
    jobs.tick()
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CHECKED_IN


def test_tick_reminds_tomorrows_bookings_once(hall_zone, slot, at,
                                              django_capture_on_commit_callbacks):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    later = services.booking_create(actor=hall_zone.other, item=hall_zone.item,
                                    slot_id=slot_at(hall_zone.w1,
                                                    day=MONDAY + dt.timedelta(1)).pk)
    at(clock.at(MONDAY - dt.timedelta(1), dt.time(10)))  # Sunday
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.tick().reminded == [booking.pk]
        assert jobs.tick().reminded == []
    reminders = Notification.objects.filter(verb="booking_reminder")
    assert reminders.count() == 1
    assert reminders.get().user == hall_zone.applicant
    assert "明天" in reminders.get().title and "09:00" in reminders.get().body
    assert Booking.objects.get(pk=later.pk).reminded_at is None


def test_tick_reminds_again_after_change_to_another_day(hall_zone, slot, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(clock.at(MONDAY - dt.timedelta(1), dt.time(10)))
    jobs.tick()
    tuesday = slot_at(hall_zone.w1, day=MONDAY + dt.timedelta(1))
    services.booking_change(actor=hall_zone.applicant, booking_id=booking.pk,
                            slot_id=tuesday.pk)
    at(clock.at(MONDAY, dt.time(10)))
    assert jobs.tick().reminded == [booking.pk]


def test_tick_command_prints_summary(hall_zone, capsys):
    call_command("appointments", "tick")
    assert "appointments tick 2026-11-27" in capsys.readouterr().out
