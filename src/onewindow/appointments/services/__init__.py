"""Writes of appointments: schedules and slots, bookings and their moves, the tick job."""

from onewindow.appointments.services.booking import (
    booking_cancel,
    booking_change,
    booking_check_in,
    booking_create,
    booking_miss,
    booking_serve,
    queue_call_next,
)
from onewindow.appointments.services.schedule import slots_generate, window_items_set

__all__ = [
    "booking_cancel", "booking_change", "booking_check_in", "booking_create", "booking_miss",
    "booking_serve", "queue_call_next", "slots_generate", "window_items_set",
]
