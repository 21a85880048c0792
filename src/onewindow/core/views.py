from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.catalog.selectors import bundle_list, life_event_list
from onewindow.core.navigation import tiles_for


def home(request):
    return render(request, "core/home.html", {
        "role_tiles": tiles_for(request.user),
        "life_events": life_event_list(),
        "bundles": bundle_list(),
    })


def healthz(request):
    return JsonResponse({"status": "ok"})


def _error(request, status: int, title: str, message: str):
    return render(request, "core/error.html",
                  {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, _("请求有误"), _("您提交的内容无法处理，请检查后重试。"))


def permission_denied(request, exception=None):
    signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
    return _error(request, 403, _("没有权限"),
                  _("您的账号没有访问此页面的权限。如需办理，请联系窗口工作人员。") if signed_in
                  else _("您没有访问此页面的权限。如需办理，请先登录或联系窗口工作人员。"))


def csrf_failure(request, reason=""):
    """A form sent from a page whose security token no longer holds (opened before a logout
    or a login in another tab, or kept open for days): say so, and how to go on."""
    return _error(request, 403, _("页面已过期"),
                  _("这个页面打开的时间过长，或您已在其他窗口退出、重新登录，本次提交未被受理，"
                    "填写的内容没有保存。请返回上一页，刷新后重新填写提交。"))


def page_not_found(request, exception=None):
    return _error(request, 404, _("页面不存在"),
                  _("您访问的页面不存在或已被移除，请检查网址，或从首页重新查找。"))


def server_error(request):
    return render(request, "500.html", status=500)
