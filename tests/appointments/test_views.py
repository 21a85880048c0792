"""The pages: booking page (htmx day tabs), my bookings, change, cancel, check-in, queue."""

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.appointments import clock, services
from onewindow.appointments.enums import BookingState
from onewindow.appointments.models import Booking
from tests.appointments.conftest import MONDAY, slot_at
from tests.factories import ServiceHallFactory, WindowFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def slots(hall_zone):
    return [slot_at(hall_zone.w1, hour=9), slot_at(hall_zone.w2, hour=10),
            slot_at(hall_zone.w1, day=MONDAY + dt.timedelta(1), hour=14)]


def book_url(hall_zone):
    return reverse("appointments:book", kwargs={"item_id": hall_zone.item.pk})


def test_book_page_anonymous_shows_slots_and_login_prompt(client, hall_zone, slots):
    page = client.get(book_url(hall_zone)).content.decode()
    assert "预约办理" in page and "企业设立登记" in page
    assert "09:00–09:30" in page and "01号窗口" in page
    assert "预约前请先" in page and 'name="slot"' not in page


def test_book_page_htmx_day_tab_renders_that_day_only(client, hall_zone, slots):
    tuesday = (MONDAY + dt.timedelta(1)).isoformat()
    response = client.get(book_url(hall_zone) + f"?day={tuesday}", headers=HX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="slot-picker"')
    assert "14:00–14:30" in body and "09:00–09:30" not in body


def test_book_page_post_books_and_redirects_to_mine(client, hall_zone, slots):
    client.force_login(hall_zone.applicant)
    response = client.post(book_url(hall_zone), {"slot": slots[0].pk}, follow=True)
    page = response.content.decode()
    assert "预约成功" in page and "我的预约" in page and "已预约" in page
    assert Booking.objects.get(applicant=hall_zone.applicant).slot == slots[0]


def test_book_page_post_full_slot_shows_error(client, hall_zone):
    full = slot_at(hall_zone.w1, capacity=1)
    services.booking_create(actor=hall_zone.other, item=hall_zone.item, slot_id=full.pk)
    client.force_login(hall_zone.applicant)
    response = client.post(book_url(hall_zone), {"slot": full.pk})
    assert response.status_code == 409
    assert "该时段已约满" in response.content.decode()


def test_book_page_post_without_slot_shows_error(client, hall_zone, slots):
    client.force_login(hall_zone.applicant)
    response = client.post(book_url(hall_zone), {})
    assert response.status_code == 409 and "请选择一个预约时段" in response.content.decode()


def test_book_page_unknown_item_404(client, db):
    assert client.get(reverse("appointments:book", kwargs={"item_id": 999999})).status_code == 404


def test_mine_lists_bookings_with_change_and_cancel(client, hall_zone, slots):
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slots[0].pk)
    client.force_login(hall_zone.applicant)
    page = client.get(reverse("appointments:mine")).content.decode()
    assert "企业设立登记" in page and "2026年11月30日" in page and "改约" in page
    assert "取消预约" in page


def test_change_page_moves_booking(client, hall_zone, slots):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    client.force_login(hall_zone.applicant)
    url = reverse("appointments:change", kwargs={"booking_id": booking.pk})
    assert "原预约" in client.get(url).content.decode()
    response = client.post(url, {"slot": slots[1].pk}, follow=True)
    assert "已改约" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).slot == slots[1]


def test_change_page_of_someone_else_404(client, hall_zone, slots):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    client.force_login(hall_zone.other)
    url = reverse("appointments:change", kwargs={"booking_id": booking.pk})
    assert client.get(url).status_code == 404


def test_cancel_view_cancels(client, hall_zone, slots):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    client.force_login(hall_zone.applicant)
    response = client.post(reverse("appointments:cancel", kwargs={"booking_id": booking.pk}),
                           follow=True)
    assert "预约已取消" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).state == BookingState.CANCELLED


