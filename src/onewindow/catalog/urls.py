from django.urls import path

from onewindow.catalog.views import public, transfer

app_name = "catalog"
urlpatterns = [
    path("", public.index, name="index"),
    path("search/", public.search, name="search"),
    path("departments/", public.departments, name="departments"),
    path("departments/<slug:code>/", public.department, name="department"),
    path("themes/<slug:slug>/", public.life_event, name="life_event"),
    path("items/<int:pk>/", public.item_detail, name="item"),
    path("items/<int:pk>/guide.pdf", public.item_pdf, name="item_pdf"),
    path("bundles/", public.bundles, name="bundles"),
    path("bundles/<slug:code>/", public.bundle, name="bundle"),
    path("import/", transfer.import_items, name="import"),
    path("import/template.xlsx", transfer.import_template, name="import_template"),
    path("export.xlsx", transfer.export_items, name="export"),
]
