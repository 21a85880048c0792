"""Open311 GeoReport v2 at /open311/v2/ (see ../shared/domain/open311.md, docs/open311.md)."""

from django.urls import path

from onewindow.complaints import views_open311 as v

app_name = "open311"
urlpatterns = [
    path("services.<slug:fmt>", v.service_list, name="services"),
    path("services/<slug:code>.<slug:fmt>", v.service_definition, name="service"),
    path("requests.<slug:fmt>", v.requests_endpoint, name="requests"),
    path("requests/<slug:request_id>.<slug:fmt>", v.request_detail, name="request"),
    path("tokens/<slug:token>.<slug:fmt>", v.token, name="token"),
]