def test_checkin_page_gives_ticket_number(client, hall_zone, slots, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    at(clock.at(MONDAY, dt.time(8, 30)))
    client.force_login(hall_zone.applicant)
    assert "签到取号" in client.get(reverse("appointments:checkin")).content.decode()
    response = client.post(reverse("appointments:checkin"), {"booking": booking.pk}, follow=True)
    page = response.content.decode()
    assert "签到成功，您的排队号是 A001" in page and "A001" in page


def test_checkin_page_without_bookings_today(client, hall_zone):
    client.force_login(hall_zone.applicant)
    assert "您今天没有预约" in client.get(reverse("appointments:checkin")).content.decode()


def test_queue_page_for_clerk_checks_in_calls_and_serves(client, hall_zone, slots, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    at(clock.at(MONDAY, dt.time(8, 50)))
    client.force_login(hall_zone.clerk)
    page = client.get(reverse("appointments:queue")).content.decode()
    assert "叫号屏" in page and "今日预约待签到（1）" in page
    action = reverse("appointments:queue_action")
    body = client.post(action, {"action": "check_in", "booking": booking.pk},
                       headers=HX).content.decode()
    assert "已签到，排队号 A001" in body and "等候中（1）" in body
    body = client.post(action, {"action": "call_next"}, headers=HX).content.decode()
    assert "已叫号 A001" in body and "办结" in body
    body = client.post(action, {"action": "serve", "booking": booking.pk},
                       headers=HX).content.decode()
    assert "已办结" in body
    assert Booking.objects.get(pk=booking.pk).state == BookingState.SERVED


def test_queue_action_call_next_when_empty_says_so(client, hall_zone, at):
    client.force_login(hall_zone.clerk)
    response = client.post(reverse("appointments:queue_action"), {"action": "call_next"},
                           headers=HX)
    assert response.status_code == 409 and "当前没有等候的群众" in response.content.decode()


def test_queue_action_bad_action_refused(client, hall_zone):
    client.force_login(hall_zone.clerk)
    response = client.post(reverse("appointments:queue_action"), {"action": "explode"},
                           headers=HX)
    assert response.status_code == 409 and "未知的操作" in response.content.decode()


def test_queue_page_for_applicant_404(client, hall_zone):
    client.force_login(hall_zone.applicant)
    assert client.get(reverse("appointments:queue")).status_code == 404


def test_item_guide_page_links_to_booking(client, hall_zone):
    page = client.get(reverse("catalog:item", kwargs={"pk": hall_zone.item.pk})).content.decode()
    assert book_url(hall_zone) in page and "预约办理" in page


def test_book_page_item_in_two_halls_offers_hall_choice(client, hall_zone, slots):
    park = ServiceHallFactory(code="park", name="生物医药产业园一站式服务大厅",
                              address="生物医药产业园综合服务楼一层", level="hall")
    far = slot_at(WindowFactory(hall=park, number="01", departments=[hall_zone.dept]), hour=11)
    page = client.get(book_url(hall_zone)).content.decode()
    assert "选择大厅" in page and "生物医药产业园一站式服务大厅" in page
    assert "09:00–09:30" in page and "11:00–11:30" not in page  # the centre first
    body = client.get(book_url(hall_zone) + f"?hall={park.pk}", headers=HX).content.decode()
    assert "11:00–11:30" in body and "09:00–09:30" not in body and "综合服务楼" in body
    assert far.hall == park


def test_home_shows_my_bookings_to_applicant_and_queue_to_clerk(client, hall_zone):
    client.force_login(hall_zone.applicant)
    assert reverse("appointments:mine") in client.get("/").content.decode()
    client.force_login(hall_zone.clerk)
    page = client.get("/").content.decode()
    assert reverse("appointments:queue") in page and "叫号屏" in page


def test_queue_page_shows_no_show_count_of_person_to_check_in(client, hall_zone, slots, at):
    past = slot_at(hall_zone.w1, day=dt.date(2026, 11, 23))
    Booking.objects.create(applicant=hall_zone.applicant, item=hall_zone.item, slot=past,
                           day=past.day, state=BookingState.NO_SHOW)
    services.booking_create(actor=hall_zone.applicant, item=hall_zone.item, slot_id=slots[0].pk)
    at(clock.at(MONDAY, dt.time(8, 50)))
    client.force_login(hall_zone.clerk)
    assert "近期爽约 1 次" in client.get(reverse("appointments:queue")).content.decode()


def test_change_page_of_cancelled_booking_redirects_with_message(client, hall_zone, slots):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slots[0].pk)
    services.booking_cancel(actor=hall_zone.applicant, booking_id=booking.pk)
    client.force_login(hall_zone.applicant)
    url = reverse("appointments:change", kwargs={"booking_id": booking.pk})
    page = client.get(url, follow=True).content.decode()
    assert "该预约当前状态为“已取消”，不能改约。" in page
