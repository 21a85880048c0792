"""Book, change, cancel: capacity, one booking per person/item/day, cut-off, no-show block."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from onewindow.appointments import clock, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.errors import (
    AppointmentForbidden,
    BookingRefused,
    IllegalMove,
    SlotFull,
)
from onewindow.appointments.models import Booking, Slot
from onewindow.audit.models import AuditEvent
from onewindow.cases.models import Notification
from tests.appointments.conftest import MONDAY, slot_at
from tests.factories import UserFactory


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_booking_create_takes_a_place_and_audits(hall_zone, slot,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                          slot_id=slot.pk)
    assert booking.state == BookingState.BOOKED and booking.day == MONDAY
    assert reload(slot).booked == 1
    assert AuditEvent.objects.filter(action="booking.book", object_id=str(booking.pk)).exists()
    note = Notification.objects.get(user=hall_zone.applicant, verb="booking_created")
    assert "企业设立登记" in note.title and "01号窗口" in note.body


def test_booking_create_when_slot_full_refuses(hall_zone):
    full = slot_at(hall_zone.w1, capacity=1)
    services.booking_create(actor=hall_zone.other, item=hall_zone.item, slot_id=full.pk)
    with pytest.raises(SlotFull):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=full.pk)
    assert reload(full).booked == 1
    assert not Booking.objects.filter(applicant=hall_zone.applicant).exists()


def test_booking_create_twice_same_item_same_day_refuses(hall_zone, slot):
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)
    later = slot_at(hall_zone.w2, hour=10)
    with pytest.raises(BookingRefused, match="每人每天每个事项只能预约一次"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=later.pk)
    assert reload(later).booked == 0


def test_booking_create_other_day_or_other_item_allowed(hall_zone, slot):
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)
    tuesday = slot_at(hall_zone.w1, day=MONDAY + dt.timedelta(1))
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=tuesday.pk)
    tax = slot_at(hall_zone.w3)
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.tax_item, slot_id=tax.pk)
    assert Booking.objects.filter(applicant=hall_zone.applicant).count() == 3


def test_booking_create_after_cancel_same_day_allowed(hall_zone, slot):
    first = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                    slot_id=slot.pk)
    services.booking_cancel(actor=hall_zone.applicant, booking_id=first.pk)
    again = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                    slot_id=slot.pk)
    assert again.pk != first.pk and reload(slot).booked == 1


def test_booking_create_at_window_not_serving_item_refuses(hall_zone):
    tax_window = slot_at(hall_zone.w3)
    with pytest.raises(BookingRefused, match="不办理此事项"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                slot_id=tax_window.pk)


def test_booking_create_for_past_slot_refuses(hall_zone, at):
    past = slot_at(hall_zone.w1, day=dt.date(2026, 11, 26))
    with pytest.raises(BookingRefused, match="已开始或已过去"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=past.pk)


def test_booking_create_beyond_horizon_refuses(hall_zone, settings):
    settings.APPOINTMENTS_BOOKING_DAYS = 2
    far = slot_at(hall_zone.w1, day=MONDAY + dt.timedelta(7))
    with pytest.raises(BookingRefused, match="2天内"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=far.pk)


def test_booking_create_by_staff_refuses(hall_zone, slot):
    with pytest.raises(AppointmentForbidden):
        services.booking_create(actor=hall_zone.clerk, item=hall_zone.item, slot_id=slot.pk)


def test_booking_create_item_without_appointments_refuses(hall_zone, slot):
    hall_zone.item.appointment_supported = False
    hall_zone.item.save()
    with pytest.raises(BookingRefused, match="不办理此事项"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)


def test_booking_change_moves_the_place(hall_zone, slot):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    other = slot_at(hall_zone.w2, day=MONDAY + dt.timedelta(1), hour=14)
    changed = services.booking_change(actor=hall_zone.applicant, booking_id=booking.pk,
                                      slot_id=other.pk)
    assert changed.slot_id == other.pk and changed.day == other.day
    assert (reload(slot).booked, reload(other).booked) == (0, 1)
    event = AuditEvent.objects.get(action="booking.change", object_id=str(booking.pk))
    assert event.new_value["from_slot"] == slot.pk


def test_booking_change_to_full_slot_keeps_the_old_place(hall_zone, slot):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    full = slot_at(hall_zone.w1, hour=10, capacity=1)
    services.booking_create(actor=hall_zone.other, item=hall_zone.item, slot_id=full.pk)
    with pytest.raises(SlotFull):
        services.booking_change(actor=hall_zone.applicant, booking_id=booking.pk,
                                slot_id=full.pk)
    assert reload(booking).slot_id == slot.pk
    assert (reload(slot).booked, reload(full).booked) == (1, 1)


def test_booking_change_by_someone_else_refuses(hall_zone, slot):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    other = slot_at(hall_zone.w1, hour=10)
    with pytest.raises(AppointmentForbidden):
        services.booking_change(actor=hall_zone.other, booking_id=booking.pk, slot_id=other.pk)


def test_booking_cancel_releases_the_place(hall_zone, slot):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    cancelled = services.booking_cancel(actor=hall_zone.applicant, booking_id=booking.pk)
    assert cancelled.state == BookingState.CANCELLED and reload(slot).booked == 0
    with pytest.raises(IllegalMove):
        services.booking_cancel(actor=hall_zone.applicant, booking_id=booking.pk)
    assert reload(slot).booked == 0


def test_booking_cancel_after_cutoff_refuses(hall_zone, slot, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(slot.start - dt.timedelta(minutes=59))
    with pytest.raises(BookingRefused, match="不足60分钟"):
        services.booking_cancel(actor=hall_zone.applicant, booking_id=booking.pk)
    assert reload(booking).state == BookingState.BOOKED and reload(slot).booked == 1


def test_booking_cancel_cutoff_is_a_setting(hall_zone, slot, at, settings):
    settings.APPOINTMENTS_CANCEL_CUTOFF_MINUTES = 10
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(slot.start - dt.timedelta(minutes=30))
    services.booking_cancel(actor=hall_zone.applicant, booking_id=booking.pk)
    assert reload(slot).booked == 0


def _no_shows(user, hall_zone, n, first_day=dt.date(2026, 11, 2)):
    """n past bookings marked no-show on working days from first_day (slots end 09:30)."""
    for i in range(n):
        day = first_day + dt.timedelta(i)
        past = slot_at(hall_zone.w1, day=day)
        Booking.objects.create(applicant=user, item=hall_zone.item, slot=past, day=day,
                               state=BookingState.NO_SHOW)


def test_booking_create_after_three_no_shows_blocked(hall_zone, slot):
    _no_shows(hall_zone.applicant, hall_zone, 3)
    with pytest.raises(BookingRefused, match="2026年12月4日前暂停网上预约"):
        services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)
    assert reload(slot).booked == 0


def test_booking_create_after_two_no_shows_allowed(hall_zone, slot):
    _no_shows(hall_zone.applicant, hall_zone, 2)
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)


def test_booking_create_when_block_expired_allowed(hall_zone, slot, at):
    _no_shows(hall_zone.applicant, hall_zone, 3)
    at(clock.at(dt.date(2026, 12, 4), dt.time(9, 31)))
    later = slot_at(hall_zone.w1, day=dt.date(2026, 12, 7))
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=later.pk)


def test_booking_create_no_show_rule_is_a_setting(hall_zone, slot, settings):
    settings.APPOINTMENTS_NO_SHOW_LIMIT = 5
    _no_shows(hall_zone.applicant, hall_zone, 3)
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)


def test_booking_create_old_no_shows_do_not_count(hall_zone, slot):
    _no_shows(hall_zone.applicant, hall_zone, 3, first_day=dt.date(2026, 8, 3))
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slot.pk)


def test_slot_booked_never_exceeds_capacity_in_the_database(hall_zone, slot):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=3)


def test_booking_many_people_fill_exactly_capacity(hall_zone):
    small = slot_at(hall_zone.w1, capacity=3)
    people = [UserFactory(role="applicant") for _ in range(5)]
    outcomes = []
    for person in people:
        try:
            outcomes.append(services.booking_create(actor=person, item=hall_zone.item,
                                                    slot_id=small.pk))
        except SlotFull as exc:
            outcomes.append(exc)
    assert sum(isinstance(o, Booking) for o in outcomes) == 3
    assert reload(small).booked == 3
