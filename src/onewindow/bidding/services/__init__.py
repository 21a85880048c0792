"""Writes of bid evaluation. Import services from here."""

from onewindow.bidding.services.committee import (
    avoidance_check,
    avoidance_reasons,
    buyer_rep_add,
    committee_check,
    committee_draw,
    draw_replay,
    member_answer,
    member_replace,
)
from onewindow.bidding.services.records import (
    recheck_answer,
    recheck_file,
    recording_receive,
    recording_register,
)
from onewindow.bidding.services.report import (
    report_countersign,
    report_create,
    report_dissent,
    report_sign,
    signer_for,
)
from onewindow.bidding.services.session import (
    chair_elect,
    compliance_record,
    message_post,
    score_enter,
    scoring_close,
)
from onewindow.bidding.services.setup import (
    bid_register,
    criterion_add,
    expert_create,
    expert_relation_add,
    speciality_create,
    tender_create,
    venue_create,
)

__all__ = [
    "avoidance_check", "avoidance_reasons", "bid_register", "buyer_rep_add", "chair_elect",
    "committee_check", "committee_draw", "compliance_record", "criterion_add", "draw_replay",
    "expert_create", "expert_relation_add", "member_answer", "member_replace", "message_post",
    "recheck_answer", "recheck_file", "recording_receive", "recording_register",
    "report_countersign", "report_create", "report_dissent", "report_sign", "score_enter",
    "scoring_close", "signer_for", "speciality_create", "tender_create", "venue_create",
]
