"""The link to feedback (好差评): a requester rates the answer to their request.

feedback owns ratings; this module only calls its published functions, and registers the
"request" subject (see `subject.py`).
"""

from __future__ import annotations

from django.db import transaction

from onewindow.complaints.models import ServiceRequest
from onewindow.feedback.enums import BAD_LEVELS
from onewindow.feedback.selectors import rating_of
from onewindow.feedback.services import rating_invite

KIND = "request"


def invite(request: ServiceRequest) -> None:
    """Invite the requester (an account) to rate the answer, after the commit."""
    if request.requester_id is None:
        return
    pk, title, user = request.pk, f"{request.number} {request.title}", request.requester
    transaction.on_commit(lambda: rating_invite(kind=KIND, object_id=pk, users=[user],
                                                title=title), robust=True)


def is_bad(request: ServiceRequest, rater) -> bool:
    rating = rating_of(subject=request, rater=rater)
    return rating is not None and rating.level in BAD_LEVELS
