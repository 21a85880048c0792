from onewindow.bidding.models.committee import (
    ChairVote,
    CommitteeDraw,
    CommitteeMember,
    Expert,
    ExpertRelation,
    Speciality,
)
from onewindow.bidding.models.records import (
    Recheck,
    Recording,
    Report,
    ReportSignature,
    SigningKey,
)
from onewindow.bidding.models.session import Message, Score
from onewindow.bidding.models.tender import Bid, BidDocument, Criterion, Lot, Tender, Venue

__all__ = [
    "Bid", "BidDocument", "ChairVote", "CommitteeDraw", "CommitteeMember", "Criterion", "Expert",
    "ExpertRelation", "Lot", "Message", "Recheck", "Recording", "Report", "ReportSignature",
    "Score", "SigningKey", "Speciality", "Tender", "Venue",
]
