"""The live evaluation session: who may watch a tender's session, what they see, and pushing
every change to every venue's screen.

The core services call `publish` through `transaction.on_commit` after each write; it sends the
event to the tender's Channels group, where each connected screen (consumers.SessionConsumer)
filters it for its viewer: while scoring is open an expert sees only their own points, the others
only as progress. A screen that reconnects asks for `session_state` again, so a venue that drops
out loses nothing: the database, not the socket, is the record.

Payloads the screens read directly: "score" {"member_id", "bid_id", "criterion_id", "points"}
(points stripped for everyone but the author), "progress" {"member_id", "scored", "total"} and
"message" {"id", "author", "venue", "text", "at"} (or just {"id"}: the consumer loads it). Any
other event makes each screen reload its state from the database.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from onewindow.bidding.enums import SignatureKind
from onewindow.bidding.models import Message, Report, Score
from onewindow.bidding.selectors import CLOSED_STATES, member_for, progress, seated_members

log = logging.getLogger(__name__)

EVENTS = frozenset({"score", "progress", "message", "chair", "closed", "compliance", "signed"})
MESSAGES_SHOWN = 200


def group_name(tender_id: int) -> str:
    return f"bidding.tender.{int(tender_id)}"


def publish(*, tender_id: int, event: str, payload: dict) -> None:
    """Send `event` with `payload` to everyone watching tender `tender_id`.

    Called after commit: the change is saved whatever happens here, so a failure of the channel
    layer (Redis down) is logged, not raised; screens catch up from the database on reconnect.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    message = {
        "type": "session.event",
        "event": event,
        # Plain JSON types only: Decimal → str, datetime → ISO (Redis layers use msgpack).
        "payload": json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
        "sent": time.time(),
    }
    try:
        async_to_sync(layer.group_send)(group_name(tender_id), message)
    except Exception:  # the write is committed; a lost push is repaired by the next reload
        log.exception("bidding: could not publish %s for tender %s", event, tender_id)


@dataclass(frozen=True)
class Viewer:
    """Someone allowed on a tender's session screen: a committee member or a venue operator."""

    user_id: int
    member_id: int | None
    venue_id: int | None
    is_operator: bool
    is_main_operator: bool

    @property
    def is_member(self) -> bool:
        return self.member_id is not None


def viewer_for(*, user, tender) -> Viewer | None:
    """None for anyone who is neither a seated member nor an operator of one of its venues."""
    if not user.is_authenticated:
        return None
    member = member_for(user=user, tender=tender)
    venue_ids = {tender.main_venue_id, *tender.sub_venues.values_list("pk", flat=True)}
    operated = set(user.bidding_venues.filter(pk__in=venue_ids).values_list("pk", flat=True))
    watcher = user.has_perm("bidding.watch_tender", tender)
    if member is None and not watcher:
        return None
    if member is not None:
        venue_id = member.venue_id
    elif operated:
        venue_id = tender.main_venue_id if tender.main_venue_id in operated else min(operated)
    else:
        venue_id = None
    return Viewer(
        user_id=user.pk,
        member_id=member.pk if member else None,
        venue_id=venue_id,
        is_operator=bool(operated),
        is_main_operator=tender.main_venue_id in operated,
    )


def scoring_open(tender) -> bool:
    return tender.scoring_closed_at is None and tender.state not in CLOSED_STATES


def _points(value) -> str:
    return f"{value:.2f}"


def session_state(*, viewer: Viewer, tender) -> dict:
    """Everything a screen shows, as plain JSON, filtered for `viewer`."""
    tender.refresh_from_db()
    is_open = scoring_open(tender)
    criteria = list(tender.criteria.all())
    bids = list(tender.bids.select_related("lot"))
    members = list(seated_members(tender=tender))
    counts = progress(tender=tender)
    all_scores = Score.objects.filter(bid__tender=tender)
    filled = list(all_scores.values_list("member_id", "bid_id", "criterion_id"))
    scores = all_scores
    if is_open:
        scores = scores.filter(member_id=viewer.member_id) if viewer.is_member else scores.none()
    messages = list(
        Message.objects.filter(tender=tender).select_related("author", "venue")
        .order_by("-at", "-pk")[:MESSAGES_SHOWN]
    )
    venues = [tender.main_venue, *tender.sub_venues.order_by("name")]
    return {
        "tender": {"id": tender.pk, "number": tender.number, "title": tender.title,
                   "state": tender.state, "state_label": tender.get_state_display()},
        "scoring_open": is_open,
        "chair": tender.chair_id,
        "me": {"member": viewer.member_id, "venue": viewer.venue_id,
               "is_chair": viewer.member_id is not None and viewer.member_id == tender.chair_id,
               "is_operator": viewer.is_operator, "is_main_operator": viewer.is_main_operator},
        "venues": [{"id": v.pk, "name": v.name, "city": v.city,
                    "main": v.pk == tender.main_venue_id} for v in venues],
        "members": [{"id": m.pk, "name": _name(m.user), "venue": m.venue_id,
                     "venue_name": m.venue.name, "kind": m.get_kind_display(),
                     "confirmed": counts[m.pk]["confirmed"], "scored": counts[m.pk]["scored"],
                     "total": counts[m.pk]["total"]} for m in members],
        "criteria": [{"id": c.pk, "name": c.name, "min": _points(c.min_points),
                      "max": _points(c.max_points)} for c in criteria],
        "bids": [{"id": b.pk, "bidder": b.bidder, "lot": b.lot.number, "price": str(b.price),
                  "compliance": b.compliance, "compliance_label": b.get_compliance_display(),
                  "reason": b.compliance_reason} for b in bids],
        # Who has scored which cell (progress, never points) and the points this viewer may see.
        "filled": [list(cell) for cell in filled],
        "scores": [{"member": s.member_id, "bid": s.bid_id, "criterion": s.criterion_id,
                    "points": _points(s.points)} for s in scores],
        "messages": [message_json(m) for m in reversed(messages)],
        "report": _report(tender),
    }


def _name(user) -> str:
    return user.get_full_name() or user.username


def message_json(message) -> dict:
    author = message.author
    return {"id": message.pk, "author": _name(author),
            "venue": message.venue.name, "text": message.text, "at": message.at.isoformat()}


def _report(tender) -> dict | None:
    report = Report.objects.filter(tender=tender).first()
    if report is None:
        return None
    return {
        "id": report.pk, "code": report.code, "countersigned": report.countersigned_at is not None,
        "signatures": [{"member": s.member_id, "kind": s.kind, "reasons": s.reasons,
                        "dissent": s.kind == SignatureKind.DISSENT}
                       for s in report.signatures.order_by("pk")],
    }


def event_for(*, viewer: Viewer, event: str, payload: dict) -> dict | None:
    """What one screen receives of a published event; None to send nothing.

    While scoring is open an expert's points reach only that expert's own screens: the others
    get the same event without points (the cell shows "scored", the progress moves).
    """
    if event == "score":
        # A score is entered only while scoring is open: its points are the author's alone.
        own = viewer.member_id is not None and payload.get("member_id") == viewer.member_id
        payload = {key: value for key, value in payload.items() if own or key != "points"}
    return {"type": "event", "event": event, "payload": payload}
