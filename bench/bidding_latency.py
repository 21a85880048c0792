"""Time from a score entered at one venue to its arrival on every other screen.

A real ASGI server (uvicorn, in a process of its own) serves onewindow.asgi on a fresh
database; 9 experts (3 per venue: main + 2 sub-venues) and the 3 venue operators each hold a
WebSocket, as their browsers would. Each expert scores 20 bids × 10 criteria through the socket
({"action": "score", ...}): the path is the real one (session cookie, origin check, consumer,
core's score_enter with its row lock and audit, the channel layer, every consumer's filter).
For each score the script records when it was sent and when each of the 11 other screens
received it (one clock: both ends are timed in this process).

Three phases: (1) one score in flight at a time; (2) rounds in which all nine experts save a
score at the same instant, then pause; (3) flat out, each expert sending its next score as soon
as the last is acknowledged: the server's capacity, past which delays are queueing.

    .venv/bin/python bench/bidding_latency.py                  # SQLite file, in-memory layer
    .venv/bin/python bench/bidding_latency.py --database-url postgres://postgres@127.0.0.1/x
    .venv/bin/python bench/bidding_latency.py --sequential 50 --rounds 10 --flat-out 0

Prints p50/p95/p99/max in milliseconds per phase, per screen and per score (the slowest screen).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from benchenv import setup_django


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--bids", type=int, default=20)
    parser.add_argument("--criteria", type=int, default=10)
    parser.add_argument("--per-venue", type=int, default=3)
    parser.add_argument("--sequential", type=int, default=200,
                        help="scores sent one at a time before the concurrent phase")
    parser.add_argument("--rounds", type=int, default=60,
                        help="rounds of nine simultaneous scores")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between rounds")
    parser.add_argument("--flat-out", type=int, default=270,
                        help="scores sent flat out at the end (capacity); 0 to skip")
    parser.add_argument("--workers", type=int, default=1,
                        help="uvicorn worker processes (more than 1 needs "
                             "ONEWINDOW_CHANNEL_LAYER_URL=redis://…)")
    return parser.parse_args()


def build(*, bids: int, criteria: int, per_venue: int):
    """A tender in its session: chair elected, every bid compliant, experts confirmed."""
    import datetime as dt

    from django.test import Client
    from stdnum.cn import uscc

    from onewindow.accounts.models import User
    from onewindow.bidding.enums import Compliance, MemberStatus, TenderState
    from onewindow.bidding.models import Bid, CommitteeMember, Criterion, Lot, Tender, Venue

    venues = [Venue.objects.create(code=code, name=name, city=city) for code, name, city in (
        ("bench-main", "青岛高新区主场", "青岛"), ("bench-yt", "烟台副场", "烟台"),
        ("bench-ls", "崂山副场", "崂山"))]
    admin = User.objects.create(username="bench-admin", role="system_admin")
    tender = Tender.objects.create(number="BENCH-LATENCY", title="评分推送时延测试", buyer="高新区",
                                   budget=Decimal("5000000"), main_venue=venues[0],
                                   committee_size=3 * per_venue, evaluation_date=dt.date.today(),
                                   created_by=admin, state=TenderState.COMMITTEE)
    tender.sub_venues.set(venues[1:])
    lot = Lot.objects.create(tender=tender, number=1, name="第一包")
    crits = [Criterion.objects.create(tender=tender, order=i + 1, name=f"评分因素{i + 1}",
                                      max_points=Decimal("10")) for i in range(criteria)]
    bid_list = []
    for i in range(bids):
        body = f"91370212{800000 + i:09d}"
        bid_list.append(Bid.objects.create(
            tender=tender, lot=lot, bidder=f"投标人{i + 1}", bidder_uscc=body +
            uscc.calc_check_digit(body), price=Decimal(1_000_000 + i * 1000),
            compliance=Compliance.PASSED))
    members, operators = [], []
    for venue in venues:
        operator = User.objects.create(username=f"op-{venue.code}", role="venue_operator")
        venue.operators.add(operator)
        operators.append(operator)
        for n in range(per_venue):
            user = User.objects.create(username=f"{venue.code}-e{n}", role="expert")
            members.append(CommitteeMember.objects.create(
                tender=tender, user=user, venue=venue, status=MemberStatus.CONFIRMED))
    tender.chair = members[0]
    tender.state = TenderState.EVALUATING
    tender.save()

    def cookie(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return f"sessionid={client.cookies['sessionid'].value}"

    return tender, bid_list, crits, [(m, cookie(m.user)) for m in members], \
        [cookie(u) for u in operators]


class Server:
    """uvicorn serving onewindow.asgi in a process of its own, on the bench's database (the
    client below must not share a GIL with the server, or it measures the contention)."""

    def __init__(self, workers: int = 1):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        self.command = [sys.executable, "-m", "uvicorn", "onewindow.asgi:application",
                        "--host", "127.0.0.1", "--port", str(self.port), "--log-level",
                        "warning", "--lifespan", "off", "--ws", "websockets-sansio",
                        "--workers", str(workers)]

    def start(self):
        self.process = subprocess.Popen(self.command, env=os.environ.copy())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("uvicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Screen:
    """One WebSocket; records when each score event arrived."""

    def __init__(self, name: str, member_id: int | None):
        self.name, self.member_id = name, member_id
        self.arrived: dict[tuple, float] = {}
        self.in_flight: list[float] = []  # from the server's publish to this screen
        self.acks: asyncio.Queue = asyncio.Queue()
        self.errors: list[str] = []

    async def open(self, port: int, cookie: str, tender_id: int):
        from websockets.asyncio.client import connect

        self.ws = await connect(f"ws://127.0.0.1:{port}/ws/bidding/session/{tender_id}/",
                                additional_headers={"Cookie": cookie},
                                origin=f"http://127.0.0.1:{port}", max_size=None)
        first = json.loads(await self.ws.recv())
        assert first["type"] == "state", first
        self.reader = asyncio.create_task(self.read())

    async def read(self):
        async for raw in self.ws:
            message = json.loads(raw)
            if message.get("event") == "score":
                p = message["payload"]
                self.arrived[(p["member_id"], p["bid_id"], p["criterion_id"])] = \
                    time.perf_counter()
                self.in_flight.append(time.time() - message["sent"])
            elif message["type"] in ("ack", "error"):
                if message["type"] == "error":
                    self.errors.append(message["detail"])
                await self.acks.put(message)

    async def score(self, sent: dict, bid: int, criterion: int, points: str):
        sent[(self.member_id, bid, criterion)] = time.perf_counter()
        await self.ws.send(json.dumps({"action": "score", "bid": bid, "criterion": criterion,
                                       "points": points}))
        await self.acks.get()


def percentiles(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return (f"n={len(ms):5d}  p50={q[49]:7.1f}  p95={q[94]:7.1f}  p99={q[98]:7.1f}  "
            f"max={ms[-1]:7.1f} ms")


def report(phase: str, sent: dict, screens: list[Screen]):
    per_screen, per_score, missing = [], [], 0
    for key, t0 in sent.items():
        times = [s.arrived[key] - t0 for s in screens if s.member_id != key[0]
                 and key in s.arrived]
        missing += sum(1 for s in screens if s.member_id != key[0]) - len(times)
        per_screen.extend(times)
        if len(times) == len(screens) - 1:
            per_score.append(max(times))
    print(f"{phase}")
    print(f"  each other screen      {percentiles(per_screen)}")
    print(f"  slowest of 11 screens  {percentiles(per_score)}")
    print(f"  events never received: {missing}")


def report_in_flight(screens: list[Screen]):
    """Of the whole delay, the part from the publish (after the commit) to the screen."""
    in_flight = [t for s in screens for t in s.in_flight]
    print(f"  publish → screen, all phases  {percentiles(in_flight)}")


async def run(args, tender, bids, criteria, experts, operators, port):
    screens = []
    for member, cookie in experts:
        screen = Screen(f"expert {member.pk}", member.pk)
        await screen.open(port, cookie, tender.pk)
        screens.append(screen)
    for n, cookie in enumerate(operators):
        screen = Screen(f"operator {n}", None)
        await screen.open(port, cookie, tender.pk)
        screens.append(screen)
    expert_screens = screens[:len(experts)]
    cells = iter([(b.pk, c.pk) for b in bids for c in criteria])
    n_cells = len(bids) * len(criteria)

    # 1. One score in flight at a time, experts in turn.
    sent_one: dict = {}
    started = time.perf_counter()
    n = 0
    while n < args.sequential:
        bid, crit = next(cells)
        for screen in expert_screens[:args.sequential - n]:
            await screen.score(sent_one, bid, crit, str(n % 10))
            n += 1
    one_secs = time.perf_counter() - started

    # 2. Rounds: the nine experts press "save" at the same instant, then pause.
    sent_rounds: dict = {}
    for _ in range(args.rounds):
        bid, crit = next(cells)
        await asyncio.gather(*(s.score(sent_rounds, bid, crit, "5") for s in expert_screens))
        await asyncio.sleep(args.pause)

    # 3. Flat out: each expert sends its next score as soon as the last one is acknowledged,
    # to find the server's capacity (beyond it, delays are queueing, not transport).
    sent_flat: dict = {}
    rest = list(cells)[:max(args.flat_out // len(expert_screens), 0)]
    started = time.perf_counter()
    await asyncio.gather(*(_flat_out(s, rest, sent_flat) for s in expert_screens))
    flat_secs = time.perf_counter() - started

    await _drain(screens)
    for screen in screens:
        await screen.ws.close()
    errors = [e for s in screens for e in s.errors]
    print(f"screens: {len(expert_screens)} experts + {len(screens) - len(expert_screens)} "
          f"operators; cells per expert: {n_cells}; refusals: {len(errors)}")
    report(f"1. one at a time ({len(sent_one)} scores, {len(sent_one) / one_secs:.1f}/s)",
           sent_one, screens)
    report(f"2. nine at once, {args.rounds} rounds, {args.pause}s apart "
           f"({len(sent_rounds)} scores)", sent_rounds, screens)
    if sent_flat:
        report(f"3. flat out ({len(sent_flat)} scores): capacity "
               f"{len(sent_flat) / flat_secs:.1f} scores/s", sent_flat, screens)
    report_in_flight(screens)


async def _drain(screens, quiet: float = 2.0, limit: float = 90.0):
    """Wait until no event has arrived for `quiet` seconds: a backlog still lands, so that only
    events really lost count as "never received"."""
    deadline = time.monotonic() + limit
    seen = -1
    while time.monotonic() < deadline:
        now = sum(len(s.arrived) for s in screens)
        if now == seen:
            return
        seen = now
        await asyncio.sleep(quiet)


async def _flat_out(screen, cells, sent):
    for bid, crit in cells:
        await screen.score(sent, bid, crit, "7")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="ow_bench_bidding_") as var_dir:
        setup_django(var_dir, args.database_url)
        from django.conf import settings
        from django.db import connection

        tender, bids, criteria, experts, operators = build(
            bids=args.bids, criteria=args.criteria, per_venue=args.per_venue)
        print(f"database: {connection.vendor}; channel layer: "
              f"{settings.CHANNEL_LAYERS['default']['BACKEND']}; python {sys.version.split()[0]}")
        connection.close()
        server = Server(workers=args.workers)
        server.start()
        try:
            asyncio.run(run(args, tender, bids, criteria, experts, operators, server.port))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
