"""A remote cross-region evaluation (1+N 远程异地评标) in Chromium: the main venue and two
sub-venues, each a browser context of its own, against a live ASGI server (HTTP + WebSocket).
Five experts elect the chair, the committee reviews compliance, nine experts score (each venue's
screen sees the others' progress within a second, never their points), a score out of bounds
is refused on screen, the chair closes, the report is generated and signed (one dissent), and
the main venue countersigns."""

from __future__ import annotations

import contextlib
import gc
import socket
import sqlite3
import threading
import time
from decimal import Decimal
from types import SimpleNamespace

import pytest
import uvicorn
from asgiref.sync import SyncToAsync
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from playwright.sync_api import expect

from onewindow.bidding.enums import SignatureKind, TenderState
from onewindow.bidding.models import ReportSignature, Score
from tests.bidding.test_live_consumers import build_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LIVE_MS = 1_000  # a score must reach every venue within one second


class AsgiLiveServer:
    """uvicorn serving onewindow.asgi (static files included) in a thread of the test process,
    against the test database."""

    def __init__(self):
        from onewindow.asgi import application

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(ASGIStaticFilesHandler(application), log_level="warning",
                                lifespan="off", ws="websockets-sansio")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()
        # The consumers' database work ran in asgiref's thread: close its connection, and let
        # the request threads' ones go, so that the test database can be dropped at the end.
        SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)
        gc.collect()


@contextlib.contextmanager
def file_database(tmp_path):
    """SQLite's in-memory test database cannot be shared by the server's threads (a second
    connection to it fails with "table is locked" as soon as two touch one table). For the
    test's duration, copy it to a file (WAL, busy timeout: real locking) and point every
    connection there; afterwards the in-memory database, kept open meanwhile, is back."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory_name = connection.settings_dict["NAME"]
    keep_alive = sqlite3.connect(memory_name, uri=True)
    path = str(tmp_path / "live.sqlite3")
    with sqlite3.connect(path) as target:
        keep_alive.backup(target)
    target.close()
    connection.settings_dict["NAME"] = path
    connection.close()  # no longer "in memory", so this really closes it
    try:
        yield
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = memory_name
        connection.ensure_connection()  # back on the in-memory database before letting go
        keep_alive.close()


@pytest.fixture
def asgi_live_server(transactional_db, tmp_path):
    with file_database(tmp_path), AsgiLiveServer() as server:
        yield server


@pytest.fixture
def venues(browser, asgi_live_server):
    """One browser context per venue; `log_in` puts the person at that venue's terminal."""
    contexts, csp_errors = {}, []

    def open_venue(name):
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda msg: csp_errors.append(msg.text)
                if "Content Security Policy" in msg.text else None)
        contexts[name] = context
        return page

    yield SimpleNamespace(open=open_venue, url=asgi_live_server.url, csp_errors=csp_errors)
    for context in contexts.values():
        context.close()


