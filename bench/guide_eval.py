"""How well and how fast does the smart guide answer? A plain script, not a test.

    .venv/bin/python bench/guide_eval.py [--misses] [--database-url postgres://…]

Two throwaway databases, one after the other: the demo catalog seeded by `onewindow seed`
(74 items, with the guide's demo synonyms and scenarios), then the real district catalog
(1,135 items, names and departments only), first without any synonym, then with the
catalog-independent everyday synonyms of guide/demo_data/common_synonyms.json. Prints top-1
and top-3 accuracy and the p50/p95 latency of a whole `guide_answer` call for
tests/guide/eval_demo.tsv and tests/guide/eval_real.tsv, plus the index build time and the
cost of the version check.
"""

import argparse
import tempfile
import time
from pathlib import Path

from benchenv import ROOT, setup_django

SETS = ROOT / "tests" / "guide"


def timed_ms(run, repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        run()
    return (time.perf_counter() - started) * 1000 / repeat


def measure(name: str, tsv: Path, by: str, show_misses: bool) -> None:
    from onewindow.guide.engine.build import build_index, catalog_version
    from onewindow.guide.evaluation import evaluate, load_cases

    result = evaluate(load_cases(tsv), by=by)
    print(result.summary(name))
    print(f"{name}: index build {timed_ms(build_index):.0f} ms, "
          f"version check {timed_ms(catalog_version, 200):.2f} ms")
    if show_misses:
        for question, got in result.misses:
            print(f"  miss: {question} → {' / '.join(got) or '(nothing)'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the questions missed")
    parser.add_argument("--database-url", help="a PostgreSQL URL (default: SQLite files)")
    parser.add_argument("--only", choices=["demo", "real", "real+common synonyms"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ow_guide_bench_") as var:
        setup_django(var, args.database_url)
        from django.db import transaction

        from onewindow.catalog.services import catalog_import_json
        from onewindow.core.seeding.runner import seed_demo
        from onewindow.guide.engine.build import HOLDER
        from onewindow.guide.seeding import seed_common_synonyms, seed_demo_guide

        runs = [("demo", SETS / "eval_demo.tsv", "basic_code",
                 lambda: (seed_demo(with_users=False), seed_demo_guide())),
                ("real", SETS / "eval_real.tsv", "name",
                 lambda: catalog_import_json(actor=None, publish=True)),
                ("real+common synonyms", SETS / "eval_real.tsv", "name",
                 lambda: (catalog_import_json(actor=None, publish=True),
                          seed_common_synonyms()))]
        for name, tsv, by, load in runs:
            if args.only and name != args.only:
                continue
            with transaction.atomic():  # each catalog alone, rolled back after its run
                load()
                HOLDER.drop()
                measure(name, tsv, by, args.misses)
                transaction.set_rollback(True)


if __name__ == "__main__":
    main()
