"""Generation from the packages: cross-check, reviewed disagreements, idempotence."""

import datetime as dt

import chinese_calendar
import pytest

from onewindow.audit.models import AuditEvent
from onewindow.workdays.errors import CalendarMismatch, WorkdaysInputError
from onewindow.workdays.generation import generate_years, package_covered_years
from onewindow.workdays.models import CalendarDay, CalendarVersion, CalendarYear
from onewindow.workdays.services import calendar_generate, calendar_year_enter
from tests.workdays.conftest import d


def test_package_covered_years_are_2004_to_chinesecalendar_last():
    years = package_covered_years()
    assert years[0] == 2004 and years == list(range(2004, years[-1] + 1))
    assert years[-1] >= 2026


def test_generate_years_disagreement_stops_naming_dates():
    flipped = {d("2026-02-14"), d("2026-10-01")}

    def reference(day):
        return chinese_calendar.is_workday(day) != (day in flipped)

    with pytest.raises(CalendarMismatch) as info:
        generate_years([2026], reference=reference)
    assert info.value.dates == sorted(flipped)
    assert "2026-02-14" in info.value.message and "2026-10-01" in info.value.message
    assert "不一致" in info.value.message


def test_generate_years_reviewed_day_against_both_packages_stops():
    # Both packages saying "rest day" contradicts the reviewed notice: stop, do not guess.
    with pytest.raises(CalendarMismatch) as info:
        generate_years([2005], primary=lambda day: day.weekday() < 5,
                       reference=lambda day: day.weekday() < 5)
    assert d("2005-12-31") in info.value.dates


def test_generate_years_beyond_chinesecalendar_refused():
    last = package_covered_years()[-1]
    with pytest.raises(WorkdaysInputError, match=f"{last + 1}"):
        generate_years([last + 1])


def test_generate_years_2026_exceptions():
    (year,) = generate_years([2026])
    kinds = {day.date: day.kind for day in year.days}
    assert kinds[d("2026-02-14")] == "workday" and kinds[d("2026-02-16")] == "holiday"
    assert d("2026-02-15") not in kinds  # a Sunday off is no exception


@pytest.mark.django_db
def test_calendar_generate_is_idempotent():
    token = CalendarVersion.objects.get().token
    events = AuditEvent.objects.count()
    report = calendar_generate(actor=None)
    assert report.unchanged == list(range(2004, 2027)) and not report.created
    assert CalendarVersion.objects.get().token == token
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_calendar_generate_repairs_an_edited_generated_year():
    CalendarDay.objects.filter(date=d("2026-02-14")).delete()  # damage behind the service
    report = calendar_generate(actor=None, years=[2026])
    assert report.updated == [2026]
    assert CalendarDay.objects.get(date=d("2026-02-14")).kind == "workday"
    event = AuditEvent.objects.filter(action="calendar_year_generate").get()
    assert "2026-02-14" not in event.old_value["days"]
    assert "2026-02-14" in event.new_value["days"]


@pytest.mark.django_db
def test_calendar_generate_leaves_admin_years_alone_unless_replace():
    calendar_year_enter(actor=None, year=2026, status="official", days=[])
    report = calendar_generate(actor=None, years=[2026])
    assert report.skipped == [2026]
    assert not CalendarDay.objects.filter(date__year=2026).exists()
    report = calendar_generate(actor=None, years=[2026], replace=True)
    assert report.updated == [2026]
    year = CalendarYear.objects.get(year=2026)
    assert year.cross_checked and year.source == "generated"
    assert CalendarDay.objects.filter(date=dt.date(2026, 2, 14)).exists()
