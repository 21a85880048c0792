"""Open311 GeoReport v2 at /open311/v2/ (see ../shared/domain/open311.md)."""

from django.urls import path  # noqa: F401

app_name = "open311"
urlpatterns: list = []
