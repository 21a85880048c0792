"""The feedback JSON API, mounted at /api/feedback/."""

from ninja import Router

router = Router(tags=["feedback"])
