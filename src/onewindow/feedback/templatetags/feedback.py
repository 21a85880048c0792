"""`{% load feedback %}{% rate_link obj kind %}`: the rate button (or the rating given) for any
page that shows a ratable thing. Renders nothing when the user may not rate it."""

from django import template

from onewindow.feedback import selectors, subjects
from onewindow.feedback.services.ratings import rate_url

register = template.Library()


@register.inclusion_tag("feedback/includes/rate_link.html", takes_context=True)
def rate_link(context, obj, kind: str = "case"):
    user = context["request"].user
    subject = subjects.resolve(kind, user, obj.pk) if obj is not None and obj.pk else None
    if subject is None:
        return {"rate_url": ""}
    return {"rate_url": rate_url(kind, obj.pk),
            "rating": selectors.rating_of(subject=subject.obj, rater=user)}
