"""The guide page: ask in plain Chinese, get items with reasons, a scenario in order, or a
follow-up question; click through to the one-time guide and the online application.

The page works without JavaScript (a GET form); with htmx the answer replaces itself in place.
"""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from onewindow.catalog.models import ServiceItem
from onewindow.core.htmx import is_htmx
from onewindow.guide import selectors, services
from onewindow.guide.errors import GuideError
from onewindow.guide.models import Channel, Rating

EXAMPLES = ["我想开一家饭店要办什么证", "公司换地址", "施工许可怎么办", "招外国人来上班",
            "装修完要接天然气"]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_safe
def index(request):
    query = request.GET.get("q", "")
    audience = request.GET.get("audience") if request.GET.get("audience") in (
        "enterprise", "person") else None
    department = _int_or_none(request.GET.get("department"))
    context = {"q": query[:selectors.MAX_QUESTION], "answer": None, "log": None,
               "error": "", "examples": EXAMPLES, "audience": audience,
               "department": department,
               "department_name": selectors.department_name(department)}
    status = 200
    if "q" in request.GET:
        try:
            services.rate_limit_take(
                client=services.client_key(request.META.get("REMOTE_ADDR", "")))
        except GuideError as error:
            context["error"], status = error.message, error.status
        else:
            answer = selectors.guide_answer(query=query, audience=audience,
                                            department_id=department)
            selectors.attach_appointments(answer)
            context["answer"] = answer
            context["log"] = services.query_log_record(actor=request.user, answer=answer,
                                                       channel=Channel.PAGE)
    if is_htmx(request):
        # htmx swaps only 2xx answers: the refusal is shown in place, the status stays for
        # whole-page requests (and the JSON API) where a client can read it.
        response = render(request, "guide/index.html#answer", context)
    else:
        response = render(request, "guide/index.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def go(request, log_id, item_id: int):
    """Record which item the person chose for this question, then open its guide."""
    log = selectors.query_log_get(public_id=log_id)
    if item_id not in log.result_ids:
        raise Http404(_("该事项不在这次回答里"))
    item = get_object_or_404(ServiceItem, pk=item_id, is_published=True)
    services.query_log_click(actor=request.user, log=log, item=item)
    target = reverse("catalog:item", args=[item.pk])
    if request.GET.get("to") == "apply":
        target = reverse("cases:apply", args=[item.pk])
    return redirect(target)


@require_POST
def rate(request, log_id):
    log = selectors.query_log_get(public_id=log_id)
    value = _int_or_none(request.POST.get("rating"))
    status = 200
    try:
        services.query_log_rate(actor=request.user, log=log, rating=value)
        message = (_("谢谢！很高兴帮上忙。") if value == Rating.GOOD
                   else _("谢谢反馈！我们会根据您的问题改进导办。也可以拨打 12345 咨询。"))
    except GuideError as error:
        message, status = error.message, (200 if error.status == 409 else error.status)
    if is_htmx(request):
        return render(request, "guide/index.html#rated", {"message": message}, status=status)
    return redirect(reverse("guide:index") + "?" + urlencode({"q": log.query}))


@require_safe
def review(request):
    """For catalog administrators: questions without a click or rated bad, to add synonyms."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("guide.review_queries"):
        raise PermissionDenied
    days = _int_or_none(request.GET.get("days")) or 30
    return render(request, "guide/review.html", {
        "rows": selectors.unanswered_queries(days=min(max(days, 1), 365)),
        "days": days,
    })
