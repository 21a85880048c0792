"""Appointments over HTTP, mounted at /api/appointments/ — another face of the same services.

Slots are public. Bookings need an API token (`Authorization: Bearer ow_…`) or the browser
session (unsafe methods then need the CSRF token in `X-CSRFToken`). A refused action is the
service's AppointmentError, answered as `{"detail": message}` with its status.
"""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from onewindow.appointments import selectors, services
from onewindow.appointments.conf import policy
from onewindow.appointments.errors import AppointmentError
from onewindow.catalog.models import ServiceItem
from onewindow.core.api_auth import API_AUTH
from onewindow.core.schemas import ErrorOut

AUTH = API_AUTH
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}
router = Router(tags=["appointments"])


class SlotOut(Schema):
    id: int
    start: dt.datetime
    end: dt.datetime
    hall: str = Field(..., description="大厅")
    window: str = Field(..., description="窗口号")
    window_name: str
    free: int = Field(..., description="剩余可约人数")
    after_hours: bool = Field(..., description="是否延时服务时段")


class BookIn(Schema):
    item_id: int
    slot_id: int


class ChangeIn(Schema):
    slot_id: int


class BookingOut(Schema):
    id: int
    item_id: int
    item: str
    state: str
    state_label: str
    slot: SlotOut
    ticket: str | None = Field(None, description="排队号（签到后）")


def _slot(slot) -> dict:
    return {"id": slot.pk, "start": slot.start, "end": slot.end, "hall": slot.hall.name,
            "window": slot.window.number, "window_name": slot.window.name, "free": slot.free,
            "after_hours": slot.after_hours}


def _booking(booking) -> dict:
    ticket = booking.ticket if hasattr(booking, "ticket") else None  # none before check-in
    return {"id": booking.pk, "item_id": booking.item_id, "item": booking.item.name,
            "state": booking.state, "state_label": booking.get_state_display(),
            "slot": _slot(booking.slot), "ticket": ticket.number if ticket else None}


def _run(call):
    try:
        return call()
    except AppointmentError as err:
        raise HttpError(err.status, err.message) from None


def _mine(request, booking_id: int):
    try:
        return selectors.booking_get_for_user(user=request.auth, pk=booking_id)
    except Http404:
        raise HttpError(404, _("预约不存在。")) from None


def _reload(request, booking_id: int) -> dict:
    return _booking(selectors.bookings_of(request.auth).get(pk=booking_id))


@router.get("/items/{int:item_id}/slots", response={200: list[SlotOut], 404: ErrorOut},
            auth=None, summary="事项的可预约时段", operation_id="appointments_slots")
def item_slots(request, item_id: int, days: int = 14):
    """该事项今后 `days` 天（不超过可预约天数，默认 14）内仍有余量的时段，按时间排序。"""
    item = ServiceItem.objects.filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, _("事项不存在。"))
    days = max(1, min(days, policy().booking_days))
    return [_slot(s) for s in selectors.slots_for_item(item, days=days)]


@router.get("/bookings", response=list[BookingOut], auth=AUTH, summary="我的预约",
            operation_id="appointments_mine")
def my_bookings(request):
    """当前账号的预约，新的在前（最多 100 条）。"""
    return [_booking(b) for b in selectors.bookings_of(request.auth)[:100]]


@router.post("/bookings", response={201: BookingOut, **ERRORS}, auth=AUTH, summary="预约",
             operation_id="appointments_book")
def book(request, payload: BookIn):
    """预约事项的一个时段。时段已满返回 409；当天已预约过该事项、爽约暂停等返回 409。"""
    item = ServiceItem.objects.filter(pk=payload.item_id).first()
    if item is None:
        raise HttpError(422, _("事项不存在。"))
    booking = _run(lambda: services.booking_create(actor=request.auth, item=item,
                                                   slot_id=payload.slot_id))
    return Status(201, _reload(request, booking.pk))


@router.post("/bookings/{int:booking_id}/change", response={200: BookingOut, **ERRORS},
             auth=AUTH, summary="改约", operation_id="appointments_change")
def change(request, booking_id: int, payload: ChangeIn):
    """改到同一事项的另一个时段（预约开始前的截止时间之前）。"""
    booking = _mine(request, booking_id)
    _run(lambda: services.booking_change(actor=request.auth, booking_id=booking.pk,
                                         slot_id=payload.slot_id))
    return _reload(request, booking.pk)


@router.post("/bookings/{int:booking_id}/cancel", response={200: BookingOut, **ERRORS},
             auth=AUTH, summary="取消预约", operation_id="appointments_cancel")
def cancel(request, booking_id: int):
    """取消预约（预约开始前的截止时间之前），名额立即释放。"""
    booking = _mine(request, booking_id)
    _run(lambda: services.booking_cancel(actor=request.auth, booking_id=booking.pk))
    return _reload(request, booking.pk)


@router.post("/bookings/{int:booking_id}/check-in", response={200: BookingOut, **ERRORS},
             auth=AUTH, summary="签到取号", operation_id="appointments_check_in")
def check_in(request, booking_id: int):
    """预约当天、时段开始前 60 分钟至时段结束之间签到，返回排队号（`ticket`）。"""
    booking = _mine(request, booking_id)
    _run(lambda: services.booking_check_in(actor=request.auth, booking_id=booking.pk))
    return _reload(request, booking.pk)
