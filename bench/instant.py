"""秒批秒办: server-side time from submit to issued certificate, and the table's speed.

    .venv/bin/python bench/instant.py [--cases 200] [--pg postgres://postgres@127.0.0.1:5432]

Runs on a throwaway SQLite file, then on a throwaway PostgreSQL database (skipped with a note
when no server answers). Each figure times `case_submit_and_try_instant` — what the applicant's
submit does, in one transaction: the submit move, then (in a savepoint) the decision table,
`instant_decide` + `complete` with the acceptance notice, decision letter and certificate
issued (their PDFs are rendered on first download, as in production, so not timed here).

- latency at concurrency 1 and 8 (processes, as a server's workers, each with its own database
  connection, opened by one untimed filing before the clock starts): p50, p99; concurrency 8
  three times, with the median of the three p99;
- 143 filings (the seed's count) submitted by 8 processes as fast as they go: total seconds;
- the demo table's evaluations per second (compiled once, facts varied), single thread;
- CPU per filing, one at a time: this process's and, for a local PostgreSQL, the server's;
  and the statements one filing sends.
Drafts and their materials are made before the clock starts.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import statistics
import time

from benchenv import sqlite_then_postgres_main

WORKERS = 8
ROUNDS = 3
FILINGS = 143
PG_DATABASE = "onewindow_bench_instant"


def make_zone(threads: int):
    from stdnum.cn import uscc

    from onewindow.accounts.models import Department, Enterprise, User
    from onewindow.catalog.models import MaterialRequirement, ServiceItem
    from onewindow.decisions import services
    from onewindow.decisions.seeding import PROJECT_FILING as SPEC

    dept = Department.objects.create(code="fgj", name="高新区发展和改革局")
    item = ServiceItem.objects.create(
        name="企业投资项目备案", implementation_code="BENCH-FILING", item_type=10,
        department=dept, implementing_body=dept.name, legal_limit=None, promised_limit=0,
        case_type="on_the_spot", instant_approval=True, result_name="企业投资项目备案证明")
    MaterialRequirement.objects.create(item=item, name="项目基本情况", order=1)
    body = "91370212BENCH0002"
    enterprise = Enterprise.objects.create(name="基准投资公司", legal_representative="张三",
                                           uscc=body + uscc.calc_check_digit(body))
    applicants = []
    for i in range(threads):
        user = User.objects.create(username=f"bench-filer-{i}", role="applicant")
        user.memberships.create(enterprise=enterprise)
        applicants.append(user)
    table = services.table_create(actor=None, item=item, name=SPEC["name"])
    version = services.version_create(actor=None, table=table, hit_policy=SPEC["hit_policy"],
                                      inputs=SPEC["inputs"], rows=SPEC["rows"])
    services.version_publish(actor=None, version_id=version.pk)
    return item, enterprise, applicants


def make_drafts(item, enterprise, applicants, count: int) -> list[tuple]:
    """(applicant, case id) pairs, round robin over the applicants, materials uploaded."""
    from django.core.files.base import ContentFile

    from onewindow.cases import services
    from onewindow.decisions.seeding import demo_form_data

    requirement = item.materials.get()
    drafts = []
    for i in range(count):
        applicant = applicants[i % len(applicants)]
        case = services.case_create_draft(actor=applicant, item=item, enterprise=enterprise,
                                          form_data=demo_form_data(total_investment=100 + i))
        content = b"%PDF-1.4 bench " + os.urandom(8)
        digest = hashlib.sha256(content).hexdigest()
        services.material_record(actor=applicant, case=case, requirement=requirement, stored={
            "file": ContentFile(content, name=f"{digest}.pdf"), "original_name": "a.pdf",
            "content_type": "application/pdf", "extension": "pdf", "size": len(content),
            "sha256": digest})
        drafts.append((applicant, case.pk))
    return drafts


def submit_timed(applicant, case_id: int) -> float:
    from onewindow.cases.enums import CaseState
    from onewindow.cases.services.instant import case_submit_and_try_instant

    started = time.perf_counter()
    case = case_submit_and_try_instant(actor=applicant, case_id=case_id)
    elapsed = time.perf_counter() - started
    if case.state != CaseState.COMPLETED:
        raise RuntimeError(f"case {case_id} was not approved instantly: {case.state}")
    return elapsed


def run_workers(drafts: list[tuple], workers: int) -> tuple[list[float], float]:
    """Submit `drafts` from `workers` processes released together, as a server's worker
    processes would (threads of one interpreter would queue on its lock): latencies and wall
    time. Each process has its own database connection; drafts go round robin. Each process
    files its first draft before the clock starts, untimed: a running server's worker has its
    connection open and its statements prepared."""
    from django.db import connections

    connections.close_all()  # each child opens its own
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    shares = [drafts[i::workers] for i in range(workers)]
    pool = [context.Process(target=_worker, args=(share, barrier, results)) for share in shares]
    for process in pool:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [results.get() for _ in pool]
    wall = time.perf_counter() - started
    for process in pool:
        process.join()
    errors = [o for o in outcomes if isinstance(o, str)]
    if errors:
        raise RuntimeError(errors[0])
    return [t for o in outcomes for t in o], wall


def _worker(share, barrier, results) -> None:
    from django.db import connections

    try:
        submit_timed(*share[0])  # warm: the connection, its prepared statements
        barrier.wait()
        results.put([submit_timed(applicant, case_id) for applicant, case_id in share[1:]])
    except Exception as exc:  # reported by the parent
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


def cpu_per_filing(drafts: list[tuple]) -> str:
    """CPU time per filing, one after another in this process: ours and, on a PostgreSQL
    server on this machine, its backend's (read from /proc)."""
    from django.db import connection

    def server_seconds() -> float | None:
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().split()
        except OSError:  # the server is on another machine
            return None
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

    server_before, client_before = server_seconds(), time.process_time()
    for applicant, case_id in drafts:
        submit_timed(applicant, case_id)
    client = (time.process_time() - client_before) / len(drafts) * 1000
    server_after = server_seconds()
    text = f"client {client:.1f} ms"
    if server_before is not None and server_after is not None:
        text += f", database server {(server_after - server_before) / len(drafts) * 1000:.1f} ms"
    return text


