"""The appointments JSON API, mounted at /api/appointments/."""

from ninja import Router

router = Router(tags=["appointments"])
