"""The bidding JSON API, mounted at /api/bidding/."""

from ninja import Router

router = Router(tags=["bidding"])
