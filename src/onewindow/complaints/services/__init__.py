"""Writes of requests. Every change goes through `core.transition` (one lock, one audit)."""

from onewindow.complaints.services.filing import request_file
from onewindow.complaints.services.handling import (
    extension_decide,
    extension_request,
    request_accept,
    request_answer,
    request_close,
    request_dismiss,
    request_dispatch,
    request_nudge,
    request_reopen,
    request_send_back,
    request_withdraw,
)

__all__ = [
    "extension_decide", "extension_request", "request_accept", "request_answer",
    "request_close", "request_dismiss", "request_dispatch", "request_file", "request_nudge",
    "request_reopen", "request_send_back", "request_withdraw",
]
