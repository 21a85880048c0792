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
import time

from api_load_setup import accepted_case_with_token
from benchenv import add_child_arguments, in_child, run_on_sqlite_then_postgres


def run(label: str, requests: int) -> None:
    from django.test import Client

    case_id, key = accepted_case_with_token()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="127.0.0.1")
    print(f"{label}:")
    for name, path in (("bare view (/healthz)", "/healthz"),
                       ("case status (API token)", f"/api/cases/{case_id}/status")):
        for _ in range(50):
            if client.get(path).status_code != 200:
                raise RuntimeError(f"{path} did not answer 200")
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            client.get(path)
        cpu = (time.process_time() - cpu) / requests * 1000
        wall = (time.perf_counter() - wall) / requests * 1000
        print(f"  {name:<26} CPU {cpu:5.2f} ms   wall {wall:5.2f} ms per request")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    add_child_arguments(parser)
    args = parser.parse_args()
    if args.child:
        os.environ["DEBUG"] = "false"
        return in_child(args.database_url, lambda label: run(label, args.requests))
    run_on_sqlite_then_postgres(__file__, ["--requests", str(args.requests)], args.pg,
                                "onewindow_bench_status_cpu")


if __name__ == "__main__":
    main()
