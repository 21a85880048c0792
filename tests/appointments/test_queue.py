"""Check in (queue ticket), call next, serve, miss: in the hall on the day."""

import datetime as dt

import pytest

from onewindow.appointments import clock, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.errors import AppointmentForbidden, BookingRefused, IllegalMove
from onewindow.appointments.models import QueueTicket
from onewindow.audit.models import AuditEvent
from tests.appointments.conftest import MONDAY, slot_at
from tests.factories import UserFactory


@pytest.fixture
def booked(hall_zone, slot):
    return services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                   slot_id=slot.pk)


def on_monday(at, hour=8, minute=45):
    return at(clock.at(MONDAY, dt.time(hour, minute)))


def test_check_in_by_applicant_gives_ticket_a001(hall_zone, booked, at):
    on_monday(at)
    done = services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    assert done.state == BookingState.CHECKED_IN
    ticket = QueueTicket.objects.get(booking=booked)
    assert (ticket.number, ticket.day, ticket.hall_id) == ("A001", MONDAY, hall_zone.hall.pk)


def test_check_in_numbers_count_up_per_hall_and_day(hall_zone, at):
    on_monday(at)
    numbers = []
    for hour in (9, 10, 11):
        person = UserFactory(role="applicant")
        slot = slot_at(hall_zone.w1, hour=hour)
        at(clock.at(MONDAY, dt.time(8)))
        booking = services.booking_create(actor=person, item=hall_zone.item, slot_id=slot.pk)
        services.booking_check_in(actor=hall_zone.clerk, booking_id=booking.pk)
        numbers.append(booking.ticket.number)
    assert numbers == ["A001", "A002", "A003"]
    tuesday = MONDAY + dt.timedelta(1)
    slot = slot_at(hall_zone.w1, day=tuesday, hour=17, after_hours=True)
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(clock.at(tuesday, dt.time(16, 30)))
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booking.pk)
    assert QueueTicket.objects.get(booking=booking).number == "Y001"  # after-hours, a new day


def test_check_in_too_early_by_applicant_refuses(hall_zone, booked, at):
    on_monday(at, hour=7, minute=59)
    with pytest.raises(BookingRefused, match="前60分钟内"):
        services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    assert not QueueTicket.objects.exists()


def test_check_in_on_another_day_refuses(hall_zone, booked):
    with pytest.raises(BookingRefused, match="只能在预约当天签到"):
        services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)


def test_check_in_late_by_clerk_allowed(hall_zone, booked, at):
    on_monday(at, hour=15)
    services.booking_check_in(actor=hall_zone.clerk, booking_id=booked.pk)
    assert QueueTicket.objects.get(booking=booked).number == "A001"


def test_check_in_by_clerk_of_another_hall_refuses(hall_zone, booked, at):
    on_monday(at)
    with pytest.raises(AppointmentForbidden):
        services.booking_check_in(actor=hall_zone.stranger_clerk, booking_id=booked.pk)


def test_check_in_twice_refuses(hall_zone, booked, at):
    on_monday(at)
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    with pytest.raises(IllegalMove):
        services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    assert QueueTicket.objects.count() == 1


def test_call_next_calls_own_window_first_then_serve(hall_zone, at):
    on_monday(at, hour=8)
    early_other = services.booking_create(
        actor=hall_zone.other, item=hall_zone.item, slot_id=slot_at(hall_zone.w2, hour=9).pk)
    mine = services.booking_create(
        actor=hall_zone.applicant, item=hall_zone.item,
        slot_id=slot_at(hall_zone.w1, hour=9, minute=30).pk)
    for booking in (early_other, mine):
        services.booking_check_in(actor=hall_zone.clerk, booking_id=booking.pk)
    called = services.queue_call_next(actor=hall_zone.clerk)
    assert called.pk == mine.pk and called.state == BookingState.CALLED
    assert called.ticket.window_id == hall_zone.w1.pk
    served = services.booking_serve(actor=hall_zone.clerk, booking_id=mine.pk)
    ticket = QueueTicket.objects.get(booking=mine)
    assert served.state == BookingState.SERVED and ticket.served_by == hall_zone.clerk
    assert ticket.served_at is not None
    # Own window empty: the other window's ticket for an item this window serves is next.
    assert services.queue_call_next(actor=hall_zone.clerk).pk == early_other.pk
    assert services.queue_call_next(actor=hall_zone.clerk) is None
    actions = set(AuditEvent.objects.filter(object_id=str(mine.pk),
                                            object_type="appointments.booking")
                  .values_list("action", flat=True))
    assert {"booking.book", "booking.check_in", "booking.call", "booking.serve"} <= actions


def test_call_next_skips_items_the_window_does_not_serve(hall_zone, at):
    on_monday(at, hour=8)
    tax = services.booking_create(actor=hall_zone.applicant, item=hall_zone.tax_item,
                                  slot_id=slot_at(hall_zone.w3).pk)
    services.booking_check_in(actor=hall_zone.clerk, booking_id=tax.pk)
    assert services.queue_call_next(actor=hall_zone.clerk) is None


def test_call_next_by_clerk_without_window_refuses(hall_zone):
    nowhere = UserFactory(role="window_clerk")
    with pytest.raises(AppointmentForbidden):
        services.queue_call_next(actor=nowhere)


def test_serve_before_call_refuses(hall_zone, booked, at):
    on_monday(at)
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    with pytest.raises(IllegalMove):
        services.booking_serve(actor=hall_zone.clerk, booking_id=booked.pk)


def test_serve_by_applicant_refuses(hall_zone, booked, at):
    on_monday(at)
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    services.queue_call_next(actor=hall_zone.clerk)
    with pytest.raises(AppointmentForbidden):
        services.booking_serve(actor=hall_zone.applicant, booking_id=booked.pk)


def test_miss_counts_as_no_show(hall_zone, booked, at):
    on_monday(at)
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booked.pk)
    services.queue_call_next(actor=hall_zone.clerk)
    missed = services.booking_miss(actor=hall_zone.clerk, booking_id=booked.pk)
    assert missed.state == BookingState.NO_SHOW
