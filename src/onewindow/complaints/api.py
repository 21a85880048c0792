"""The complaints JSON API, mounted at /api/complaints/."""

from ninja import Router

router = Router(tags=["complaints"])
