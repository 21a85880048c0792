"""Entering a year in the admin: inline days, audit, validation, deletion rules."""

import pytest
from django.urls import reverse

from onewindow.audit.models import AuditEvent
from onewindow.workdays.models import CalendarYear
from onewindow.workdays.selectors import add_working_days
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    user = make_user(role="system_admin", is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def year_form(year, status, rows, **extra):
    data = {"year": str(year), "status": status, "notice": "暂定安排",
            "days-TOTAL_FORMS": str(len(rows)), "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0", "days-MAX_NUM_FORMS": "1000", **extra}
    for i, (day, kind, name) in enumerate(rows):
        data |= {f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name}
    return data


def test_admin_changelist_lists_years(admin_client):
    response = admin_client.get(reverse("admin:workdays_calendaryear_changelist"))
    assert response.status_code == 200
    assert "2026" in response.content.decode() and "2004" in response.content.decode()


def test_admin_enters_provisional_year_audited(admin_client):
    url = reverse("admin:workdays_calendaryear_add")
    response = admin_client.post(url, year_form(2027, "provisional", [
        ("2027-01-01", "holiday", "元旦"), ("2027-02-20", "workday", "春节调休上班")]))
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.is_provisional and year.source == "notice"
    event = AuditEvent.objects.for_object(year).get()
    assert event.actor == admin_client.user and "2027-02-20" in event.new_value["days"]
    assert add_working_days(d("2026-12-20"), 10) == (d("2027-01-04"), True)


def test_admin_rejects_workday_on_weekday_writes_nothing(admin_client):
    url = reverse("admin:workdays_calendaryear_add")
    response = admin_client.post(url, year_form(2027, "provisional", [
        ("2027-03-02", "workday", "")]))
    assert response.status_code == 200
    assert "本来就是工作日" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_edit_removes_a_day(admin_client, enter_2027):
    year = enter_2027()
    day = year.days.get()
    url = reverse("admin:workdays_calendaryear_change", args=[year.pk])
    data = year_form(2027, "provisional", [], **{
        "days-TOTAL_FORMS": "1", "days-INITIAL_FORMS": "1", "days-0-id": str(day.pk),
        "days-0-calendar_year": str(year.pk), "days-0-date": "2027-01-01",
        "days-0-kind": "holiday", "days-0-name": "元旦", "days-0-DELETE": "on"})
    data.pop("year")
    assert admin_client.post(url, data).status_code == 302
    assert not year.days.exists()
    assert add_working_days(d("2026-12-31"), 1).date == d("2027-01-01")


def test_admin_official_year_cannot_be_deleted(admin_client, enter_2027):
    official = CalendarYear.objects.get(year=2026)
    url = reverse("admin:workdays_calendaryear_delete", args=[official.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    provisional = enter_2027()
    url = reverse("admin:workdays_calendaryear_delete", args=[provisional.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert AuditEvent.objects.filter(action="calendar_year_delete").exists()
