"""Writes of the feedback app. Import from here: `from onewindow.feedback.services import …`."""

from onewindow.feedback.services.ratings import rating_invite, rating_submit
from onewindow.feedback.services.rectification import (
    rectification_accept,
    rectification_appeal,
    rectification_decide_appeal,
    rectification_escalate,
    rectification_record_call,
    rectification_return,
    rectification_submit_report,
)
from onewindow.feedback.services.surveys import survey_import

__all__ = [
    "rating_invite", "rating_submit", "rectification_accept", "rectification_appeal",
    "rectification_decide_appeal", "rectification_escalate", "rectification_record_call",
    "rectification_return", "rectification_submit_report", "survey_import",
]
