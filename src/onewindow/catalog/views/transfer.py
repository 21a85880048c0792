"""Excel import and export pages for catalog administrators. Being written."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("TODO")


import_items = export_items = import_template = _todo
