"""Public catalog pages (browse, search, guide, PDF). Being written."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("TODO")


index = departments = department = life_event = search = item_detail = item_pdf = _todo
bundles = bundle = _todo
