"""The JSON API: slots for an item (public), book, change, cancel, my bookings."""

import datetime as dt

import pytest
from django.test import Client

from onewindow.accounts.services import api_token_create
from onewindow.appointments import clock
from onewindow.appointments.models import Booking
from tests.appointments.conftest import MONDAY, slot_at

API = "/api/appointments"


@pytest.fixture
def token(db):
    def make(user):
        _token, key = api_token_create(actor=user, owner=user, name="test")
        return {"Authorization": f"Bearer {key}"}
    return make


def test_api_slots_lists_free_slots_of_item(client, hall_zone):
    slot_at(hall_zone.w1, hour=9)
    slot_at(hall_zone.w3, hour=9)  # the tax window: another item
    data = client.get(f"{API}/items/{hall_zone.item.pk}/slots").json()
    assert [(s["window"], s["free"], s["after_hours"]) for s in data] == [("01", 2, False)]
    assert data[0]["start"].startswith("2026-11-30T01:00:00")


def test_api_slots_unknown_item_404(client, db):
    response = client.get(f"{API}/items/999999/slots")
    assert response.status_code == 404 and response.json()["detail"] == "事项不存在。"


def test_api_book_change_cancel(client, hall_zone, token):
    headers = token(hall_zone.applicant)
    first, second = slot_at(hall_zone.w1), slot_at(hall_zone.w2, day=MONDAY + dt.timedelta(1))
    response = client.post(f"{API}/bookings", {"item_id": hall_zone.item.pk,
                                               "slot_id": first.pk},
                           content_type="application/json", headers=headers)
    assert response.status_code == 201, response.json()
    booking = response.json()
    assert booking["state"] == "booked" and booking["slot"]["id"] == first.pk
    response = client.post(f"{API}/bookings/{booking['id']}/change", {"slot_id": second.pk},
                           content_type="application/json", headers=headers)
    assert response.json()["slot"]["id"] == second.pk
    listed = client.get(f"{API}/bookings", headers=headers).json()
    assert [b["id"] for b in listed] == [booking["id"]]
    response = client.post(f"{API}/bookings/{booking['id']}/cancel", headers=headers)
    assert response.json()["state"] == "cancelled"


def test_api_book_full_slot_409(client, hall_zone, token):
    full = slot_at(hall_zone.w1, capacity=1)
    for user, status in ((hall_zone.other, 201), (hall_zone.applicant, 409)):
        response = client.post(f"{API}/bookings", {"item_id": hall_zone.item.pk,
                                                   "slot_id": full.pk},
                               content_type="application/json", headers=token(user))
        assert response.status_code == status
    assert response.json() == {"detail": "该时段已约满，请选择其他时段。"}


def test_api_cancel_someone_elses_booking_404(client, hall_zone, token):
    slot = slot_at(hall_zone.w1)
    response = client.post(f"{API}/bookings", {"item_id": hall_zone.item.pk, "slot_id": slot.pk},
                           content_type="application/json", headers=token(hall_zone.applicant))
    booking_id = response.json()["id"]
    response = client.post(f"{API}/bookings/{booking_id}/cancel", headers=token(hall_zone.other))
    assert response.status_code == 404
    assert Booking.objects.get(pk=booking_id).state == "booked"


def test_api_bookings_without_auth_401(client, db):
    assert client.get(f"{API}/bookings").status_code == 401


def test_api_book_by_session_without_csrf_403(hall_zone):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(hall_zone.applicant)
    slot = slot_at(hall_zone.w1)
    response = browser.post(f"{API}/bookings", {"item_id": hall_zone.item.pk, "slot_id": slot.pk},
                            content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_api_check_in_on_the_day_returns_ticket(client, hall_zone, token, at):
    headers = token(hall_zone.applicant)
    slot = slot_at(hall_zone.w1)
    booking_id = client.post(f"{API}/bookings", {"item_id": hall_zone.item.pk,
                                                 "slot_id": slot.pk},
                             content_type="application/json", headers=headers).json()["id"]
    early = client.post(f"{API}/bookings/{booking_id}/check-in", headers=headers)
    assert early.status_code == 409 and "只能在预约当天签到" in early.json()["detail"]
    at(clock.at(MONDAY, dt.time(8, 40)))
    response = client.post(f"{API}/bookings/{booking_id}/check-in", headers=headers)
    assert response.json()["ticket"] == "A001" and response.json()["state"] == "checked_in"
