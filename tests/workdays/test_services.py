"""Entering and removing years: audit, validation, and what every process sees afterwards."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from onewindow.audit.models import AuditEvent
from onewindow.workdays import cache
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.models import CalendarDay, CalendarVersion, CalendarYear
from onewindow.workdays.selectors import add_working_days, is_working_day
from onewindow.workdays.services import DaySpec, calendar_year_delete, calendar_year_enter
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db


def test_calendar_year_enter_audits_with_actor(enter_2027, make_user):
    admin = make_user(role="catalog_admin")
    year = enter_2027(actor=admin)
    event = AuditEvent.objects.for_object(year).get()
    assert event.action == "calendar_year_enter" and event.actor == admin
    assert event.old_value is None
    assert event.new_value["status"] == "provisional"
    assert event.new_value["days"] == {"2027-01-01": "holiday 元旦"}


def test_calendar_year_enter_change_audits_old_and_new(enter_2027):
    year = enter_2027()
    calendar_year_enter(actor=None, year=2027, status="official", notice="国办发明电〔2026〕1号",
                        days=[DaySpec(d("2027-01-01"), "holiday", "元旦"),
                              DaySpec(d("2027-02-06"), "workday", "春节调休上班")])
    event = AuditEvent.objects.for_object(year).order_by("-id").first()
    assert event.old_value["status"] == "provisional" and event.new_value["status"] == "official"
    assert "2027-02-06" in event.new_value["days"]
    assert is_working_day(d("2027-02-06")) is True


def test_calendar_year_enter_unchanged_writes_nothing(enter_2027):
    enter_2027()
    token = CalendarVersion.objects.get().token
    enter_2027()
    assert CalendarVersion.objects.get().token == token
    assert AuditEvent.objects.filter(action="calendar_year_enter").count() == 1


@pytest.mark.parametrize(("days", "message"), [
    ([DaySpec(d("2027-03-02"), "workday", "")], "本来就是工作日"),
    ([DaySpec(d("2028-01-03"), "holiday", "")], "不在 2027 年内"),
    ([DaySpec(d("2027-01-01"), "holiday", ""), DaySpec(d("2027-01-01"), "workday", "")], "重复"),
    ([DaySpec(d("2027-01-01"), "party", "")], "2027-01-01"),
])
def test_calendar_year_enter_bad_day_rejects_whole_year(days, message):
    with pytest.raises(ValidationError) as info:
        calendar_year_enter(actor=None, year=2027, status="provisional", days=days)
    assert message in " ".join(info.value.messages)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.exists()


def test_calendar_year_enter_edits_official_year_clears_cross_check():
    calendar_year_enter(actor=None, year=2026, status="official",
                        days=[DaySpec(d("2026-03-02"), "holiday", "测试")])
    year = CalendarYear.objects.get(year=2026)
    assert not year.cross_checked and year.source == "notice"
    assert CalendarDay.objects.filter(date__year=2026).count() == 1
    assert is_working_day(d("2026-02-14")) is False


def test_calendar_year_delete_only_provisional(enter_2027):
    enter_2027()
    with pytest.raises(ValidationError, match="正式年度不能删除"):
        calendar_year_delete(actor=None, calendar_year=CalendarYear.objects.get(year=2026))
    calendar_year_delete(actor=None, calendar_year=CalendarYear.objects.get(year=2027))
    assert AuditEvent.objects.filter(action="calendar_year_delete").count() == 1
    with pytest.raises(CalendarNotCovered):
        add_working_days(d("2026-12-20"), 10)


# --- what other processes see -----------------------------------------------------------------

def _as_if_built_earlier(calendar):
    """Put back a copy built before the edit: what another process still holds."""
    cache._slot.calendar = calendar
    cache._slot.fresh_until = cache.time.monotonic() + cache._recheck_seconds()


def test_edit_reaches_this_process_at_once(enter_2027):
    with pytest.raises(CalendarNotCovered):
        add_working_days(d("2026-12-20"), 10)
    enter_2027()
    assert add_working_days(d("2026-12-20"), 10).provisional is True


@override_settings(WORKDAYS_RECHECK_SECONDS=3600)
def test_other_process_sees_edit_on_its_next_request(client, enter_2027):
    stale = cache.current_calendar()
    enter_2027()
    _as_if_built_earlier(stale)
    assert cache.current_calendar() is stale  # within the window, no request: not looked at
    response = client.get("/api/workdays/add", {"start": "2026-12-20", "days": 10})
    assert response.json() == {"date": "2027-01-04", "provisional": True}


@override_settings(WORKDAYS_RECHECK_SECONDS=0)
def test_other_process_sees_edit_after_recheck_window(enter_2027):
    stale = cache.current_calendar()
    enter_2027()
    _as_if_built_earlier(stale)
    assert cache.current_calendar() is not stale
    assert add_working_days(d("2026-12-20"), 10).date == dt.date(2027, 1, 4)


def test_unchanged_token_keeps_the_same_calendar():
    first = cache.current_calendar()
    cache.expire()
    assert cache.current_calendar() is first


@override_settings(WORKDAYS_RECHECK_SECONDS=3600)
def test_token_read_with_another_row_refreshes_or_keeps_the_calendar(enter_2027):
    first = cache.current_calendar()
    cache.expire()  # a new request
    cache.token_seen(first.token)  # the status endpoint read the same token with its case
    with CaptureQueriesContext(connection) as captured:
        assert cache.current_calendar() is first
    assert captured.captured_queries == []
    enter_2027()
    _as_if_built_earlier(first)
    cache.token_seen(cache.current_token())  # another process's edit, seen in the row
    assert cache.current_calendar() is not first
    assert add_working_days(d("2026-12-20"), 10).date == dt.date(2027, 1, 4)
