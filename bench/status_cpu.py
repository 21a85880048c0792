"""CPU per request of the case status endpoint and of a bare view, in-process (no server,
no network): what one request costs a worker, apart from queueing.

    .venv/bin/python bench/status_cpu.py [--requests 500] [--pg postgres://postgres@127.0.0.1:5432]

Django's test client, on a throwaway SQLite file, then on a throwaway PostgreSQL database
(skipped with a note when no server answers); one accepted case and an API token, 50 requests
to warm up, then the timed ones.
"""

from __future__ import annotations

import os
import time

from api_load_setup import accepted_case_with_token
from benchenv import sqlite_then_postgres_main


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
    os.environ["DEBUG"] = "false"  # as in production; the child processes inherit it
    sqlite_then_postgres_main(__file__, run, option="requests", default=500,
                              database="onewindow_bench_status_cpu")


if __name__ == "__main__":
    main()
