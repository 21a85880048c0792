"""Bundles (一件事): the applicant's one form and parent case page, and the staff summary.

Included in `cases/urls.py`, so the names are `cases:bundle_*`."""

from django.urls import path

from onewindow.cases.views import bundles

urlpatterns = [
    path("cases/bundles/<slug:code>/apply/", bundles.apply, name="bundle_apply"),
    path("cases/bundles/<int:pk>/", bundles.detail, name="bundle_detail"),
    path("cases/bundles/<int:pk>/edit/", bundles.edit, name="bundle_edit"),
    path("cases/bundles/<int:pk>/materials/<int:requirement_pk>/", bundles.upload,
         name="bundle_upload"),
    path("cases/bundles/<int:pk>/submit/", bundles.submit, name="bundle_submit"),
    path("work/bundles/<int:pk>/", bundles.staff_detail, name="bundle_staff_detail"),
]
