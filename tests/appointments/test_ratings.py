"""The "visit" rating subject: a served ticket, invited when served, rated by the person
served, attributed to the window and clerk that served them."""

import datetime as dt

import pytest
from django.urls import reverse

from onewindow.appointments import clock, services
from onewindow.appointments.models import QueueTicket
from onewindow.cases.models import Notification
from onewindow.feedback import subjects
from onewindow.feedback.models import Rating, RatingInvitation
from onewindow.feedback.services import rating_submit
from tests.appointments.conftest import MONDAY


@pytest.fixture
def served(hall_zone, slot, at, django_capture_on_commit_callbacks):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(clock.at(MONDAY, dt.time(8, 50)))
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booking.pk)
    services.queue_call_next(actor=hall_zone.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_serve(actor=hall_zone.clerk, booking_id=booking.pk)
    return QueueTicket.objects.get(booking=booking)


def test_serve_invites_the_person_served_to_rate(hall_zone, served):
    invitation = RatingInvitation.objects.get(kind="visit", object_id=served.pk)
    assert invitation.user == hall_zone.applicant and "A001" in invitation.title
    note = Notification.objects.get(user=hall_zone.applicant, verb="rating_invite")
    assert note.link == reverse("feedback:rate", kwargs={"kind": "visit", "object_id": served.pk})


def test_visit_subject_resolves_window_clerk_department(hall_zone, served):
    subject = subjects.resolve("visit", hall_zone.applicant, served.pk)
    assert subject.obj == served and subject.window == hall_zone.w1
    assert subject.clerk == hall_zone.clerk and subject.department == hall_zone.dept
    assert subjects.resolve("visit", hall_zone.other, served.pk) is None


def test_visit_subject_not_served_is_none(hall_zone, slot, at):
    booking = services.booking_create(actor=hall_zone.applicant, item=hall_zone.item,
                                      slot_id=slot.pk)
    at(clock.at(MONDAY, dt.time(8, 50)))
    services.booking_check_in(actor=hall_zone.applicant, booking_id=booking.pk)
    ticket = QueueTicket.objects.get(booking=booking)
    assert subjects.resolve("visit", hall_zone.applicant, ticket.pk) is None


def test_visit_rated_shows_on_my_bookings(client, hall_zone, served):
    subject = subjects.resolve("visit", hall_zone.applicant, served.pk)
    rating_submit(actor=hall_zone.applicant, subject=subject, level=5)
    rating = Rating.objects.get(rater=hall_zone.applicant)
    assert (rating.window, rating.clerk) == (hall_zone.w1, hall_zone.clerk)
    client.force_login(hall_zone.applicant)
    page = client.get(reverse("appointments:mine")).content.decode()
    assert "您的评价：非常满意" in page


def test_visit_not_yet_rated_my_bookings_offers_rating(client, hall_zone, served):
    client.force_login(hall_zone.applicant)
    page = client.get(reverse("appointments:mine")).content.decode()
    assert "评价本次服务" in page
    assert reverse("feedback:rate", kwargs={"kind": "visit", "object_id": served.pk}) in page


def test_feedback_rate_page_for_visit_shows_the_visit(client, hall_zone, served):
    client.force_login(hall_zone.applicant)
    url = reverse("feedback:rate", kwargs={"kind": "visit", "object_id": served.pk})
    page = client.get(url).content.decode()
    assert "A001" in page and "企业设立登记" in page
    client.force_login(hall_zone.other)
    assert client.get(url).status_code == 404
