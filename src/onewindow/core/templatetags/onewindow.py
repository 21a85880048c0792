from django import template

from onewindow.accounts.validators import mask_ric

register = template.Library()


@register.filter
def ric_for(value: str, viewer) -> str:
    """A resident ID number as `viewer` may see it: in full only for the roles that must."""
    if getattr(viewer, "is_authenticated", False) and viewer.can_see_full_ric():
        return value
    return mask_ric(value)


@register.filter
def masked_ric(value: str) -> str:
    return mask_ric(value)
