"""`onewindow workdays …`: deadline arithmetic and calendar upkeep from the shell.

    onewindow workdays add 2026-02-13 1 [--pause 2026-02-24:2026-02-26] [--json]
    onewindow workdays between 2026-02-13 2026-03-02
    onewindow workdays is 2026-02-14
    onewindow workdays years
    onewindow workdays generate [--from-year 2004] [--to-year 2026] [--replace]
    onewindow workdays import FILE [--year 2027 --status provisional --notice …]

Results go to stdout (dates in ISO form); notes and errors, in Chinese, to stderr. Bad input
exits with status 1.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from onewindow.workdays.enums import YearSource
from onewindow.workdays.errors import WorkdaysError
from onewindow.workdays.importing import parse_iso_date, read_calendar_file
from onewindow.workdays.selectors import (
    add_working_days,
    calendar_year_list,
    day_info,
    span_is_provisional,
    working_days_between,
)
from onewindow.workdays.services import calendar_generate, calendar_year_enter


class Command(BaseCommand):
    help = "Working days: add, between, is, years, generate, import (see docs/workdays.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the Nth working day after a date (not counted)")
        add.add_argument("start")
        add.add_argument("days")
        add.add_argument("--pause", action="append", default=[], metavar="FROM:TO",
                         help="working days d with FROM < d <= TO do not count; repeatable")
        add.add_argument("--json", action="store_true", dest="as_json",
                         help="print {date, provisional}")
        between = sub.add_parser("between", help="working days d with START < d <= END")
        between.add_argument("start")
        between.add_argument("end")
        between.add_argument("--pause", action="append", default=[], metavar="FROM:TO")
        sub.add_parser("is", help="is this date a working day?").add_argument("date")
        sub.add_parser("years", help="the covered years and their status")
        gen = sub.add_parser("generate", help="(re)generate years from the packages; idempotent")
        gen.add_argument("--from-year", type=int)
        gen.add_argument("--to-year", type=int)
        gen.add_argument("--replace", action="store_true",
                         help="also overwrite years an administrator entered")
        gen.add_argument("--user", help="username recorded in the audit trail")
        imp = sub.add_parser("import", help="enter one year from a JSON or CSV file")
        imp.add_argument("file")
        imp.add_argument("--year", type=int)
        imp.add_argument("--status", choices=["official", "provisional"])
        imp.add_argument("--notice", default="")
        imp.add_argument("--user", help="username recorded in the audit trail")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "do_" + action)(**options)
        except WorkdaysError as exc:
            raise CommandError(exc.message) from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None

    def do_add(self, *, start, days, pause, as_json: bool, **_options):
        deadline = add_working_days(parse_iso_date(start), _whole_number(days), _pauses(pause))
        if as_json:
            self.stdout.write(_dumps({"date": deadline.date.isoformat(),
                                      "provisional": deadline.provisional}))
            return
        self.stdout.write(deadline.date.isoformat())
        if deadline.provisional:
            self.stderr.write(_provisional_note())

    def do_between(self, *, start, end, pause, **_options):
        first, last = parse_iso_date(start), parse_iso_date(end)
        self.stdout.write(str(working_days_between(first, last, _pauses(pause))))
        if span_is_provisional(first, last):
            self.stderr.write(_provisional_note())

    def do_is(self, *, date, **_options):
        info = day_info(parse_iso_date(date))
        verdict = _("工作日") if info.working else _("休息日")
        self.stdout.write(f"{info.date.isoformat()} {verdict} {info.name}".rstrip())
        if info.provisional:
            self.stderr.write(_provisional_note())

    def do_years(self, **_options):
        for year in calendar_year_list():
            checked = _("已核对") if year.cross_checked else _("未核对")
            self.stdout.write(f"{year.year} {year.get_status_display()} "
                              f"{year.get_source_display()} {checked}")

    def do_generate(self, *, from_year, to_year, replace, user, **_options):
        years = None
        if from_year or to_year:
            years = range(from_year or to_year, (to_year or from_year) + 1)
        report = calendar_generate(actor=_actor(user), years=years, replace=replace)
        for label, found in [(_("新建"), report.created), (_("更新"), report.updated),
                             (_("无变化"), report.unchanged),
                             (_("跳过（管理员录入，未加 --replace）"), report.skipped)]:
            if found:
                self.stdout.write(f"{label}：{_years_text(found)}")

    def do_import(self, *, file, year, status, notice, user, **_options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        imported = read_calendar_file(path, year=year, status=status, notice=notice)
        saved = calendar_year_enter(
            actor=_actor(user), year=imported.year, status=imported.status,
            notice=imported.notice, days=imported.days, source=YearSource.FILE)
        self.stdout.write(_("已导入 %(year)s 年：%(n)s 个日期，状态：%(status)s") % {
            "year": saved.year, "n": len(imported.days), "status": saved.get_status_display()})


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(_("天数“%(value)s”不是整数") % {"value": text}) from None


def _pauses(specs: list[str]) -> list:
    pauses = []
    for spec in specs:
        first, sep, last = spec.partition(":")
        if not sep:
            raise CommandError(_("暂停区间“%(value)s”应写作 开始日期:结束日期") % {"value": spec})
        pauses.append((parse_iso_date(first), parse_iso_date(last)))
    return pauses


def _actor(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("用户“%(name)s”不存在") % {"name": username})
    return user


def _years_text(years: list[int]) -> str:
    return "、".join(str(y) for y in years)


def _provisional_note() -> str:
    return _("注意：所涉年度的节假日安排是暂定的（国务院通知尚未录入），通知录入后须重新计算。")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
