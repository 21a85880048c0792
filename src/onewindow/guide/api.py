"""The guide JSON API, mounted at /api/guide/: search and a short conversation.

Public (no sign-in): anyone in the hall or on a phone may ask. Every call counts against the
client's rate limit (a database counter per address and minute, see services.rate_limit_take);
past it the answer is 429 with a Chinese message. Questions that are empty, too long or only
symbols are answered (kind "empty", "too_long", "unclear") with status 200, never an error.
"""

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from onewindow.catalog.enums import OnlineDepth
from onewindow.core.schemas import ErrorOut
from onewindow.guide import services
from onewindow.guide.chat import chat_turn
from onewindow.guide.errors import GuideError
from onewindow.guide.models import Channel
from onewindow.guide.selectors import (
    MAX_LIMIT,
    Answer,
    attach_appointments,
    guide_answer,
    query_log_get,
)

router = Router(tags=["guide"])


class SearchQuery(Schema):
    q: str = Field("", max_length=10000, description="问题，用日常说法即可")
    limit: int = Field(5, ge=1, le=MAX_LIMIT)
    audience: str | None = Field(None, pattern="^(enterprise|person)$")
    department: int | None = None


class ItemOut(Schema):
    id: int
    code: str
    name: str
    department: str
    score: float
    reasons: list[str]
    promised_limit: int | None
    materials: list[str]
    where_to_apply: str
    guide_url: str
    apply_url: str | None
    appointment_url: str | None = None
    next_free_slot: str | None = None


class StepOut(Schema):
    order: int
    kind: str
    id: int
    name: str
    note: str
    optional: bool
    url: str


class FollowUpOut(Schema):
    slot: str
    question: str
    options: list[list[str]]


class AnswerOut(Schema):
    query: str
    kind: str
    message: str
    items: list[ItemOut]
    scenario: str | None
    steps: list[StepOut]
    follow_up: FollowUpOut | None
    log_id: str | None


class ChatIn(Schema):
    message: str = Field("", max_length=10000)
    state: str = Field("", max_length=4000, description="上一轮返回的 state，原样带回")


class ChatOut(AnswerOut):
    reply: str
    state: str
    turn: int


class RateIn(Schema):
    log_id: str
    rating: int = Field(..., description="1 有帮助，-1 没帮上忙")


class RateOut(Schema):
    log_id: str
    rating: int


def _item_out(answer_item) -> dict:
    item = answer_item.item
    slot = getattr(answer_item, "slot", None)
    return {
        "id": item.pk, "code": item.implementation_code, "name": item.name,
        "department": item.department.name, "score": answer_item.score,
        "reasons": answer_item.reasons, "promised_limit": item.promised_limit,
        "materials": list(answer_item.materials), "where_to_apply": item.where_to_apply,
        "guide_url": reverse("catalog:item", args=[item.pk]),
        "apply_url": (reverse("cases:apply", args=[item.pk])
                      if item.online_depth >= OnlineDepth.PRE_REVIEW else None),
        "appointment_url": getattr(answer_item, "appointment_url", None),
        "next_free_slot": slot.start.isoformat() if slot is not None else None,
    }


def _step_out(step) -> dict:
    if step.item is not None:
        return {"order": step.order, "kind": "item", "id": step.item.pk, "name": step.item.name,
                "note": step.note, "optional": step.is_optional,
                "url": reverse("catalog:item", args=[step.item.pk])}
    return {"order": step.order, "kind": "bundle", "id": step.bundle.pk,
            "name": step.bundle.name, "note": step.note, "optional": step.is_optional,
            "url": reverse("catalog:bundle", args=[step.bundle.code])}


def answer_out(answer: Answer, log) -> dict:
    follow = answer.follow_up
    return {
        "query": answer.query, "kind": answer.kind, "message": answer.message,
        "items": [_item_out(a) for a in answer.items],
        "scenario": answer.scenario.name if answer.scenario else None,
        "steps": [_step_out(s) for s in answer.steps],
        "follow_up": ({"slot": follow.slot, "question": follow.question,
                       "options": [list(o) for o in follow.options]} if follow else None),
        "log_id": str(log.public_id) if log else None,
    }


def _limit(request) -> None:
    services.rate_limit_take(client=services.client_key(request.META.get("REMOTE_ADDR", "")))


@router.get("/search", response={200: AnswerOut, 429: ErrorOut}, auth=None, summary="智能导办检索")
def search(request, params: Query[SearchQuery]):
    """Ranked items for a question in plain Chinese, each with its score and why it matched."""
    try:
        _limit(request)
    except GuideError as error:
        return Status(error.status, {"detail": error.message})
    answer = guide_answer(query=params.q, audience=params.audience,
                          department_id=params.department, limit=params.limit)
    attach_appointments(answer)
    log = services.query_log_record(actor=request.user, answer=answer, channel=Channel.API)
    return Status(200, answer_out(answer, log))


@router.post("/chat", response={200: ChatOut, 429: ErrorOut}, auth=None, summary="智能导办问答")
def chat(request, payload: ChatIn):
    """One turn of a conversation; send back `state` from the previous answer to continue."""
    try:
        _limit(request)
    except GuideError as error:
        return Status(error.status, {"detail": error.message})
    turn = chat_turn(message=payload.message, token=payload.state)
    answer = turn.answer
    attach_appointments(answer)
    log = services.query_log_record(actor=request.user, answer=answer, channel=Channel.CHAT)
    reply = answer.message + (f" {answer.follow_up.question}" if answer.follow_up else "")
    return Status(200, {**answer_out(answer, log), "reply": reply, "state": turn.state,
                        "turn": turn.turn})


@router.post("/rate", response={200: RateOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
             auth=None, summary="评价导办回答")
def rate(request, payload: RateIn):
    """Rate an answer once: 1 (helped) or -1 (did not)."""
    try:
        log = query_log_get(public_id=payload.log_id)
        log = services.query_log_rate(actor=request.user, log=log, rating=payload.rating)
    except Http404 as error:
        return Status(404, {"detail": str(error)})
    except GuideError as error:
        return Status(error.status, {"detail": error.message})
    return Status(200, {"log_id": str(log.public_id), "rating": log.rating})
