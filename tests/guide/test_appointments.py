"""Each answer offers the next free appointment for items that can be booked at a window
(through the appointments app's `next_free_slot` selector and its booking page)."""

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.appointments import clock
from tests.appointments.factories import SlotFactory
from tests.factories import WindowFactory
from tests.guide.zone import small_zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit_slot():
    zone = small_zone()
    window = WindowFactory()
    window.departments.add(zone.housing)
    day = clock.today() + dt.timedelta(days=2)
    slot = SlotFactory(window=window, day=day, start=clock.at(day, dt.time(9)))
    return zone, slot


def test_api_search_offers_the_next_free_slot(client, permit_slot):
    zone, slot = permit_slot
    body = client.get("/api/guide/search", {"q": "施工许可证"}).json()
    first = body["items"][0]
    assert first["id"] == zone.permit.pk
    assert first["appointment_url"] == reverse("appointments:book",
                                               kwargs={"item_id": zone.permit.pk})
    assert dt.datetime.fromisoformat(first["next_free_slot"]) == slot.start


def test_page_links_to_booking_with_the_slot_time(client, permit_slot):
    zone, slot = permit_slot
    html = client.get("/guide/", {"q": "施工许可证"}).content.decode()
    assert reverse("appointments:book", kwargs={"item_id": zone.permit.pk}) in html
    assert "预约到窗口办理" in html and "最近可预约" in html


def test_item_without_windows_has_no_appointment(client, permit_slot):
    body = client.get("/api/guide/search", {"q": "食品经营许可"}).json()
    assert body["items"][0]["appointment_url"] is None
    assert body["items"][0]["next_free_slot"] is None
