"""The session's WebSocket, through the real ASGI application (origin check, session cookie,
routing): who may connect, what each screen sees, and that nothing is lost on reconnect."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.test import Client

from onewindow.asgi import application
from onewindow.audit.models import AuditEvent
from onewindow.bidding.enums import MemberStatus, TenderState
from onewindow.bidding.models import CommitteeMember, Score
from tests.bidding.factories import (
    BidFactory,
    CriterionFactory,
    ExpertFactory,
    LotFactory,
    TenderFactory,
    VenueFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 3


def build_session(*, per_venue: int = 3, bids: int = 2, criteria: int = 2,
                  chair: bool = True) -> SimpleNamespace:
    """A tender evaluated in a main venue and two sub-venues, `per_venue` confirmed experts in
    each; with `chair`, the first main-venue expert is chair and scoring is open."""
    main = VenueFactory(code="qd-main", name="青岛高新区主场", city="青岛")
    subs = [VenueFactory(code="yt-sub", name="烟台副场", city="烟台"),
            VenueFactory(code="ls-sub", name="崂山副场", city="崂山")]
    operators = {}
    for venue in (main, *subs):
        operators[venue.code] = UserFactory(username=f"op-{venue.code}", role="venue_operator")
        venue.operators.add(operators[venue.code])
    tender = TenderFactory(main_venue=main, committee_size=3 * per_venue,
                           state=TenderState.COMMITTEE)
    tender.sub_venues.set(subs)
    lot = LotFactory(tender=tender)
    crits = [CriterionFactory(tender=tender, name=f"技术方案{i + 1}", min_points=Decimal("0"),
                              max_points=Decimal("35")) for i in range(criteria)]
    bid_list = [BidFactory(lot=lot, bidder=f"青岛投标{i + 1}号公司",
                           price=Decimal("1000000") + i * 50000) for i in range(bids)]
    members = []
    for venue in (main, *subs):
        for i in range(per_venue):
            expert = ExpertFactory(city=venue.city,
                                   user=UserFactory(username=f"{venue.code}-e{i + 1}",
                                                    role="expert"))
            members.append(CommitteeMember.objects.create(
                tender=tender, user=expert.user, expert=expert, venue=venue,
                status=MemberStatus.CONFIRMED))
    if chair:
        tender.chair = members[0]
        tender.state = TenderState.EVALUATING
        tender.save()
    return SimpleNamespace(tender=tender, main=main, subs=subs, operators=operators,
                           criteria=crits, bids=bid_list, members=members)


def cookie_for(user) -> bytes:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def screen(tender_id: int, cookie: bytes | None = None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, f"/ws/bidding/session/{tender_id}/",
                                 headers=headers)


async def open_screen(tender_id: int, user) -> tuple[WebsocketCommunicator, dict]:
    communicator = screen(tender_id, await database_sync_to_async(cookie_for)(user))
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected
    first = await communicator.receive_json_from(timeout=TIMEOUT)
    assert first["type"] == "state", first
    return communicator, first["state"]


async def receive_until(communicator, predicate, limit: int = 20) -> dict:
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if predicate(message):
            return message
    raise AssertionError("the expected message never came")


@pytest.fixture
def session():
    async_to_sync(get_channel_layer().flush)()
    return build_session()


def test_connect_without_login_refused_with_message(session):
    async def run():
        communicator = screen(session.tender.pk)
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        closed = await communicator.receive_output(timeout=TIMEOUT)
        return message, closed

    message, closed = async_to_sync(run)()
    assert message == {"type": "error", "detail": "请先登录，再进入评标室。", "fatal": True}
    assert closed == {"type": "websocket.close", "code": 4401}


def test_connect_from_another_origin_rejected(session):
    cookie = cookie_for(session.members[0].user)

    async def run():
        communicator = WebsocketCommunicator(
            application, f"/ws/bidding/session/{session.tender.pk}/",
            headers=[(b"origin", b"http://evil.example"), (b"cookie", cookie)])
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        return connected

    assert async_to_sync(run)() is False


def test_connect_non_member_refused_and_audited(session):
    stranger = UserFactory(username="stranger", role="expert")
    cookie = cookie_for(stranger)

    async def run():
        communicator = screen(session.tender.pk, cookie)
        await communicator.connect(timeout=TIMEOUT)
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        closed = await communicator.receive_output(timeout=TIMEOUT)
        return message, closed

    message, closed = async_to_sync(run)()
    assert message["detail"] == "您不是本项目评标委员会成员或场地管理员，不能进入评标室。"
    assert closed["code"] == 4403
    event = AuditEvent.objects.filter(action="bidding.refused", actor=stranger).get()
    assert event.new_value == {"action": "session_join"}


def test_connect_unknown_tender_refused(session):
    cookie = cookie_for(session.members[0].user)

    async def run():
        communicator = screen(session.tender.pk + 999, cookie)
        await communicator.connect(timeout=TIMEOUT)
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        closed = await communicator.receive_output(timeout=TIMEOUT)
        return message, closed

    message, closed = async_to_sync(run)()
    assert message["detail"] == "招标项目不存在。"
    assert closed["code"] == 4404


def test_connect_member_gets_whole_state(session):
    member = session.members[4]

    async def run():
        communicator, state = await open_screen(session.tender.pk, member.user)
        await communicator.disconnect()
        return state

    state = async_to_sync(run)()
    assert state["tender"]["number"] == session.tender.number
    assert state["me"] == {"member": member.pk, "venue": session.subs[0].pk, "is_chair": False,
                           "is_operator": False, "is_main_operator": False}
    assert [b["bidder"] for b in state["bids"]] == ["青岛投标1号公司", "青岛投标2号公司"]
    assert [c["max"] for c in state["criteria"]] == ["35.00", "35.00"]
    assert len(state["members"]) == 9
    assert {m["total"] for m in state["members"]} == {4}
    assert state["scoring_open"] is True and state["chair"] == session.members[0].pk


def test_score_reaches_every_venue_points_only_to_author(session):
    author, colleague = session.members[0], session.members[7]
    bid, criterion = session.bids[0], session.criteria[1]

    async def run():
        mine, _ = await open_screen(session.tender.pk, author.user)
        other, _ = await open_screen(session.tender.pk, colleague.user)
        venue, _ = await open_screen(session.tender.pk, session.operators["ls-sub"])
        await mine.send_json_to({"action": "score", "bid": bid.pk, "criterion": criterion.pk,
                                 "points": "30.5", "ref": "1"})
        seen = {}
        for name, communicator in (("mine", mine), ("other", other), ("venue", venue)):
            for _ in range(3 if name == "mine" else 2):  # the author also gets an ack
                message = await communicator.receive_json_from(timeout=TIMEOUT)
                seen[f"{name}_{message.get('event', message['type'])}"] = message
        for communicator in (mine, other, venue):
            await communicator.disconnect()
        return seen

    seen = async_to_sync(run)()
    assert seen["mine_ack"] == {"type": "ack", "action": "score", "ref": "1"}
    assert Decimal(seen["mine_score"]["payload"]["points"]) == Decimal("30.50")
    for name in ("other", "venue"):
        assert "points" not in seen[name + "_score"]["payload"]
        assert seen[name + "_score"]["payload"]["member_id"] == author.pk
        assert seen[name + "_score"]["payload"]["bid_id"] == bid.pk
        assert seen[name + "_progress"]["payload"]["scored"] == 1
        assert seen[name + "_progress"]["payload"]["total"] == 4
    assert Score.objects.get().points == Decimal("30.50")


def test_score_out_of_bounds_refused_nothing_changes(session):
    author = session.members[3]
    bid, criterion = session.bids[1], session.criteria[0]
    Score.objects.create(member=author, bid=bid, criterion=criterion, points=Decimal("20"))

    async def run():
        mine, _ = await open_screen(session.tender.pk, author.user)
        replies = []
        for ref, points in (("a", "36"), ("b", "abc"), ("c", "1.234")):
            await mine.send_json_to({"action": "score", "bid": bid.pk,
                                     "criterion": criterion.pk, "points": points, "ref": ref})
            replies.append(await receive_until(mine, lambda m: m["type"] == "error"))
        await mine.disconnect()
        return replies

    replies = async_to_sync(run)()
    assert replies[0]["detail"] == "“技术方案1”的分值应在 0.00 至 35.00 分之间，您输入的是 36 分。"
    assert replies[1]["detail"] == "分值必须是数字，最多两位小数。"
    assert replies[2]["detail"] == "分值必须是数字，最多两位小数。"
    assert [r["ref"] for r in replies] == ["a", "b", "c"]
    assert Score.objects.get().points == Decimal("20.00")
    assert AuditEvent.objects.filter(action="bidding.refused", actor=author.user).count() == 1


def test_operator_cannot_score(session):
    operator = session.operators["qd-main"]

    async def run():
        venue, state = await open_screen(session.tender.pk, operator)
        await venue.send_json_to({"action": "score", "bid": session.bids[0].pk,
                                  "criterion": session.criteria[0].pk, "points": "10"})
        reply = await receive_until(venue, lambda m: m["type"] == "error")
        await venue.disconnect()
        return state, reply

    state, reply = async_to_sync(run)()
    assert state["me"]["is_main_operator"] is True and state["me"]["member"] is None
    assert reply["detail"] == "您不是本项目评标委员会成员，不能执行此操作。"
    assert not Score.objects.exists()


def test_reconnect_reloads_what_happened_meanwhile(session):
    dropped, colleague = session.members[6], session.members[1]
    bid, criterion = session.bids[0], session.criteria[0]

    async def run():
        screen_a, _ = await open_screen(session.tender.pk, dropped.user)
        await screen_a.send_json_to({"action": "score", "bid": bid.pk,
                                     "criterion": criterion.pk, "points": "12"})
        await receive_until(screen_a, lambda m: m["type"] == "ack")
        await screen_a.disconnect()  # the sub-venue's line drops
        screen_b, _ = await open_screen(session.tender.pk, colleague.user)
        await screen_b.send_json_to({"action": "score", "bid": bid.pk,
                                     "criterion": criterion.pk, "points": "33"})
        await receive_until(screen_b, lambda m: m["type"] == "ack")
        await screen_b.send_json_to({"action": "message", "text": "崂山副场网络已恢复吗？"})
        await receive_until(screen_b, lambda m: m["type"] == "ack")
        await screen_b.disconnect()
        screen_a, state = await open_screen(session.tender.pk, dropped.user)
        await screen_a.disconnect()
        return state

    state = async_to_sync(run)()
    assert state["scores"] == [{"member": dropped.pk, "bid": bid.pk, "criterion": criterion.pk,
                                "points": "12.00"}]
    assert sorted(state["filled"]) == sorted([[dropped.pk, bid.pk, criterion.pk],
                                              [colleague.pk, bid.pk, criterion.pk]])
    progress = {m["id"]: m["scored"] for m in state["members"]}
    assert progress[dropped.pk] == 1 and progress[colleague.pk] == 1
    assert [m["text"] for m in state["messages"]] == ["崂山副场网络已恢复吗？"]


def test_message_reaches_every_venue(session):
    speaker, listener = session.members[8], session.members[0]

    async def run():
        a, _ = await open_screen(session.tender.pk, speaker.user)
        b, _ = await open_screen(session.tender.pk, listener.user)
        await a.send_json_to({"action": "message", "text": "建议先统一第二项的评分尺度。"})
        heard = await receive_until(b, lambda m: m.get("event") == "message")
        await a.send_json_to({"action": "message", "text": "   "})
        empty = await receive_until(a, lambda m: m["type"] == "error")
        await a.disconnect()
        await b.disconnect()
        return heard, empty

    heard, empty = async_to_sync(run)()
    assert heard["payload"]["text"] == "建议先统一第二项的评分尺度。"
    assert heard["payload"]["venue"] == "崂山副场"
    assert empty["detail"] == "请输入讨论内容。"


def _score_everything(session):
    from onewindow.bidding.services.session import compliance_record, score_enter

    for bid in session.bids:
        compliance_record(actor=session.members[0].user, bid=bid, passed=True)
    for i, member in enumerate(session.members):
        for bid in session.bids:
            for criterion in session.criteria:
                score_enter(actor=member.user, bid=bid, criterion=criterion,
                            points=Decimal(20 + i))


def test_close_by_non_chair_refused(session):
    _score_everything(session)

    async def run():
        a, _ = await open_screen(session.tender.pk, session.members[2].user)
        await a.send_json_to({"action": "close"})
        reply = await receive_until(a, lambda m: m["type"] == "error")
        await a.disconnect()
        return reply

    assert async_to_sync(run)()["detail"] == "只有评标委员会主任可以结束评分。"
    session.tender.refresh_from_db()
    assert session.tender.state == TenderState.EVALUATING


def test_chair_close_shows_everyone_all_scores_and_stops_scoring(session):
    _score_everything(session)
    chair, other = session.members[0], session.members[5]

    async def run():
        a, before = await open_screen(session.tender.pk, chair.user)
        b, _ = await open_screen(session.tender.pk, other.user)
        await a.send_json_to({"action": "close", "ref": "close"})
        after = await receive_until(b, lambda m: m["type"] == "state")
        await b.send_json_to({"action": "score", "bid": session.bids[0].pk,
                              "criterion": session.criteria[0].pk, "points": "1"})
        late = await receive_until(b, lambda m: m["type"] == "error")
        await a.disconnect()
        await b.disconnect()
        return before, after["state"], late

    before, after, late = async_to_sync(run)()
    assert len(before["scores"]) == 4  # the chair's own, while open
    assert after["scoring_open"] is False
    assert len(after["scores"]) == 9 * 4
    assert late["detail"] == "评标委员会主任已结束评分，不能再修改。"
    assert Score.objects.get(member=other, bid=session.bids[0],
                             criterion=session.criteria[0]).points == Decimal("25.00")


def test_chair_vote_by_websocket_elects_chair(session):
    session.tender.chair = None
    session.tender.state = TenderState.COMMITTEE
    session.tender.save()
    candidate = session.members[3]

    async def run():
        watcher, _ = await open_screen(session.tender.pk, session.members[8].user)
        for voter in session.members[:5]:
            communicator, _ = await open_screen(session.tender.pk, voter.user)
            await communicator.send_json_to({"action": "chair", "member": candidate.pk})
            await receive_until(communicator, lambda m: m["type"] in ("ack", "error"))
            await communicator.disconnect()
        state = await receive_until(watcher, lambda m: m["type"] == "state"
                                    and m["state"]["chair"] is not None)
        await watcher.disconnect()
        return state["state"]

    state = async_to_sync(run)()
    assert state["chair"] == candidate.pk
    assert state["tender"]["state"] == TenderState.EVALUATING


def test_compliance_without_reason_refused(session):
    async def run():
        a, _ = await open_screen(session.tender.pk, session.members[1].user)
        await a.send_json_to({"action": "compliance", "bid": session.bids[1].pk,
                              "passed": False, "reason": ""})
        refused = await receive_until(a, lambda m: m["type"] == "error")
        await a.send_json_to({"action": "compliance", "bid": session.bids[1].pk,
                              "passed": False, "reason": "未提供有效的营业执照"})
        state = await receive_until(a, lambda m: m["type"] == "state")
        await a.disconnect()
        return refused, state["state"]

    refused, state = async_to_sync(run)()
    assert refused["detail"] == "判定投标文件未通过符合性审查时，必须填写理由。"
    failed = [b for b in state["bids"] if b["id"] == session.bids[1].pk][0]
    assert failed["compliance"] == "failed" and failed["reason"] == "未提供有效的营业执照"
    assert {m["total"] for m in state["members"]} == {2}


def test_unknown_action_refused(session):
    async def run():
        a, _ = await open_screen(session.tender.pk, session.members[1].user)
        await a.send_json_to({"action": "delete_everything"})
        reply = await receive_until(a, lambda m: m["type"] == "error")
        await a.disconnect()
        return reply

    assert async_to_sync(run)()["detail"] == "无法识别的请求。"
