"""Public catalog pages: browse by department, life event and bundle, search, the guide and its PDF.

Anyone may read them, signed in or not. Unpublished items and bundles are 404 to everyone here.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from onewindow.catalog import guide, selectors
from onewindow.core.context_processors import site_name
from onewindow.core.htmx import is_htmx

SEARCH_PAGE_SIZE = 20
LIST_PAGE_SIZE = 50


def _page(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_safe
def index(request):
    return render(request, "catalog/index.html", {
        "life_events": selectors.life_event_list(),
        "departments": selectors.department_list(),
        "bundles": selectors.bundle_list(),
    })


@require_safe
def search(request):
    query = selectors.search_words(request.GET.get("q", ""))
    context = {"q": query, "page_obj": None, "error": ""}
    status = 200
    if len(query) > selectors.SEARCH_MAX_LENGTH:
        context["error"] = _("搜索内容过长，请缩短到 %(n)s 个字以内再试。") % {
            "n": selectors.SEARCH_MAX_LENGTH}
        context["q"] = query[:selectors.SEARCH_MAX_LENGTH]
        status = 400
    elif query:
        context["page_obj"] = _page(request, selectors.item_search(query), SEARCH_PAGE_SIZE)
    template = "catalog/search.html#results" if is_htmx(request) else "catalog/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def departments(request):
    return render(request, "catalog/departments.html",
                  {"departments": selectors.department_list()})


@require_safe
def department(request, code: str):
    dept = selectors.department_get(code=code)
    items = selectors.department_item_list(department=dept)
    return render(request, "catalog/department.html", {
        "department": dept,
        "page_obj": _page(request, items, LIST_PAGE_SIZE),
    })


@require_safe
def life_event(request, slug: str):
    event = selectors.life_event_get(slug=slug)
    items = selectors.life_event_item_list(life_event=event)
    return render(request, "catalog/life_event.html", {
        "life_event": event,
        "page_obj": _page(request, items, LIST_PAGE_SIZE),
    })


@require_safe
def item_detail(request, pk: int):
    item = selectors.item_guide_get(pk=pk)
    windows = selectors.department_window_list(department=item.department)
    return render(request, "catalog/item_detail.html", {
        "item": item,
        "overview_facts": guide.overview_facts(item),
        "how_facts": guide.how_facts(item, windows),
        "materials": [_material_row(m) for m in item.materials.all()],
    })


def _material_row(material) -> dict:
    return {
        "m": material,
        "counts": guide.material_counts_text(material),
        "tolerance": guide.material_tolerance_text(material),
        "file_types": guide.material_file_types_text(material),
        "fetched": material.fetched,
    }


@require_safe
def item_pdf(request, pk: int):
    item = selectors.item_guide_get(pk=pk)
    windows = selectors.department_window_list(department=item.department)
    url = settings.SITE_URL + reverse("catalog:item", args=[item.pk])
    from onewindow.catalog.pdf import guide_pdf  # reportlab, on the first PDF a worker makes

    content = guide_pdf(item, windows=windows, url=url, site_name=site_name())
    response = HttpResponse(content, content_type="application/pdf")
    filename = quote(f"{item.name}.pdf", safe="")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@require_safe
def bundles(request):
    return render(request, "catalog/bundles.html", {"bundles": selectors.bundle_list()})


@require_safe
def bundle(request, code: str):
    found = selectors.bundle_get(code=code)
    return render(request, "catalog/bundle.html", {
        "bundle": found,
        "materials": guide.bundle_materials(found),
    })