def log_in(page, url: str, user):
    """The person signs in at this venue's terminal (the session cookie of a real login)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": url}])


def enter_room(page, url: str, tender, user):
    log_in(page, url, user)
    page.goto(f"{url}/bidding/session/{tender.pk}/")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "open")


def points_of(index: int, cell: int) -> str:
    """Distinct points for each expert and cell, so that a leak would be visible."""
    return f"{20 + index}.{11 + cell}"


def test_remote_evaluation_three_venues(venues):
    s = build_session(per_venue=3, bids=2, criteria=2, chair=False)
    url, tender = venues.url, s.tender
    pages = {code: venues.open(code) for code in ("qd-main", "yt-sub", "ls-sub")}
    by_venue = {code: [m for m in s.members if m.venue.code == code] for code in pages}
    chair = s.members[0]

    # The chair: five of nine vote for the same member; every open screen redraws at once.
    watcher = pages["ls-sub"]
    enter_room(watcher, url, tender, by_venue["ls-sub"][2].user)
    for voter in s.members[:5]:
        page = pages[voter.venue.code]
        enter_room(page, url, tender, voter.user)
        page.locator(f'[data-member-row="{chair.pk}"]').get_by_role(
            "button", name="推选为主任").click()
        if voter is not s.members[4]:
            expect(page.get_by_role("button", name="已投票")).to_be_visible()
    for page in pages.values():  # each screen redraws itself: the chair is marked
        expect(page.locator(f'[data-member-row="{chair.pk}"] .badge-ok')).to_have_text("主任")

    # Compliance review by the chair at the main venue.
    main = pages["qd-main"]
    enter_room(main, url, tender, chair.user)
    for bid in s.bids:
        review = main.locator(f'form[data-bid="{bid.pk}"]')
        review.get_by_role("button", name="通过", exact=True).click()
        expect(main.locator(f'[data-compliance="{bid.pk}"]')).to_have_text("通过")

    # Nine experts score; each venue keeps one screen open and watches the others' progress.
    cells = [(bid, criterion) for bid in s.bids for criterion in s.criteria]
    for code, page in pages.items():
        for member in by_venue[code]:
            index = s.members.index(member)
            enter_room(page, url, tender, member.user)
            if index == 4:  # out of bounds: refused on screen, nothing saved
                box = page.get_by_label(f"{s.bids[0].bidder} {s.criteria[0].name}")
                box.fill("40")
                box.press("Tab")
                expect(page.locator("#live-error")).to_have_text(
                    "“技术方案1”的分值应在 0.00 至 35.00 分之间，您输入的是 40 分。")
                expect(box).to_have_value("")
            for n, (bid, criterion) in enumerate(cells):
                box = page.get_by_label(f"{bid.bidder} {criterion.name}")
                box.fill(points_of(index, n))
                box.press("Tab")
                expect(page.locator(
                    f'[data-cell-status="{bid.pk}-{criterion.pk}"]')).to_have_text("已保存")
            for other_code, other in pages.items():
                if other_code != code and other.url.endswith(f"/session/{tender.pk}/"):
                    expect(other.locator(f'[data-progress="{member.pk}"]')).to_have_text(
                        "4/4", timeout=LIVE_MS)
                    assert points_of(index, 0) not in other.content()
    assert Score.objects.count() == 9 * len(cells)

    # The chair closes: every venue's screen turns to the results.
    enter_room(main, url, tender, chair.user)
    main.get_by_role("button", name="结束评分").click()
    for page in pages.values():
        expect(page.get_by_role("heading", name="评分结果")).to_be_visible()
    expect(pages["yt-sub"].locator("body")).to_contain_text(points_of(0, 0))

    # The report: generated by the chair, signed by all (one dissent), countersigned.
    main.get_by_role("link", name="签署评标报告").click()
    main.get_by_role("button", name="生成评标报告").click()
    expect(main.locator(".messages")).to_contain_text("评标报告已生成")
    main.get_by_role("button", name="同意并签署").click()
    expect(main.locator(".messages")).to_contain_text("您已签署评标报告。")
    for member in s.members[1:]:
        page = pages[member.venue.code]
        log_in(page, url, member.user)
        page.goto(f"{url}/bidding/session/{tender.pk}/sign/")
        if member is s.members[7]:
            page.get_by_label("不同意见及理由").fill("投标2号公司的技术方案评分偏高。")
            page.get_by_role("button", name="签署并保留不同意见").click()
            expect(page.locator(".messages")).to_contain_text("不同意见已记录")
        else:
            page.get_by_role("button", name="同意并签署").click()
            expect(page.locator(".messages")).to_contain_text("您已签署评标报告。")
    log_in(main, url, s.operators["qd-main"])
    main.goto(f"{url}/bidding/session/{tender.pk}/sign/")
    main.get_by_role("button", name="主场确认评标报告").click()
    expect(main.locator(".messages")).to_contain_text("主场已确认评标报告。")

    tender.refresh_from_db()
    assert tender.state == TenderState.REPORTED
    kinds = list(ReportSignature.objects.values_list("kind", flat=True))
    assert len(kinds) == 9 and kinds.count(SignatureKind.DISSENT) == 1
    assert Score.objects.get(member=s.members[8], bid=s.bids[1],
                             criterion=s.criteria[1]).points == Decimal(points_of(8, 3))
    assert venues.csp_errors == []
