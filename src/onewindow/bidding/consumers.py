"""The WebSocket of a tender's evaluation session: one connection per open screen.

On connect the screen gets the whole state (`live.session_state`); afterwards, every published
event filtered for its viewer. Actions sent by an expert's screen ({"action": "score", ...}) go
through the core services, which check, save, audit and publish; a refusal comes back as
{"type": "error", "detail": "<Chinese message>"} and changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal, InvalidOperation

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.bidding import live
from onewindow.bidding.errors import BiddingError
from onewindow.bidding.models import CommitteeMember, Message, Tender
from onewindow.bidding.services.session import (
    chair_elect,
    compliance_record,
    message_post,
    score_enter,
    scoring_close,
)

log = logging.getLogger(__name__)

# Close codes (4000–4999 are the application's): the screen shows the message and stops retrying.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404

# Events whose payload a screen cannot apply alone: it gets a fresh state instead.
RELOAD_EVENTS = frozenset({"chair", "closed", "compliance", "signed"})
TEXT_MAX = 2000


class SessionConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.viewer = None
        self.actions: asyncio.Queue = asyncio.Queue()
        self.worker: asyncio.Task | None = None
        self.tender_id = int(self.scope["url_route"]["kwargs"]["tender_id"])
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.refuse(_("请先登录，再进入评标室。"), CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        found, viewer = await self._viewer()
        if not found:
            await self.refuse(_("招标项目不存在。"), CLOSE_NOT_FOUND)
            return
        if viewer is None:
            await self._audit_refusal(_("非评标委员会成员或场地管理员试图进入评标室"))
            await self.refuse(_("您不是本项目评标委员会成员或场地管理员，不能进入评标室。"),
                              CLOSE_FORBIDDEN)
            return
        self.viewer = viewer
        await self.channel_layer.group_add(live.group_name(self.tender_id), self.channel_name)
        await self.send_state()
        self.worker = asyncio.ensure_future(self.work())

    async def disconnect(self, code):
        if self.worker is not None:
            self.worker.cancel()
        if self.viewer is not None:
            await self.channel_layer.group_discard(live.group_name(self.tender_id),
                                                   self.channel_name)

    async def refuse(self, detail: str, code: int):
        await self.send_json({"type": "error", "detail": detail, "fatal": True})
        await self.close(code=code)

    async def send_state(self, ref=None):
        state = await database_sync_to_async(self._state)()
        await self.send_json({"type": "state", "state": state, "ref": ref})

    # Events from the channel layer ----------------------------------------------------------
    async def session_event(self, message):
        event, payload = message["event"], message["payload"]
        if event in RELOAD_EVENTS:
            await self.send_state()
            return
        if event == "message" and "text" not in payload:
            payload = await database_sync_to_async(self._message)(payload.get("id"))
            if payload is None:
                return
        out = live.event_for(viewer=self.viewer, event=event, payload=payload)
        if out is not None:
            out["sent"] = message.get("sent")
            await self.send_json(out)

    # Actions from the screen ------------------------------------------------------------------
    async def receive_json(self, content, **kwargs):
        """Queue the action: a consumer handles one message at a time, so running a save here
        would hold back the other venues' events meanwhile. The worker runs the actions of
        this screen one after the other, in the order sent."""
        if self.viewer is not None:
            await self.actions.put(content)

    async def work(self):
        while True:
            content = await self.actions.get()
            try:
                await self.act(content)
            except Exception:  # one failed action must not end this screen's worker
                log.exception("bidding: action failed on tender %s", self.tender_id)
                ref = content.get("ref") if isinstance(content, dict) else None
                await self.send_json({"type": "error", "detail": _("操作失败，请重试。"),
                                      "ref": ref})

    async def act(self, content):
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "detail": _("无法识别的请求。")})
            return
        action, ref = content.get("action"), content.get("ref")
        if action == "reload":
            await self.send_state(ref=ref)
            return
        handler = ACTIONS.get(action)
        if handler is None:
            await self.send_json({"type": "error", "detail": _("无法识别的请求。"), "ref": ref})
            return
        try:
            await database_sync_to_async(handler)(self, content)
        except BiddingError as exc:
            await self.send_json({"type": "error", "detail": exc.message, "ref": ref})
            return
        except ActionInputError as exc:
            await self.send_json({"type": "error", "detail": str(exc), "ref": ref})
            return
        await self.send_json({"type": "ack", "action": action, "ref": ref})

    # Sync helpers (run in a worker thread) --------------------------------------------------
    def _tender(self):

        return Tender.objects.select_related("main_venue").filter(pk=self.tender_id).first()

    @database_sync_to_async
    def _viewer(self):
        tender = self._tender()
        if tender is None:
            return False, None
        return True, live.viewer_for(user=self.user, tender=tender)

    def _state(self):
        return live.session_state(viewer=self.viewer, tender=self._tender())

    def _message(self, pk):

        message = Message.objects.select_related("author", "venue").filter(
            pk=pk, tender_id=self.tender_id).first()
        return live.message_json(message) if message else None

    @database_sync_to_async
    def _audit_refusal(self, note: str):

        tender = self._tender()
        with transaction.atomic():
            audit_record(actor=self.user, action="bidding.refused", obj=tender,
                         new={"action": "session_join"}, note=note)

    # The actions: each calls one core service and lets its BiddingError through.
    def do_score(self, content):
        tender = self._tender()
        bid = _child(tender.bids, content.get("bid"), _("投标文件不存在。"))
        criterion = _child(tender.criteria, content.get("criterion"), _("评分因素不存在。"))
        score_enter(actor=self.user, bid=bid, criterion=criterion,
                    points=_decimal(content.get("points")))

    def do_message(self, content):
        text = str(content.get("text") or "").strip()
        if not text:
            raise ActionInputError(_("请输入讨论内容。"))
        if len(text) > TEXT_MAX:
            raise ActionInputError(_("讨论内容不能超过2000字。"))
        message_post(actor=self.user, tender=self._tender(), text=text)

    def do_compliance(self, content):
        tender = self._tender()
        bid = _child(tender.bids, content.get("bid"), _("投标文件不存在。"))
        passed = content.get("passed")
        if not isinstance(passed, bool):
            raise ActionInputError(_("请选择“通过”或“不通过”。"))
        compliance_record(actor=self.user, bid=bid, passed=passed,
                          reason=str(content.get("reason") or "").strip())

    def do_chair(self, content):
        tender = self._tender()
        member = _child(CommitteeMember.objects.filter(tender=tender), content.get("member"),
                        _("评标委员会成员不存在。"))
        chair_elect(actor=self.user, tender=tender, member=member)

    def do_close(self, content):
        scoring_close(actor=self.user, tender=self._tender())


class ActionInputError(Exception):
    """A malformed action from a screen (not a number, missing field): a Chinese message."""


def _child(queryset, pk, missing: str):
    try:
        obj = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        obj = None
    if obj is None:
        raise ActionInputError(missing)
    return obj


def _decimal(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ActionInputError(_("分值必须是数字，最多两位小数。")) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ActionInputError(_("分值必须是数字，最多两位小数。"))
    return value


ACTIONS = {
    "score": SessionConsumer.do_score,
    "message": SessionConsumer.do_message,
    "compliance": SessionConsumer.do_compliance,
    "chair": SessionConsumer.do_chair,
    "close": SessionConsumer.do_close,
}
