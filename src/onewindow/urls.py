from django.contrib import admin
from django.urls import include, path

from onewindow.api import api

urlpatterns = [
    path("", include("onewindow.core.urls")),
    path("accounts/", include("onewindow.accounts.urls")),
    path("catalog/", include("onewindow.catalog.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "onewindow.core.views.bad_request"
handler403 = "onewindow.core.views.permission_denied"
handler404 = "onewindow.core.views.page_not_found"
handler500 = "onewindow.core.views.server_error"
