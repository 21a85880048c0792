"""What one PostgreSQL round trip costs when the client does work between statements, and what
a move's transaction would cost with fewer round trips.

    .venv/bin/python bench/pg_roundtrip.py [--pg postgres://postgres@127.0.0.1:5432/postgres]

1. A `SELECT 1` timed 300 times after 0, 0.5, 2 and 5 ms of busy work in the client each time:
   pgbench sends its statements back to back, a Django service computes between them, and the
   server process that has gone idle meanwhile answers later.
2. A move's statements, as `core.transition` sends them for a claim (lock the case row, update
   it, lock the audit head with the object's last hash, insert the event and move the head,
   commit), on tables of their shape in a throwaway database, 1,000 transactions each way: one
   statement per round trip as now (BEGIN and COMMIT their own), and in psycopg's pipeline mode
   waiting only where the next statement needs an answer (the row, the head): three round
   trips. The second is what pipelining the services would be worth; not done in them.
docs/performance.md quotes both.
"""

from __future__ import annotations

import argparse
import time

import psycopg

GAPS_MS = (0, 0.5, 2, 5)
ROUNDS = 300
MOVES = 1000
DATABASE = "onewindow_bench_roundtrip"


def busy(ms: float) -> None:
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def round_trips(conn) -> None:
    for gap in GAPS_MS:
        total = 0.0
        for _ in range(ROUNDS):
            busy(gap)
            started = time.perf_counter()
            conn.execute("SELECT 1").fetchone()
            total += time.perf_counter() - started
        print(f"{gap:>4} ms of client work between statements: "
              f"round trip {1000 * total / ROUNDS:.3f} ms")


SCHEMA = """
CREATE TABLE mv_case (id int PRIMARY KEY, state text NOT NULL, updated_at timestamptz);
CREATE TABLE mv_head (id int PRIMARY KEY, last_hash text NOT NULL, count bigint NOT NULL);
CREATE TABLE mv_event (id bigserial PRIMARY KEY, object_id text NOT NULL, hash text NOT NULL,
                       prev_hash text NOT NULL);
CREATE INDEX ON mv_event (object_id, id);
INSERT INTO mv_case SELECT g, 'submitted', now() FROM generate_series(1, 100) g;
INSERT INTO mv_head VALUES (1, 'genesis', 0);
"""
LOCK = "SELECT id, state FROM mv_case WHERE id = %s FOR UPDATE"
UPDATE = "UPDATE mv_case SET state = %s, updated_at = now() WHERE id = %s"
HEAD = ("SELECT h.last_hash, (SELECT e.hash FROM mv_event e WHERE e.object_id = %s "
        "ORDER BY e.id DESC LIMIT 1) FROM mv_head h WHERE h.id = 1 FOR UPDATE OF h")
APPEND = ("WITH e AS (INSERT INTO mv_event (object_id, hash, prev_hash) VALUES (%s, %s, %s) "
          "RETURNING id) UPDATE mv_head SET last_hash = %s, count = count + 1 WHERE id = 1")


def move_one_by_one(conn, case_id: int, n: int) -> None:
    with conn.transaction():
        conn.execute(LOCK, [case_id]).fetchone()
        conn.execute(UPDATE, [f"s{n}", case_id])
        prev, _ = conn.execute(HEAD, [str(case_id)]).fetchone()
        conn.execute(APPEND, [str(case_id), f"h{n}", prev, f"h{n}"])


def move_pipelined(conn, case_id: int, n: int) -> None:
    with conn.pipeline(), conn.transaction():
        conn.execute(LOCK, [case_id]).fetchone()  # BEGIN and the lock: one round trip
        conn.execute(UPDATE, [f"s{n}", case_id])
        prev, _ = conn.execute(HEAD, [str(case_id)]).fetchone()  # with the update
        conn.execute(APPEND, [str(case_id), f"h{n}", prev, f"h{n}"])
    # leaving the transaction sends COMMIT with the append: the third round trip


def moves(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/" + DATABASE, autocommit=True) as conn:
            conn.execute(SCHEMA)
            for label, move in (("one statement per round trip", move_one_by_one),
                                ("pipelined, three round trips", move_pipelined)):
                for n in range(50):  # warm: plans, caches
                    move(conn, 1 + n % 100, n)
                started = time.perf_counter()
                for n in range(MOVES):
                    move(conn, 1 + n % 100, n)
                ms = 1000 * (time.perf_counter() - started) / MOVES
                print(f"a claim's statements, {label}: {ms:.3f} ms per transaction "
                      f"({1000 / ms:,.0f}/s)")
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    url = args.pg.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        round_trips(conn)
    moves(url)


if __name__ == "__main__":
    main()
