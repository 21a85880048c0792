"""The demo seed: schedules, two weeks of slots, one booking for the demo applicant; a second
run creates nothing."""

from onewindow.appointments.enums import DayType
from onewindow.appointments.models import Booking, ScheduleRule, Slot
from onewindow.appointments.seeding import seed_demo_appointments
from tests.factories import (
    DepartmentFactory,
    ServiceHallFactory,
    ServiceItemFactory,
    UserFactory,
    WindowFactory,
)


def test_seed_demo_appointments_is_idempotent(db, at):
    market = DepartmentFactory(code="market")
    center = ServiceHallFactory(code="center", offers_after_hours=True)
    small = ServiceHallFactory(code="netvalley", offers_after_hours=False)
    WindowFactory(hall=center, number="01", departments=[market])
    WindowFactory(hall=small, number="01", departments=[market])
    ServiceItemFactory(department=market, name="企业设立登记")
    applicant = UserFactory(username="applicant", role="applicant")

    created = seed_demo_appointments()
    assert created > 0
    assert seed_demo_appointments() == 0
    assert not ScheduleRule.objects.filter(hall=small).exclude(day_type=DayType.WORKDAY).exists()
    assert ScheduleRule.objects.filter(hall=center, day_type=DayType.SATURDAY).exists()
    days = sorted(set(Slot.objects.values_list("day", flat=True)))
    assert (days[-1] - days[0]).days <= 13 and len(days) >= 9  # two weeks, minus Sundays
    booking = Booking.objects.get(applicant=applicant)
    assert booking.slot.window.hall == center and not booking.slot.after_hours
