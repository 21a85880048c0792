"""`onewindow workdays …` through Django's call_command (CommandError means exit status 1)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from onewindow.audit.models import AuditEvent
from onewindow.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_cli_add_prints_iso_date():
    assert run("add", "2026-02-13", "1") == ("2026-02-14", "")


def test_cli_add_with_pause_and_json():
    out, _err = run("add", "2026-03-02", "5", "--pause", "2026-03-03:2026-03-05", "--json")
    assert json.loads(out) == {"date": "2026-03-11", "provisional": False}


def test_cli_add_provisional_notes_on_stderr(enter_2027):
    enter_2027()
    out, err = run("add", "2026-12-20", "10")
    assert out == "2027-01-04"
    assert "暂定" in err


@pytest.mark.parametrize(("args", "message"), [
    (["add", "2026-13-01", "1"], "日期“2026-13-01”无效"),
    (["add", "2026-01-05", "ten"], "不是整数"),
    (["add", "2026-01-05", "-3"], "不能为负数"),
    (["add", "2026-12-20", "10"], "2027年的节假日安排尚未录入"),
    (["add", "2026-01-05", "3", "--pause", "2026-01-06"], "开始日期:结束日期"),
    (["import", "/nonexistent/2027.json"], "找不到文件"),
    (["generate", "--from-year", "2099"], "不能自动生成"),
])
def test_cli_bad_input_fails_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_cli_is_and_between():
    assert run("is", "2026-02-16") == ("2026-02-16 休息日 农历除夕", "")
    assert run("between", "2026-02-13", "2026-02-24")[0] == "2"


def test_cli_generate_reports_unchanged():
    out, _err = run("generate", "--from-year", "2024", "--to-year", "2026")
    assert out == "无变化：2024、2025、2026"


def test_cli_import_json_records_user(tmp_path, make_user):
    make_user(role="catalog_admin", username="cal-admin")
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({"year": 2027, "status": "provisional", "notice": "暂定", "days": [
        {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}), encoding="utf-8")
    out, _err = run("import", str(path), "--user", "cal-admin")
    assert "已导入 2027 年" in out
    year = CalendarYear.objects.get(year=2027)
    assert year.source == "file" and year.is_provisional
    assert AuditEvent.objects.for_object(year).get().actor.username == "cal-admin"
