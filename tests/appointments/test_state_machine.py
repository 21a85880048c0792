"""Random legal and illegal moves on bookings; after every step the counts hold:
a slot's `booked` is the number of its bookings not cancelled and never above capacity, a
person has at most one active booking per item and day, and ticket numbers are unique."""

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from onewindow.appointments import clock, services
from onewindow.appointments.enums import ACTIVE_STATES, BookingState
from onewindow.appointments.errors import AppointmentError
from onewindow.appointments.models import Booking, QueueTicket, Slot
from tests.appointments.conftest import MONDAY, slot_at
from tests.factories import UserFactory


@pytest.mark.django_db
def test_booking_state_machine_keeps_counts(hall_zone, at):
    at(clock.at(MONDAY, dt.time(7)))
    zone = hall_zone

    class Bookings(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.people = [zone.applicant, zone.other, UserFactory(role="applicant")]
            self.slots = [slot_at(zone.w1, hour=9, capacity=1), slot_at(zone.w2, hour=9),
                          slot_at(zone.w1, hour=10, capacity=1),
                          slot_at(zone.w1, day=MONDAY + dt.timedelta(1), capacity=1)]

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _try(self, call):
            # A refusal is a legal outcome; the invariants say nothing was half-done.
            with contextlib.suppress(AppointmentError):
                call()

        @rule(person=st.integers(0, 2), slot=st.integers(0, 3))
        def book(self, person, slot):
            self._try(lambda: services.booking_create(
                actor=self.people[person], item=zone.item, slot_id=self.slots[slot].pk))

        @rule(person=st.integers(0, 2), slot=st.integers(0, 3), pick=st.integers(0, 5))
        def change(self, person, slot, pick):
            mine = list(Booking.objects.filter(applicant=self.people[person]).values_list(
                "pk", flat=True))
            if mine:
                self._try(lambda: services.booking_change(
                    actor=self.people[person], booking_id=mine[pick % len(mine)],
                    slot_id=self.slots[slot].pk))

        @rule(pick=st.integers(0, 20), who=st.sampled_from(["owner", "stranger"]))
        def cancel(self, pick, who):
            ids = list(Booking.objects.values_list("pk", "applicant_id"))
            if ids:
                pk, owner = ids[pick % len(ids)]
                actor = zone.applicant if who == "stranger" else Booking.objects.get(
                    pk=pk).applicant
                self._try(lambda: services.booking_cancel(actor=actor, booking_id=pk))

        @rule(pick=st.integers(0, 20))
        def check_in(self, pick):
            ids = list(Booking.objects.values_list("pk", flat=True))
            if ids:
                self._try(lambda: services.booking_check_in(actor=zone.clerk,
                                                            booking_id=ids[pick % len(ids)]))

        @rule()
        def call_next(self):
            self._try(lambda: services.queue_call_next(actor=zone.clerk))

        @rule(pick=st.integers(0, 20), serve=st.booleans())
        def finish(self, pick, serve):
            ids = list(Booking.objects.values_list("pk", flat=True))
            if ids:
                move = services.booking_serve if serve else services.booking_miss
                self._try(lambda: move(actor=zone.clerk, booking_id=ids[pick % len(ids)]))

        @invariant()
        def booked_counts_the_bookings_not_cancelled(self):
            for slot in Slot.objects.all():
                taken = slot.bookings.exclude(state=BookingState.CANCELLED).count()
                assert slot.booked == taken <= slot.capacity

        @invariant()
        def one_active_booking_per_person_item_day(self):
            active = (Booking.objects.filter(state__in=ACTIVE_STATES)
                      .values("applicant", "item", "day").annotate(n=Count("pk")))
            assert all(row["n"] == 1 for row in active)

        @invariant()
        def tickets_only_for_checked_in_bookings(self):
            assert not QueueTicket.objects.filter(
                booking__state__in=[BookingState.BOOKED, BookingState.CANCELLED]).exists()

    run_state_machine_as_test(Bookings, settings=settings(
        max_examples=25, stateful_step_count=15, deadline=None,
        suppress_health_check=list(HealthCheck)))
