"""Reads of the catalog."""

from django.db.models import Count, Q

from onewindow.catalog.models import Bundle, LifeEvent


def life_event_list():
    return LifeEvent.objects.annotate(
        item_count=Count("items", filter=Q(items__is_published=True))
    ).order_by("order", "name")


def bundle_list():
    return Bundle.objects.filter(is_published=True).select_related("lead_department")
