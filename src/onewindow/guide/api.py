"""The guide JSON API, mounted at /api/guide/."""

from ninja import Router

router = Router(tags=["guide"])
