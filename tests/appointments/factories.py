"""Factories of the appointments models."""

import datetime as dt

import factory

from onewindow.appointments import clock
from onewindow.appointments.enums import DayType
from onewindow.appointments.models import ScheduleRule, Slot, WindowItemOverride
from tests.factories import ServiceHallFactory, WindowFactory


class ScheduleRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleRule

    hall = factory.SubFactory(ServiceHallFactory)
    day_type = DayType.WORKDAY
    start = dt.time(9)
    end = dt.time(12)
    slot_minutes = 30
    capacity = 2


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    window = factory.SubFactory(WindowFactory)
    hall = factory.LazyAttribute(lambda o: o.window.hall)
    day = dt.date(2026, 11, 30)
    start = factory.LazyAttribute(lambda o: clock.at(o.day, dt.time(9)))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=30))
    capacity = 2


class WindowItemOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WindowItemOverride

    window = factory.SubFactory(WindowFactory)
    serves = True
