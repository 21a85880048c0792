"""What one PostgreSQL round trip costs when the client does work between statements.

    .venv/bin/python bench/pg_roundtrip.py [--pg postgres://postgres@127.0.0.1:5432/postgres]

A `SELECT 1` timed 300 times after 0, 0.5, 2 and 5 ms of busy work in the client each time:
pgbench sends its statements back to back, a Django service computes between them, and the
server process that has gone idle meanwhile answers later. docs/performance.md quotes it.
"""

from __future__ import annotations

import argparse
import time

import psycopg

GAPS_MS = (0, 0.5, 2, 5)
ROUNDS = 300


def busy(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with psycopg.connect(args.pg.replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        for gap in GAPS_MS:
            total = 0.0
            for _ in range(ROUNDS):
                busy(gap)
                started = time.perf_counter()
                conn.execute("SELECT 1").fetchone()
                total += time.perf_counter() - started
            print(f"{gap:>4} ms of client work between statements: "
                  f"round trip {1000 * total / ROUNDS:.3f} ms")


if __name__ == "__main__":
    main()
