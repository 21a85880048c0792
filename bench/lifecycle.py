"""Full case lifecycles per second and transitions per second, through the real services.

    .venv/bin/python bench/lifecycle.py [--cases 200] [--breakdown]
                                        [--pg postgres://postgres@127.0.0.1:5432]
    .venv/bin/python bench/lifecycle.py --against REV [--pairs 3] [--cases 200]

The second form runs commit REV and this working tree in turn on PostgreSQL (see `compare`).

Runs on a throwaway SQLite file, then on a throwaway PostgreSQL database (skipped with a note
when no server answers), and prints beside the PostgreSQL figures `pgbench`'s TPS (built-in
TPC-B-like script, one client, like our one sequential client) against the same server in the
same run: the ratio is the figure we track (target: transitions/s >= half of pgbench's TPS).
The lifecycles run in 5 rounds, each followed by 2 s of pgbench, and the ratio is printed per
round with the median: the machine's speed drifts by tens of per cent within minutes, and a
ratio of two figures taken minutes apart measured that drift as much as our code.

A lifecycle is: draft → 2 materials → submit → claim → accept (issues the acceptance notice)
→ start review → review opinion → decide approved (decision letter and certificate) →
complete → deliver. "Transitions" counts the 8 state moves; the figures are also given for
the moves that issue no document. Documents are issued inside the move (number, verify code,
text) but their PDFs are rendered on first download, so no reportlab time is counted here.

With `--breakdown` each move's time is also split, per database: statements sent (on SQLite
Django sends BEGIN as one), time inside them (`execute`, as Django sees it: the round trip, on
PostgreSQL with the BEGIN the driver sends before the first, and the driver's work), the
COMMIT, and the rest (our code and Django between the statements); and it prints what the
statements and commits alone would allow, beside half of pgbench's TPS. The timing wrappers
add a little to every figure of such a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from benchenv import fresh_database, pg_arguments, sqlite_then_postgres_main

MOVES_WITHOUT_DOCUMENT = ("submit", "claim", "start_review", "complete", "deliver")


def make_zone():
    from stdnum.cn import uscc

    from onewindow.accounts.models import Department, Enterprise, User
    from onewindow.catalog.models import MaterialRequirement, ServiceItem

    dept = Department.objects.create(code="bench", name="基准测试局")
    item = ServiceItem.objects.create(
        name="基准事项", implementation_code="BENCH-1", item_type=1, department=dept,
        implementing_body="基准测试局", legal_limit=20, promised_limit=5)
    for i in (1, 2):
        MaterialRequirement.objects.create(item=item, name=f"材料{i}", order=i)
    body = "91370212BENCH0001"
    enterprise = Enterprise.objects.create(name="基准公司", legal_representative="张三",
                                           uscc=body + uscc.calc_check_digit(body))
    users = {}
    for name, role in [("applicant", "applicant"), ("clerk", "window_clerk"),
                       ("reviewer", "reviewer"), ("approver", "approver")]:
        users[name] = User.objects.create(username=f"bench-{name}", role=role, department=dept)
    users["applicant"].memberships.create(enterprise=enterprise)
    return item, enterprise, users


def attach_materials(case, item, applicant):
    from django.core.files.base import ContentFile

    from onewindow.cases import services

    for req in item.materials.all():
        content = b"%PDF-1.4 bench " + os.urandom(8)
        digest = hashlib.sha256(content).hexdigest()
        services.material_record(actor=applicant, case=case, requirement=req, stored={
            "file": ContentFile(content, name=f"{digest}.pdf"), "original_name": "a.pdf",
            "content_type": "application/pdf", "extension": "pdf", "size": len(content),
            "sha256": digest})


class Breakdown:
    """Per move: statements, seconds inside them, seconds in COMMIT (see the docstring)."""

    def __init__(self):
        self.move = None
        self.parts: dict[str, list[float]] = {}  # move -> [statements, execute s, commit s]

    def _add(self, index: int, amount: float) -> None:
        if self.move is not None:
            self.parts.setdefault(self.move, [0, 0.0, 0.0])[index] += amount

    def _execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._add(0, 1)
            self._add(1, time.perf_counter() - started)

    @contextlib.contextmanager
    def installed(self):
        from django.db import connection

        connection.ensure_connection()
        commit = connection._commit

        def timed_commit():
            started = time.perf_counter()
            try:
                return commit()
            finally:
                self._add(2, time.perf_counter() - started)

        connection._commit = timed_commit  # this connection only, for this run
        try:
            with connection.execute_wrapper(self._execute):
                yield self
        finally:
            del connection._commit

    def report(self, timings: dict[str, list[float]], budget_ms: float | None) -> None:
        print(f"    {'move':<14}{'statements':>11}{'in them':>10}{'COMMIT':>9}{'rest':>9}"
              f"{'all':>9}")
        floor = []
        for name, ts in timings.items():
            count, executing, committing = self.parts[name]
            n, total = len(ts), sum(ts)
            print(f"    {name:<14}{count / n:11.1f}{1000 * executing / n:9.2f} "
                  f"{1000 * committing / n:8.2f} {1000 * (total - executing - committing) / n:8.2f}"
                  f" {1000 * total / n:8.2f}  ms")
            if name != "review_step":
                floor.append((executing + committing) / n)
        line = (f"    statements and COMMIT alone: {1000 * sum(floor) / len(floor):.2f} ms a move "
                f"on average")
        if budget_ms:
            line += f"; half of pgbench's TPS allows {budget_ms:.2f} ms"
        print(line)


def one_lifecycle(item, enterprise, u, timings, breakdown=None):
    from onewindow.cases import services

    case = services.case_create_draft(actor=u["applicant"], item=item, enterprise=enterprise)
    attach_materials(case, item, u["applicant"])
    steps = [
        ("submit", lambda: services.case_submit(actor=u["applicant"], case_id=case.pk)),
        ("claim", lambda: services.case_claim(actor=u["clerk"], case_id=case.pk)),
        ("accept", lambda: services.case_accept(actor=u["clerk"], case_id=case.pk)),
        ("start_review", lambda: services.case_start_review(actor=u["reviewer"],
                                                            case_id=case.pk)),
        ("review_step", lambda: services.case_review_step(
            actor=u["reviewer"], case_id=case.pk, kind="review", outcome="agree", opinion="同意")),
        ("decide", lambda: services.case_decide(actor=u["approver"], case_id=case.pk,
                                                decision="approved")),
        ("complete", lambda: services.case_complete(actor=u["clerk"], case_id=case.pk)),
        ("deliver", lambda: services.case_deliver(actor=u["clerk"], case_id=case.pk,
                                                  method="download")),
    ]
    for name, call in steps:
        if breakdown:
            breakdown.move = name
        started = time.perf_counter()
        call()
        timings.setdefault(name, []).append(time.perf_counter() - started)
    if breakdown:
        breakdown.move = None


ROUNDS = 5
PGBENCH_SECONDS = 2  # per round: 10 s in all


def run(label: str, cases: int, breakdown: bool = False) -> dict:
    """`cases` lifecycles in ROUNDS rounds. On PostgreSQL each round is followed by
    PGBENCH_SECONDS of pgbench on the same server, so that the two figures of a round meet the
    machine at the same speed (it drifts by tens of per cent within minutes)."""
    from django.db import connection

    item, enterprise, users = make_zone()
    one_lifecycle(item, enterprise, users, {})  # warm-up: imports, fonts, calendar
    server = (_server_of(connection) if connection.vendor == "postgresql"
              and shutil.which("pgbench") else None)
    if server:
        pgbench_init(server)
    timings: dict[str, list[float]] = {}
    elapsed, ratios, tps_all = 0.0, [], []
    split = Breakdown() if breakdown else None
    for round_ in range(ROUNDS):
        share = cases // ROUNDS + (round_ < cases % ROUNDS)
        mine: dict[str, list[float]] = {}
        started = time.perf_counter()
        with split.installed() if split else contextlib.nullcontext():
            for _ in range(share):
                one_lifecycle(item, enterprise, users, mine, split)
        elapsed += time.perf_counter() - started
        for name, ts in mine.items():
            timings.setdefault(name, []).extend(ts)
        if server:
            tps = pgbench_tps(server, PGBENCH_SECONDS)
            tps_all.append(tps)
            ratios.append(_transitions_per_s(mine) / tps)
    if server:
        pgbench_drop(server)
    moves = [t for name, ts in timings.items() if name != "review_step" for t in ts]
    light = [t for name in MOVES_WITHOUT_DOCUMENT for t in timings[name]]
    result = {
        "lifecycles_per_s": cases / elapsed,
        "transitions_per_s": len(moves) / sum(moves),
        "transitions_without_document_per_s": len(light) / sum(light),
    }
    print(f"{label}: {cases} lifecycles in {elapsed:.2f} s")
    print(f"  lifecycles/s                     {result['lifecycles_per_s']:8.1f}")
    print(f"  transitions/s (all 8 moves)      {result['transitions_per_s']:8.1f}")
    print(f"  transitions/s (moves issuing no document) "
          f"{result['transitions_without_document_per_s']:6.1f}")
    if split:
        split.report(timings, 2000 / statistics.median(tps_all) if server else None)
    else:
        for name, ts in timings.items():
            print(f"    {name:<14} {1000 * sum(ts) / len(ts):7.2f} ms")
    if server:
        print(f"  pgbench (TPC-B-like, 1 client, {PGBENCH_SECONDS} s after each of the {ROUNDS} "
              f"rounds) on the same server: {statistics.median(tps_all):.1f} TPS (median; "
              f"{' '.join(f'{t:.0f}' for t in tps_all)})")
        print(f"  transitions/s as % of pgbench's TPS, by round: "
              f"{' '.join(f'{100 * r:.1f}' for r in ratios)}; "
              f"median {100 * statistics.median(ratios):.1f} %")
    return result


def _transitions_per_s(timings: dict[str, list[float]]) -> float:
    moves = [t for name, ts in timings.items() if name != "review_step" for t in ts]
    return len(moves) / sum(moves)


def _server_of(connection) -> str:
    settings = connection.settings_dict
    return f"postgres://postgres@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"


def _pgbench_env() -> dict:
    return {**os.environ, "PGPASSWORD": ""}


def pgbench_init(server: str) -> None:
    base = pg_arguments(server)
    subprocess.run(["dropdb", *base, "--if-exists", "onewindow_pgbench"], check=True,
                   env=_pgbench_env(), capture_output=True)
    subprocess.run(["createdb", *base, "onewindow_pgbench"], check=True, env=_pgbench_env())
    subprocess.run(["pgbench", *base, "-i", "-s", "1", "-q", "onewindow_pgbench"], check=True,
                   env=_pgbench_env(), capture_output=True)


def pgbench_tps(server: str, seconds: int) -> float:
    out = subprocess.run(["pgbench", *pg_arguments(server), "-c", "1", "-j", "1", "-T",
                          str(seconds), "onewindow_pgbench"], check=True, env=_pgbench_env(),
                         capture_output=True, text=True).stdout
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def pgbench_drop(server: str) -> None:
    subprocess.run(["dropdb", *pg_arguments(server), "onewindow_pgbench"], check=True,
                   env=_pgbench_env())


def main() -> None:
    if shutil.which("pgbench") is None:
        print("pgbench not installed (apt-get install postgresql-client): no ratio printed")
    if "--against" in sys.argv:
        compare()
        return
    sqlite_then_postgres_main(__file__, run, option="cases", default=200,
                              database="onewindow_bench_lifecycle", flags=("breakdown",))


# --- two commits in turn ----------------------------------------------------------------------
def compare() -> None:
    """`--against REV [--pairs 3] [--cases N] [--pg URL]`: the PostgreSQL run of commit REV (from
    a temporary git worktree, with this checkout's virtualenv) and of this working tree, one
    after the other, `--pairs` times, each printing its median ratio to pgbench; then the
    median of each side's. A change is told apart from the machine's drift only this way: two
    runs minutes apart differ by several points with the same code."""
    import argparse
    import tempfile

    from benchenv import ROOT

    parser = argparse.ArgumentParser()
    parser.add_argument("--against", required=True, metavar="REV")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--cases", default="200")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    rev, pairs, cases, server = args.against, args.pairs, args.cases, args.pg
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", tree,
                        rev], check=True)
        try:
            sides = {rev: os.path.join(tree, "bench", "lifecycle.py"),
                     "working tree": os.path.join(str(ROOT), "bench", "lifecycle.py")}
            found: dict[str, list[float]] = {label: [] for label in sides}
            for pair in range(pairs):
                for label, script in sides.items():
                    ratio = _ratio_of_one_run(script, cases, server)
                    found[label].append(ratio)
                    print(f"pair {pair + 1}, {label}: median ratio {ratio:.1f} %", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", tree],
                           check=True)
    for label, ratios in found.items():
        print(f"{label}: {' '.join(f'{r:.1f}' for r in ratios)}; median of the runs "
              f"{statistics.median(ratios):.1f} %")


def _ratio_of_one_run(script: str, cases: str, server: str) -> float:
    database = "onewindow_bench_lifecycle_compare"
    out = subprocess.run([sys.executable, script, "--child", "--cases", cases,
                          "--database-url", fresh_database(server, database)],
                         check=True, capture_output=True, text=True).stdout
    subprocess.run(["dropdb", *pg_arguments(server), database], check=True)
    found = re.search(r"median ([0-9.]+) %", out)
    if found is None:
        raise SystemExit(f"{script} printed no ratio:\n{out}")
    return float(found.group(1))


if __name__ == "__main__":
    main()
