"""A short conversation on top of `guide_answer`, kept by the client as a signed token.

The token holds the question being narrowed down, the answers given so far (enterprise or
person, which department) and the slot last asked about. It is signed, so a client can keep
it but not forge it; a token that does not verify (tampered, too old) starts a new
conversation rather than failing. No row per conversation, nothing in any process's memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from onewindow.accounts.models import Department
from onewindow.guide.engine.tokens import normalize
from onewindow.guide.selectors import (
    ENTERPRISE_WORDS,
    PERSON_WORDS,
    Answer,
    guide_answer,
)

SALT = "onewindow.guide.chat"
MAX_AGE = 60 * 60  # an hour: a conversation in the hall, not a dossier
MAX_TURNS = 6


@dataclass
class ChatTurn:
    answer: Answer
    state: str
    turn: int


def load_state(token: str) -> dict:
    if not token:
        return {}
    try:
        state = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return {}
    return state if isinstance(state, dict) else {}


def _audience_in(text: str) -> str | None:
    if any(w in text for w in PERSON_WORDS):
        return "person"
    if any(w in text for w in ENTERPRISE_WORDS):
        return "enterprise"
    return None


def _department_in(text: str, options: list) -> int | None:
    """The offered department the person named, by full or short name."""
    if not text:
        return None
    offered = Department.objects.filter(pk__in=[int(value) for value, _label in options])
    for department in offered.order_by("pk"):
        for name in (department.name, department.short_name):
            if name and (text in name or name in text):
                return department.pk
    return None


def chat_turn(*, message: str, token: str = "") -> ChatTurn:
    """Answer one message. A message that answers the last follow-up question narrows the
    previous question; anything else is a new question (the audience is kept)."""
    state = load_state(token)
    text = normalize(message)
    question = text
    audience = state.get("audience")
    department = None
    asked = state.get("asked")
    if asked == "audience" and (found := _audience_in(text)) and len(text) <= 8:
        audience, question = found, state.get("question", "")
    elif asked == "department" and (dept := _department_in(text, state.get("options", []))):
        department, question = dept, state.get("question", "")
    elif found := _audience_in(text):
        audience = audience or found
    turn = int(state.get("turn", 0)) + 1
    if turn > MAX_TURNS:  # a long conversation starts over, keeping only who is asking
        turn = 1
    answer = guide_answer(query=question, audience=audience, department_id=department)
    new_state = {"question": answer.query, "audience": audience, "turn": turn}
    if answer.follow_up is not None:
        new_state["asked"] = answer.follow_up.slot
        new_state["options"] = answer.follow_up.options
    return ChatTurn(answer, signing.dumps(new_state, salt=SALT, compress=True), turn)
