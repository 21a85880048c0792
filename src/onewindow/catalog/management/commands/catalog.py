"""`onewindow catalog …`: load and save the service catalog from the command line."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.catalog.services import (
    catalog_admin_group,
    catalog_import_excel,
    catalog_import_json,
)
from onewindow.catalog.transfer.realdata import DEFAULT_JSON_PATH
from onewindow.catalog.transfer.report import ImportRejected, ImportResult, Problem
from onewindow.catalog.transfer.writer import export_workbook, template_workbook, workbook_bytes


class Command(BaseCommand):
    help = "Service catalog tools: import-json, import-excel, export-excel, template, admin-group."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        real = sub.add_parser("import-json", help="load the real district catalog (idempotent)")
        real.add_argument("path", nargs="?", type=Path, default=None,
                          help=f"JSON file (default: {DEFAULT_JSON_PATH})")
        real.add_argument("--publish", action="store_true",
                          help="publish the imported items (default: unpublished drafts)")
        excel = sub.add_parser("import-excel", help="import a workbook in the catalog format")
        excel.add_argument("path", type=Path)
        for name, text in (("export-excel", "write every item to a workbook"),
                           ("template", "write the empty template workbook")):
            sub.add_parser(name, help=text).add_argument("path", type=Path)
        sub.add_parser("admin-group", help="create or refresh the 事项管理员 permission group")

    def handle(self, *args, action, **options):
        handler = getattr(self, "do_" + action.replace("-", "_"))
        try:
            handler(**options)
        except ImportRejected as rejected:
            raise CommandError(self.format_problems(rejected.problems)) from None

    def do_import_json(self, *, path, publish, **options):
        result = catalog_import_json(actor=None, path=path, publish=publish)
        self.report(result)

    def do_import_excel(self, *, path, **options):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        self.report(catalog_import_excel(actor=None, data=data, filename=path.name))

    def do_export_excel(self, *, path, **options):
        path.write_bytes(workbook_bytes(export_workbook()))
        self.stdout.write(f"catalog written to {path}")

    def do_template(self, *, path, **options):
        path.write_bytes(workbook_bytes(template_workbook()))
        self.stdout.write(f"template written to {path}")

    def do_admin_group(self, **options):
        group = catalog_admin_group(actor=None)
        self.stdout.write(f"group {group.name}: {group.permissions.count()} permissions")

    def report(self, result: ImportResult) -> None:
        counts = ", ".join(f"{name}={value}" for name, value in result.counts().items() if value)
        self.stdout.write(f"import batch #{result.batch_id}: {counts or 'nothing to do'}")

    @staticmethod
    def format_problems(problems: list[Problem]) -> str:
        lines = [f"file rejected, nothing imported ({len(problems)} problem(s)):"]
        for p in problems:
            where = " ".join(part for part in (
                p.sheet, f"row {p.row}" if p.row else "", p.column) if part)
            lines.append(f"  {where + ': ' if where else ''}{p.message}")
        return "\n".join(lines)
