"""The generated calendar against the State Council notices of 2024–2026 (and one older day).

Facts are typed from the notices, not from the packages, so a package regression shows here.
"""

import pytest

from onewindow.workdays.models import CalendarYear
from onewindow.workdays.selectors import is_working_day
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db

NOTICE_FACTS = [
    # 2024 Spring Festival: Feb 10–17 off, Sun Feb 4 and Sun Feb 18 on; 除夕 (Fri Feb 9) was
    # a working day (the notice only "encouraged" giving it off).
    ("2024-02-04", True), ("2024-02-09", True), ("2024-02-10", False), ("2024-02-17", False),
    ("2024-02-18", True),
    # 2024 National Day: Oct 1–7 off, Sun Sep 29 and Sat Oct 12 on.
    ("2024-09-29", True), ("2024-10-07", False), ("2024-10-12", True),
    # From 2025 除夕 and May 2 are statutory holidays. Spring Festival Jan 28 – Feb 4 off,
    # Sun Jan 26 and Sat Feb 8 on.
    ("2025-01-26", True), ("2025-01-27", True), ("2025-01-28", False), ("2025-02-04", False),
    ("2025-02-05", True), ("2025-02-08", True),
    # 2025 Labour Day May 1–5 off, Sun Apr 27 on; National Day + Mid-autumn Oct 1–8 off,
    # Sun Sep 28 and Sat Oct 11 on.
    ("2025-04-27", True), ("2025-05-02", False), ("2025-05-05", False), ("2025-05-06", True),
    ("2025-09-28", True), ("2025-10-08", False), ("2025-10-09", True), ("2025-10-11", True),
    # 2026: New Year Jan 1–3 off, Sun Jan 4 on; Spring Festival Feb 15–23 off, Sat Feb 14 and
    # Sat Feb 28 on (除夕 Mon Feb 16 off); Sat May 9 on; National Day Oct 1–7 off, Sun Sep 20
    # and Sat Oct 10 on.
    ("2026-01-02", False), ("2026-01-04", True), ("2026-02-14", True), ("2026-02-16", False),
    ("2026-02-23", False), ("2026-02-24", True), ("2026-02-28", True), ("2026-05-09", True),
    ("2026-09-20", True), ("2026-10-07", False), ("2026-10-08", True), ("2026-10-10", True),
    # Ordinary days.
    ("2026-03-07", False), ("2026-03-09", True),
]


@pytest.mark.parametrize(("day", "working"), NOTICE_FACTS)
def test_is_working_day_matches_notice(day, working):
    assert is_working_day(d(day)) is working


def test_is_working_day_2005_12_31_follows_notice_where_packages_disagree():
    # 国办发明电〔2005〕35号: "12月31日（星期六）上班"; chinesecalendar 1.11 has it off.
    assert is_working_day(d("2005-12-31")) is True
    assert "2005-12-31" in CalendarYear.objects.get(year=2005).notice


def test_generated_years_cover_2004_to_2026_official_and_cross_checked():
    years = CalendarYear.objects.order_by("year")
    assert [y.year for y in years] == list(range(2004, 2027))
    assert all(y.status == "official" and y.cross_checked for y in years)


def test_generated_day_names_are_chinese(calendar):
    assert calendar.day_info(d("2026-02-16")).name == "农历除夕"
    assert calendar.day_info(d("2026-02-14")).name == "春节调休上班"
