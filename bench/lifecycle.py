"""Full case lifecycles per second and transitions per second, through the real services.

    .venv/bin/python bench/lifecycle.py [--cases 200] [--pg postgres://postgres@127.0.0.1:5432]

Runs on a throwaway SQLite file, then on a throwaway PostgreSQL database (skipped with a note
when no server answers), and prints beside the PostgreSQL figures `pgbench`'s TPS (built-in
TPC-B-like script, one client, like our one sequential client) against the same server in the
same run: the ratio is the figure we track (target: transitions/s >= half of pgbench's TPS).

A lifecycle is: draft → 2 materials → submit → claim → accept (issues the acceptance notice)
→ start review → review opinion → decide approved (decision letter and certificate) →
complete → deliver. "Transitions" counts the 8 state moves; the figures are also given for
the moves that issue no document. Documents are issued inside the move (number, verify code,
text) but their PDFs are rendered on first download, so no reportlab time is counted here.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import time

from benchenv import pg_arguments, sqlite_then_postgres_main

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


def one_lifecycle(item, enterprise, u, timings):
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
        started = time.perf_counter()
        call()
        timings.setdefault(name, []).append(time.perf_counter() - started)


def run(label: str, cases: int) -> dict:
    item, enterprise, users = make_zone()
    one_lifecycle(item, enterprise, users, {})  # warm-up: imports, fonts, calendar
    timings: dict[str, list[float]] = {}
    started = time.perf_counter()
    for _ in range(cases):
        one_lifecycle(item, enterprise, users, timings)
    elapsed = time.perf_counter() - started
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
    for name, ts in timings.items():
        print(f"    {name:<14} {1000 * sum(ts) / len(ts):7.2f} ms")
    return result


def pgbench_tps(server: str, seconds: int = 10) -> float | None:
    if shutil.which("pgbench") is None:
        print("pgbench not installed (apt-get install postgresql-client)")
        return None
    env = {**os.environ, "PGPASSWORD": ""}
    base = pg_arguments(server)
    subprocess.run(["dropdb", *base, "--if-exists", "onewindow_pgbench"], check=True, env=env)
    subprocess.run(["createdb", *base, "onewindow_pgbench"], check=True, env=env)
    subprocess.run(["pgbench", *base, "-i", "-s", "1", "-q", "onewindow_pgbench"], check=True,
                   env=env, capture_output=True)
    out = subprocess.run(["pgbench", *base, "-c", "1", "-j", "1", "-T", str(seconds),
                          "onewindow_pgbench"], check=True, env=env, capture_output=True,
                         text=True).stdout
    subprocess.run(["dropdb", *base, "onewindow_pgbench"], check=True, env=env)
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else None


def main() -> None:
    ran = sqlite_then_postgres_main(__file__, run, option="cases", default=200,
                                    database="onewindow_bench_lifecycle")
    if ran is not None and ran[1] is not None:  # the parent, and PostgreSQL answered
        tps = pgbench_tps(ran[0])
        if tps:
            print(f"pgbench (TPC-B-like, 1 client, 10 s) on the same server: {tps:.1f} TPS")


if __name__ == "__main__":
    main()
