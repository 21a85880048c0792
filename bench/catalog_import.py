"""How fast are the catalog imports and the Excel export? A plain script, not a test.

    .venv/bin/python bench/catalog_import.py [--path shared/data/guangan-service-items.json]
                                             [--materials 4] [--steps 3]

It migrates a throwaway SQLite database in a temporary ONEWINDOW_VAR_DIR, then times:

- the real-catalog JSON import (1,135 items, 34 departments), first run and idempotent rerun;
- after adding synthetic materials and steps to every item, the Excel export of everything;
- importing that export again (nothing changes), with every name edited (all updated), and
  into an empty catalog (all created, one audit event per item).
"""

import argparse
import io
import tempfile
import time
from pathlib import Path

from benchenv import setup_django


def timed(label: str, run):
    started = time.perf_counter()
    result = run()
    print(f"{label:<52} {time.perf_counter() - started:7.3f} s")
    return result


def add_children(materials: int, steps: int) -> None:
    from onewindow.catalog.models import MaterialRequirement, ProcessStep, ServiceItem

    items = list(ServiceItem.objects.only("pk"))
    MaterialRequirement.objects.bulk_create(
        [MaterialRequirement(item=item, order=n, name=f"申请材料{n}", copy_count=n % 2)
         for item in items for n in range(1, materials + 1)], batch_size=1000)
    ProcessStep.objects.bulk_create(
        [ProcessStep(item=item, order=n, name=("受理", "审查", "决定", "送达")[n % 4],
                     limit_days=n) for item in items for n in range(1, steps + 1)],
        batch_size=1000)


def rename_all(data: bytes) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    for (cell,) in workbook["事项"].iter_rows(min_row=2, min_col=2, max_col=2):
        cell.value = f"{cell.value}（修订）"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=None, help="the real-catalog JSON")
    parser.add_argument("--materials", type=int, default=4, help="synthetic materials per item")
    parser.add_argument("--steps", type=int, default=3, help="synthetic steps per item")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        run(args)


def run(args) -> None:
    from onewindow.catalog.models import MaterialRequirement, ServiceItem
    from onewindow.catalog.services import catalog_import_excel, catalog_import_json
    from onewindow.catalog.transfer.writer import export_workbook, workbook_bytes

    def excel(data):
        return lambda: catalog_import_excel(actor=None, data=data, filename="bench.xlsx")

    result = timed("JSON import, first run", lambda: catalog_import_json(actor=None,
                                                                        path=args.path))
    print(f"  {result.items_created} items, {result.departments_created} departments")
    timed("JSON import, second run (nothing changes)",
          lambda: catalog_import_json(actor=None, path=args.path))
    add_children(args.materials, args.steps)
    data = timed("Excel export (items + materials + steps)", lambda: workbook_bytes(
        export_workbook()))
    print(f"  {len(data) / 1024:.0f} KiB, {ServiceItem.objects.count()} items, "
          f"{MaterialRequirement.objects.count()} materials")
    timed("Excel import of the export (nothing changes)", excel(data))
    timed("Excel import, every item renamed (all updated)", excel(rename_all(data)))
    ServiceItem.objects.all().delete()
    result = timed("Excel import into an empty catalog (all created)", excel(data))
    print(f"  {result.items_created} items, {result.materials_created} materials, "
          f"{result.steps_created} steps created")


if __name__ == "__main__":
    main()
