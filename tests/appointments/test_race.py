"""Two people taking the last place of a slot at the same moment: exactly one gets it.

PostgreSQL: two real connections, the slot's row lock (select_for_update) makes the second
wait and then see the slot full. SQLite: the project's IMMEDIATE transactions take the write
lock at BEGIN, so the second waits for the first to commit (or, on the test's in-memory shared
cache, is refused with "locked"): either way one booking, never two.
"""

import datetime as dt
import threading

import pytest
from django.db import OperationalError, connection, connections

from onewindow.appointments import clock, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.errors import BookingRefused, SlotFull
from onewindow.appointments.models import Booking, QueueTicket, Slot
from onewindow.audit.selectors import audit_verify
from tests.appointments.conftest import MONDAY, slot_at
from tests.factories import UserFactory


def race(*calls):
    """Run the calls in threads (each with its own database connection) released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Exception as exc:  # the loser's error is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _loser_errors():
    if connection.vendor == "postgresql":
        return (SlotFull,)
    return (SlotFull, OperationalError)


@pytest.mark.django_db(transaction=True)
def test_booking_race_for_last_place_exactly_one_wins(hall_zone):
    last = slot_at(hall_zone.w1, capacity=2)
    services.booking_create(actor=UserFactory(role="applicant"), item=hall_zone.item,
                            slot_id=last.pk)
    outcomes = race(
        lambda: services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                        slot_id=last.pk),
        lambda: services.booking_create(actor=hall_zone.other, item=hall_zone.item,
                                        slot_id=last.pk),
    )
    winners = [o for o in outcomes if isinstance(o, Booking)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], _loser_errors()), losers
    assert Slot.objects.get(pk=last.pk).booked == 2
    assert Booking.objects.filter(slot=last).count() == 2
    if connection.vendor == "postgresql":
        assert losers[0].message == "该时段已约满，请选择其他时段。"
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_booking_race_change_and_book_into_last_place_exactly_one_wins(hall_zone):
    start = slot_at(hall_zone.w1, hour=9, capacity=1)
    last = slot_at(hall_zone.w1, hour=10, capacity=1)
    mine = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                   slot_id=start.pk)
    outcomes = race(
        lambda: services.booking_change(actor=hall_zone.applicant, booking_id=mine.pk,
                                        slot_id=last.pk),
        lambda: services.booking_create(actor=hall_zone.other, item=hall_zone.item,
                                        slot_id=last.pk),
    )
    assert sum(isinstance(o, Booking) for o in outcomes) == 1, outcomes
    assert Slot.objects.get(pk=last.pk).booked == 1
    assert Booking.objects.filter(slot=last).count() == 1
    moved = Booking.objects.get(pk=mine.pk).slot_id == last.pk
    assert Slot.objects.get(pk=start.pk).booked == (0 if moved else 1)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing for row locks: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_check_in_race_gives_distinct_ticket_numbers(postgres_only, hall_zone, at):
    first = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                    slot_id=slot_at(hall_zone.w1).pk)
    second = services.booking_create(actor=hall_zone.other, item=hall_zone.item,
                                     slot_id=slot_at(hall_zone.w2).pk)
    at(clock.at(MONDAY, dt.time(8, 45)))
    outcomes = race(
        lambda: services.booking_check_in(actor=hall_zone.applicant, booking_id=first.pk),
        lambda: services.booking_check_in(actor=hall_zone.other, booking_id=second.pk),
    )
    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    numbers = sorted(QueueTicket.objects.values_list("number", flat=True))
    assert numbers == ["A001", "A002"]


@pytest.mark.django_db(transaction=True)
def test_call_next_race_two_windows_never_call_the_same_ticket(postgres_only, hall_zone, at):
    bookings = [services.booking_create(actor=person, item=hall_zone.item,
                                        slot_id=slot_at(hall_zone.w1, hour=9 + i).pk)
                for i, person in enumerate((hall_zone.applicant, hall_zone.other))]
    at(clock.at(MONDAY, dt.time(8, 45)))
    for booking in bookings:
        services.booking_check_in(actor=hall_zone.clerk, booking_id=booking.pk)
    outcomes = race(lambda: services.queue_call_next(actor=hall_zone.clerk),
                    lambda: services.queue_call_next(actor=hall_zone.clerk2))
    assert all(isinstance(o, Booking) for o in outcomes), outcomes
    assert {o.pk for o in outcomes} == {b.pk for b in bookings}
    assert Booking.objects.filter(state=BookingState.CALLED).count() == 2
    # Nobody left: a third call finds no one.
    assert services.queue_call_next(actor=hall_zone.clerk) is None


@pytest.mark.django_db(transaction=True)
def test_same_person_two_slots_same_day_at_once_one_booking(postgres_only, hall_zone):
    nine, ten = slot_at(hall_zone.w1, hour=9), slot_at(hall_zone.w2, hour=10)
    outcomes = race(*(lambda s=s: services.booking_create(actor=hall_zone.applicant,
                                                          item=hall_zone.item, slot_id=s.pk)
                      for s in (nine, ten)))
    assert sum(isinstance(o, Booking) for o in outcomes) == 1, outcomes
    loser = next(o for o in outcomes if isinstance(o, Exception))
    assert isinstance(loser, BookingRefused) and "只能预约一次" in loser.message
    assert Booking.objects.filter(applicant=hall_zone.applicant).count() == 1
    assert Slot.objects.get(pk=nine.pk).booked + Slot.objects.get(pk=ten.pk).booked == 1
