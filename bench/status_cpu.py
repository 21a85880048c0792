"""CPU per request of the case status endpoint and of a bare view, in-process (no server,
no network): what one request costs a worker, apart from queueing.

    .venv/bin/python bench/status_cpu.py [--requests 500] [--pg postgres://postgres@127.0.0.1:5432]

Django's test client, on a throwaway SQLite file, then on a throwaway PostgreSQL database
(skipped with a note when no server answers); one accepted case and an API token, 50 requests
to warm up, then the timed ones.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from benchenv import setup_django
from lifecycle import server_host, server_port

PG_DATABASE = "onewindow_bench_status_cpu"


def run(label: str, requests: int) -> None:
    from django.test import Client

    import lifecycle
    from onewindow.accounts.services import api_token_create
    from onewindow.cases import services

    item, enterprise, users = lifecycle.make_zone()
    case = services.case_create_draft(actor=users["applicant"], item=item, enterprise=enterprise)
    lifecycle.attach_materials(case, item, users["applicant"])
    services.case_submit(actor=users["applicant"], case_id=case.pk)
    services.case_accept(actor=users["clerk"], case_id=case.pk)
    _token, key = api_token_create(actor=None, owner=users["applicant"], name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
    status = f"/api/cases/{case.pk}/status"
    print(f"{label}:")
    for name, path in (("bare view (/healthz)", "/healthz"), ("case status (API token)", status)):
        for _ in range(50):
            if client.get(path).status_code != 200:
                raise RuntimeError(f"{path} did not answer 200")
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            client.get(path)
        cpu = (time.process_time() - cpu) / requests * 1000
        wall = (time.perf_counter() - wall) / requests * 1000
        print(f"  {name:<26} CPU {cpu:5.2f} ms   wall {wall:5.2f} ms per request")


def child(args) -> None:
    os.environ.update(DEBUG="false",
                      ONEWINDOW_NOTIFY_BACKENDS="onewindow.cases.notify_backends.EmailBackend")
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, args.database_url)
        run("PostgreSQL" if args.database_url else "SQLite", args.requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    me = [sys.executable, __file__, "--child", "--requests", str(args.requests)]
    subprocess.run(me, check=True)
    base = ["-h", server_host(args.pg), "-p", server_port(args.pg), "-U", "postgres"]
    if subprocess.run(["pg_isready", *base], capture_output=True).returncode != 0:
        print(f"PostgreSQL at {args.pg} not reachable: skipped")
        return
    subprocess.run(["dropdb", *base, "--if-exists", "--force", PG_DATABASE], check=True,
                   capture_output=True)
    subprocess.run(["createdb", *base, PG_DATABASE], check=True)
    subprocess.run(me + ["--database-url", f"{args.pg.rstrip('/')}/{PG_DATABASE}"], check=True)


if __name__ == "__main__":
    main()
