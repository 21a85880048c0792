from django.utils.translation import gettext as _

from onewindow.core.navigation import links_for


def navigation(request):
    path = request.path
    items = [
        {"label": link.label, "url": link.url,
         "active": path == link.url or (link.url != "/" and path.startswith(link.url))}
        for link in links_for(request.user)
    ]
    return {"nav_items": items, "site_name": site_name()}


def site_name() -> str:
    return _("高新区政务服务网")