def statements_per_filing(applicant, case_id: int) -> int:
    """The database statements one filing sends (BEGIN and COMMIT included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        submit_timed(applicant, case_id)
    return len(captured.captured_queries)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report_latency(label: str, latencies: list[float], wall: float) -> None:
    ms = [1000 * t for t in latencies]
    print(f"  {label:<26} n={len(ms):4d}  p50 {percentile(ms, .50):6.1f} ms  "
          f"p99 {percentile(ms, .99):6.1f} ms  max {max(ms):6.1f} ms  "
          f"mean {statistics.fmean(ms):6.1f} ms  ({len(ms) / wall:6.1f} filings/s)")


def evaluations_per_second(seconds: float = 2.0) -> float:
    from onewindow.decisions.engine import compile_table, evaluate
    from onewindow.decisions.seeding import PROJECT_FILING as SPEC

    table = compile_table(SPEC["hit_policy"], SPEC["inputs"], SPEC["rows"])
    rng = random.Random(143)
    samples = [{"信用状态": rng.choice(["good", "normal", "watch", "blacklist"]),
                "属于核准目录": rng.random() < .1,
                "产业政策类别": rng.choice(["鼓励类", "允许类", "限制类", "淘汰类"]),
                "总投资": rng.uniform(0, 200000)} for _ in range(1000)]
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for facts in samples:
            evaluate(table, facts)
        count += len(samples)
    return count / elapsed


def run(label: str, cases: int) -> None:
    item, enterprise, applicants = make_zone(WORKERS)
    for applicant, case_id in make_drafts(item, enterprise, applicants, 5):
        submit_timed(applicant, case_id)  # warm-up: imports, compiled table, calendar
    print(f"{label}:")
    measured = make_drafts(item, enterprise, applicants[:1], 51)
    counted = measured.pop()
    print(f"  CPU per filing, one at a time: {cpu_per_filing(measured)}")
    print(f"  statements per filing: {statements_per_filing(*counted)}")
    # One more draft per process: its warm-up filing.
    sequential = make_drafts(item, enterprise, applicants[:1], cases + 1)
    report_latency("concurrency 1", *run_workers(sequential, 1))
    # The machine's speed drifts within minutes: three rounds, and the median of their p99.
    p99s = []
    for round_ in range(1, ROUNDS + 1):
        parallel = make_drafts(item, enterprise, applicants, cases + WORKERS)
        latencies, wall = run_workers(parallel, WORKERS)
        report_latency(f"concurrency {WORKERS}, round {round_}", latencies, wall)
        p99s.append(percentile([1000 * t for t in latencies], .99))
    print(f"  concurrency {WORKERS}: median p99 of the rounds {statistics.median(p99s):.1f} ms")
    filings = make_drafts(item, enterprise, applicants, FILINGS + WORKERS)
    _latencies, wall = run_workers(filings, WORKERS)
    print(f"  {FILINGS} filings, {WORKERS} processes: {wall:.2f} s in all, each with its "
          f"certificate")
    print(f"  decision table: {evaluations_per_second():,.0f} evaluations/s (one thread)")


def main() -> None:
    sqlite_then_postgres_main(__file__, run, option="cases", default=200, database=PG_DATABASE)


if __name__ == "__main__":
    main()
