"""Being written."""

from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("TODO")


my_cases = apply = detail = edit = upload = submit = withdraw = _todo
track = download = verify = workbench = act = inbox = _todo
