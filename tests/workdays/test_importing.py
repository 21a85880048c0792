"""Reading a year from JSON or CSV: a bad row rejects the whole file, in Chinese."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from onewindow.audit.models import AuditEvent
from onewindow.workdays.importing import parse_csv, parse_json, read_calendar_file
from onewindow.workdays.models import CalendarYear
from tests.workdays.conftest import d

CSV_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-06,放假,春节
2027-02-20,上班,春节调休上班
"""


def test_parse_csv_reads_days_and_kind_aliases():
    imported = parse_csv(CSV_2027, year=None, status="official")
    assert imported.year == 2027
    assert [(s.date, s.kind) for s in imported.days] == [
        (d("2027-01-01"), "holiday"), (d("2027-02-06"), "holiday"), (d("2027-02-20"), "workday")]


def test_parse_csv_bad_rows_named_by_line():
    text = CSV_2027 + "2027-02-30,holiday,\n2027-03-01,vacation,\n"
    with pytest.raises(ValidationError) as info:
        parse_csv(text, year=2027, status="official")
    messages = info.value.messages
    assert any(m.startswith("第 5 行") and "2027-02-30" in m for m in messages)
    assert any(m.startswith("第 6 行") and "vacation" in m for m in messages)


def test_parse_csv_without_status_or_header_refused():
    with pytest.raises(ValidationError, match="official"):
        parse_csv(CSV_2027, year=None, status=None)
    with pytest.raises(ValidationError, match="表头"):
        parse_csv("2027-01-01,holiday,元旦\n", year=None, status="official")


def test_parse_json_date_outside_year_refused():
    data = {"year": 2027, "status": "provisional",
            "days": [{"date": "2026-12-31", "kind": "holiday", "name": ""}]}
    with pytest.raises(ValidationError, match="第 1 条：2026-12-31 不在 2027 年内"):
        parse_json(json.dumps(data))


def test_parse_json_malformed_refused():
    with pytest.raises(ValidationError, match="JSON"):
        parse_json("{year: 2027")
    with pytest.raises(ValidationError, match="days"):
        parse_json('{"year": 2027}')


def test_read_calendar_file_accepts_gb18030_csv(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_bytes(CSV_2027.encode("gb18030"))
    imported = read_calendar_file(path, status="provisional")
    assert imported.days[1].name == "春节"


@pytest.mark.django_db
def test_import_command_bad_row_writes_nothing(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027 + "2027-03-02,workday,\n", encoding="utf-8")  # a Tuesday
    with pytest.raises(CommandError, match="第 5 行：2027-03-02 是周一至周五"):
        call_command("workdays", "import", str(path), "--status", "official")
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_import_command_csv_enters_year(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    call_command("workdays", "import", str(path), "--status", "official",
                 "--notice", "国办发明电〔2026〕1号")
    year = CalendarYear.objects.get(year=2027)
    assert year.days.count() == 3 and year.notice == "国办发明电〔2026〕1号"
