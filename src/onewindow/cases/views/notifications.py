"""The in-app inbox: a person's notifications, unread first; mark one or all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases import notify
from onewindow.cases.notify import STAFF_CASE_ROLES
from onewindow.core.htmx import is_htmx

PAGE_SIZE = 30


def case_url(user, case_id: int | None) -> str:
    if case_id is None:
        return ""
    name = "cases:staff_detail" if user.role in STAFF_CASE_ROLES else "cases:detail"
    return reverse(name, kwargs={"pk": case_id})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def inbox(request):
    if request.method == "POST":
        return _mark_read(request)
    page = Paginator(notify.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.case_url = notification.link or case_url(request.user, notification.case_id)
    response = render(request, "cases/notifications.html", {
        "page_obj": page, "unread_count": notify.unread_count(request.user)})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _mark_read(request):
    raw = request.POST.get("notification", "")
    if raw == "all":
        changed = notify.notification_mark_read(actor=request.user)
        messages.success(request, _("已将 %(n)s 条消息标为已读。") % {"n": changed})
        return redirect("cases:notifications")
    if not raw.isdigit():
        messages.error(request, _("请选择要标为已读的消息。"))
        return redirect("cases:notifications")
    notify.notification_mark_read(actor=request.user, notification_id=int(raw))
    notification = notify.inbox(request.user).filter(pk=int(raw)).first()
    if is_htmx(request) and notification is not None:
        notification.case_url = notification.link or case_url(request.user, notification.case_id)
        return render(request, "cases/includes/notification_read.html", {
            "n": notification, "unread_count": notify.unread_count(request.user)})
    return redirect("cases:notifications")
