"""Template filters that show catalog facts in the same words as the PDF guide."""

from django import template

from onewindow.catalog import guide
from onewindow.catalog.enums import CaseType

register = template.Library()


@register.filter
def promised_limit(item) -> str:
    return guide.promised_limit_text(item)


@register.filter
def legal_limit(item) -> str:
    return guide.legal_limit_text(item)


@register.filter
def visits(item) -> str:
    return guide.visits_text(item)


@register.filter
def promised_limit_short(item) -> str:
    """The promised limit without its note, for a list row; empty when there is none yet."""
    if item.promised_limit is None and item.case_type != CaseType.ON_THE_SPOT:
        return ""
    return guide.promised_limit_text(item, with_note=False)
