"""Filing a request: online (signed in or not), through the API or Open311, or by a clerk
taking a phone call."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.cases.selectors import case_get_for_user
from onewindow.complaints import clocks, notify, webhooks
from onewindow.complaints.enums import Channel
from onewindow.complaints.errors import RequestForbidden, RequestInputError
from onewindow.complaints.models import Category, ServiceRequest
from onewindow.core.codes import readable_code
from onewindow.feedback.selectors import ratings_of_user

MAX_DESCRIPTION = 4000


@transaction.atomic
def request_file(*, actor, category: Category, kind: str, title: str, description: str,
                 channel: str = Channel.WEB, contact_name: str = "", contact_phone: str = "",
                 contact_email: str = "", address: str = "", lat=None, long=None,
                 media_url: str = "", external_id: str = "", case=None, item=None,
                 window=None, rating_id: int | None = None) -> ServiceRequest:
    """File a request. `actor` is the signed-in requester, the clerk taking a phone call
    (channel phone), an API/Open311 client, or None/anonymous (then a name and a phone
    number are required and the query code is how the requester follows it)."""
    signed_in = actor is not None and actor.is_authenticated
    _check_who(actor, signed_in, channel, contact_name, contact_phone)
    _check_what(category, title, description)
    requester = actor if signed_in and channel in (Channel.WEB, Channel.API) else None
    if case is not None:
        _check_case(requester or actor, case)
    if rating_id is not None:
        _check_rating(requester, rating_id)
    now = clocks.now()
    request = ServiceRequest(
        kind=kind, category=category, channel=channel, title=title.strip(),
        description=description.strip(), requester=requester,
        filed_by=actor if signed_in else None, contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(), contact_email=contact_email.strip(),
        address=address.strip(), lat=lat, long=long, media_url=media_url,
        external_id=external_id, case=case, item=item, window=window, rating_id=rating_id,
        query_code=readable_code(6),
        token=secrets.token_hex(16), filed_at=now, clock_start=now,
        response_due=clocks.due_after(now, category.response_limit, category.response_unit),
        closing_due=clocks.due_after(now, category.closing_limit, category.closing_unit))
    request.full_clean(exclude=["number"])
    request.save()
    # The number comes from the row id: unique without a counter row that every filing locks.
    request.number = f"SQ{timezone.localtime(now):%Y}{request.pk:07d}"
    ServiceRequest.objects.filter(pk=request.pk).update(number=request.number)
    audit_record(actor=actor if signed_in else None, action="request.file", obj=request,
                 new={"state": request.state, "channel": channel, "category": category.code})
    webhooks.enqueue(request, event="file", old_state="")
    notify.tell(notify.dispatchers(), request, verb="request_filed",
                title=_("新诉求待派单"), body=request.title)
    return request


def _check_who(actor, signed_in, channel, contact_name, contact_phone) -> None:
    if channel == Channel.PHONE and not (signed_in and actor.has_perm(
            "complaints.file_by_phone")):
        raise RequestForbidden(_("只有窗口、代办和督查人员可以代录电话诉求。"))
    if (not signed_in or channel == Channel.PHONE) and channel != Channel.OPEN311 and not (
            contact_name.strip() and contact_phone.strip()):
        raise RequestInputError(_("请填写联系人姓名和联系电话，以便答复。"))


def _check_what(category, title, description) -> None:
    if not category.is_active:
        raise RequestInputError(_("该诉求类别已停用，请选择其他类别。"))
    if not title.strip() or not description.strip():
        raise RequestInputError(_("请填写诉求标题和内容。"))
    if len(description) > MAX_DESCRIPTION:
        raise RequestInputError(_("诉求内容不能超过 %(n)s 字。") % {"n": MAX_DESCRIPTION})


def _check_rating(requester, rating_id: int) -> None:
    """A request may concern only a rating its requester gave (e.g. a complaint about how a
    bad review was handled)."""
    if requester is None or not ratings_of_user(requester).filter(pk=rating_id).exists():
        raise RequestInputError(_("关联的评价不存在。"))


def _check_case(user, case) -> None:
    """A request may name only a case its requester (or the filing clerk) may see."""
    if user is None:
        raise RequestInputError(_("未登录时不能关联办件，请在内容中写明办件编号。"))
    try:
        case_get_for_user(user=user, pk=case.pk, related=())
    except Http404:
        raise RequestInputError(_("关联的办件不存在。")) from None
