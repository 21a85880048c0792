"""Reads of the catalog.

What the public may see: published items, published bundles, active departments. A fetch of
something the public may not see raises the same Http404 as a fetch of something missing.
"""

import unicodedata

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from onewindow.accounts.models import Department, Window
from onewindow.catalog.models import Bundle, BundleItem, LifeEvent, ServiceItem

SEARCH_MAX_LENGTH = 200
_PUBLISHED_ITEMS = Q(items__is_published=True)


def life_event_list():
    return LifeEvent.objects.annotate(
        item_count=Count("items", filter=Q(items__is_published=True))
    ).order_by("order", "name")


def bundle_list():
    return (
        Bundle.objects.filter(is_published=True)
        .select_related("lead_department", "life_event")
        .annotate(item_count=Count("bundle_items", filter=Q(bundle_items__item__is_published=True)))
    )


def published_item_list() -> QuerySet[ServiceItem]:
    """Published items with what a list row shows (department, type, limits)."""
    return ServiceItem.objects.filter(is_published=True).select_related("department")


def department_list() -> QuerySet[Department]:
    return (
        Department.objects.filter(is_active=True)
        .annotate(item_count=Count("items", filter=_PUBLISHED_ITEMS))
        .order_by("order", "name")
    )


def department_get(*, code: str) -> Department:
    department = Department.objects.filter(code=code, is_active=True).first()
    if department is None:
        raise Http404(_("没有找到该部门"))
    return department


def department_item_list(*, department: Department) -> QuerySet[ServiceItem]:
    return published_item_list().filter(department=department).order_by("name")


def life_event_get(*, slug: str) -> LifeEvent:
    event = (
        LifeEvent.objects.filter(slug=slug)
        .prefetch_related(Prefetch("bundles", queryset=bundle_list()))
        .first()
    )
    if event is None:
        raise Http404(_("没有找到该主题"))
    return event


def life_event_item_list(*, life_event: LifeEvent) -> QuerySet[ServiceItem]:
    return published_item_list().filter(life_events=life_event)


def search_words(raw: str) -> str:
    """The query with control characters (NUL breaks PostgreSQL) turned into single spaces."""
    chars = (" " if unicodedata.category(c).startswith("C") else c for c in raw)
    return " ".join("".join(chars).split())


def item_search(query: str) -> QuerySet[ServiceItem]:
    """Published items whose name, alias or any code contains every word of `query`.

    Name matches come first (exact, then prefix, then anywhere), then alias and code matches.
    """
    words = query.split()
    items = published_item_list()
    for word in words:
        items = items.filter(
            Q(name__icontains=word) | Q(aliases__icontains=word)
            | Q(implementation_code__icontains=word) | Q(basic_code__icontains=word)
            | Q(business_code__icontains=word)
        )
    phrase = " ".join(words)
    rank = Case(
        When(name__iexact=phrase, then=Value(0)),
        When(Q(implementation_code__iexact=phrase) | Q(basic_code__iexact=phrase), then=Value(1)),
        When(name__istartswith=phrase, then=Value(2)),
        When(name__icontains=phrase, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return items.annotate(rank=rank).order_by("rank", "department__order", "name", "pk")


def item_guide_get(*, pk: int) -> ServiceItem:
    """A published item with everything its one-time guide shows, in a fixed number of queries."""
    item = (
        ServiceItem.objects.filter(pk=pk, is_published=True)
        .select_related("department")
        .prefetch_related(
            "materials",
            "steps",
            Prefetch("life_events", queryset=LifeEvent.objects.order_by("order", "name")),
            Prefetch("bundles", queryset=Bundle.objects.filter(is_published=True)
                     .select_related("lead_department").order_by("name"),
                     to_attr="published_bundles"),
        )
        .first()
    )
    if item is None:
        raise Http404(_("没有找到该事项，或该事项尚未发布"))
    return item


def department_window_list(*, department: Department) -> QuerySet[Window]:
    """The active windows where a department receives applications, with their hall."""
    return (
        Window.objects.filter(is_active=True, departments=department)
        .select_related("hall")
        .order_by("hall__level", "hall__name", "number")
    )


def bundle_get(*, code: str) -> Bundle:
    """A published bundle with its published items in order, and their materials."""
    bundle_items = (
        BundleItem.objects.filter(item__is_published=True)
        .select_related("item__department")
        .prefetch_related("item__materials")
        .order_by("order", "pk")
    )
    bundle = (
        Bundle.objects.filter(code=code, is_published=True)
        .select_related("lead_department", "life_event")
        .prefetch_related(Prefetch("bundle_items", queryset=bundle_items,
                                   to_attr="published_items"))
        .first()
    )
    if bundle is None:
        raise Http404(_("没有找到该一件事"))
    return bundle
