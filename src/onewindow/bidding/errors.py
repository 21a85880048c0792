"""Typed errors of bid evaluation. Each carries a Chinese message for the user."""


class BiddingError(Exception):
    """Base: `message` is what the user reads; views and the API turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BiddingForbidden(BiddingError):
    """The actor is not on the committee, not the chair, not the venue's operator …"""

    status = 403


class BiddingStateError(BiddingError):
    """The action is not allowed in the tender's current state (scoring closed, …)."""

    status = 409


class BiddingInputError(BiddingError):
    """Missing or wrong input: a score outside its bounds, a rejection without a reason …"""

    status = 422


class CommitteeRuleError(BiddingInputError):
    """The committee's size or make-up breaks the rules (odd, ≥ 5, experts ≥ 2/3, ≥ 7 …)."""


class DrawShortage(BiddingInputError):
    """The pool has too few eligible experts for the draw."""
