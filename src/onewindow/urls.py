from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from onewindow.api import api
from onewindow.core.context_processors import site_name

# Django's admin, as the zone's operators see it (not "Django 管理").
admin.site.site_header = admin.site.site_title = f"{site_name()} 管理后台"
admin.site.index_title = "后台管理"

urlpatterns = [
    # The API first: its prefix is its own, and its calls are the most frequent, so they are not
    # tried against every page's pattern of the two includes at "" below.
    path("api/", api.urls),
    path("", include("onewindow.core.urls")),
    path("accounts/", include("onewindow.accounts.urls")),
    path("catalog/", include("onewindow.catalog.urls")),
    path("", include("onewindow.cases.urls")),
    path("decisions/", include("onewindow.decisions.urls")),
    path("complaints/", include("onewindow.complaints.urls")),
    path("open311/v2/", include("onewindow.complaints.urls_open311")),
    path("feedback/", include("onewindow.feedback.urls")),
    path("appointments/", include("onewindow.appointments.urls")),
    path("guide/", include("onewindow.guide.urls")),
    path("bidding/", include("onewindow.bidding.urls")),
    path("admin/", admin.site.urls),
    # Blank forms and samples of the catalog are public. Nothing else under MEDIA_ROOT is served
    # here: an applicant's uploads are private and go through views that check permissions.
    path("media/catalog/<path:path>", serve,
         {"document_root": settings.MEDIA_ROOT / "catalog"}, name="catalog_media"),
]

handler400 = "onewindow.core.views.bad_request"
handler403 = "onewindow.core.views.permission_denied"
handler404 = "onewindow.core.views.page_not_found"
handler500 = "onewindow.core.views.server_error"
