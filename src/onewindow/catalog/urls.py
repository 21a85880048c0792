from django.urls import path

from onewindow.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.index, name="search"),
    path("departments/", views.index, name="departments"),
    path("bundles/", views.index, name="bundles"),
    path("bundles/<slug:code>/", views.index, name="bundle"),
    path("themes/<slug:slug>/", views.index, name="life_event"),
    path("import/", views.index, name="import"),
    path("export/", views.index, name="export"),
]
