"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, create a request
(api_key), tokens, list and get requests — XML (required by the spec) and JSON.

Services are our categories (service_code = category code); one attribute, `kind`, maps onto
the request's kind. A request's service_request_id is its number. The api_key is an
`accounts.ApiToken` key; the request is filed by the token's owner with channel "open311".
Errors are a list of {code, description} with the same HTTP status. jurisdiction_id is
accepted and ignored (one jurisdiction per endpoint, as the spec allows).
"""

from __future__ import annotations

import datetime as dt
import decimal
import xml.etree.ElementTree as ET

from django.http import HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from onewindow.accounts.selectors import user_for_api_key
from onewindow.complaints import selectors, services
from onewindow.complaints.enums import Channel, Kind
from onewindow.complaints.errors import ComplaintError
from onewindow.complaints.models import Category
from onewindow.complaints.records import open311_record

FORMATS = ("json", "xml")
MAX_IDS = 100


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# --- rendering ----------------------------------------------------------------------------------
def _render(data, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """A list becomes <root><item>…</item>…</root>, a dict <root>…</root>."""
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status,
                            json_dumps_params={"ensure_ascii": False})
    element = ET.Element(root)
    for entry in (data if isinstance(data, list) else [data]):
        _fill(ET.SubElement(element, item) if isinstance(data, list) else element, entry)
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return HttpResponse(body.encode(), content_type="text/xml; charset=utf-8", status=status)


# Lists nested inside a record, and the element name of each of their entries.
NESTED = {"attributes": "attribute", "values": "value"}


def _fill(element: ET.Element, entry: dict) -> None:
    for key, value in entry.items():
        child = ET.SubElement(element, key)
        if isinstance(value, list):
            for sub in value:
                _fill(ET.SubElement(child, NESTED.get(key, "item")), sub)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xml"
    return _render([{"code": status, "description": description}], fmt, root="errors",
                   item="error", status=status)


def _guard(view):
    """The format check and the error shape for every endpoint."""
    def wrapped(request, *args, fmt: str, **kwargs):
        if fmt not in FORMATS:
            return _error("xml", 400, _("不支持的格式：%(fmt)s（支持 xml、json）") % {"fmt": fmt})
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as err:
            return _error(fmt, err.status, err.description)

    wrapped.__name__ = view.__name__
    return wrapped


# --- services -----------------------------------------------------------------------------------
def _service(category: Category) -> dict:
    return {"service_code": category.code, "service_name": category.name,
            "description": category.description, "metadata": True, "type": "realtime",
            "keywords": category.keywords, "group": category.group}


@require_GET
@_guard
def service_list(request, *, fmt: str):
    data = [_service(c) for c in selectors.active_categories()]
    return _render(data, fmt, root="services", item="service")


@require_GET
@_guard
def service_definition(request, code: str, *, fmt: str):
    category = selectors.active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s 不存在") % {"code": code})
    data = {"service_code": category.code, "attributes": [{
        "variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
        "datatype_description": _("诉求类型，默认：%(kind)s") % {
            "kind": Kind(category.default_kind).label},
        "order": 1, "description": _("诉求类型"),
        "values": [{"key": value, "name": str(label)} for value, label in Kind.choices]}]}
    return _render(data, fmt, root="service_definition")


# --- requests -----------------------------------------------------------------------------------
@csrf_exempt  # authenticated by api_key, not by a browser session
@require_http_methods(["GET", "POST"])
@_guard
def requests_endpoint(request, *, fmt: str):
    if request.method == "POST":
        return _create(request, fmt)
    return _list(request, fmt)


def _create(request, fmt: str):
    data = request.POST
    user = user_for_api_key(data.get("api_key", "").strip()) if data.get("api_key") else None
    if user is None:
        raise Open311Error(403, _("api_key 无效或缺失"))
    category = _category(data.get("service_code", ""))
    lat, long = _location(data)
    description = data.get("description", "").strip()
    kind = data.get("attribute[kind]", "") or category.default_kind
    if kind not in Kind.values:
        raise Open311Error(400, _("attribute[kind] 取值无效"))
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p)
    try:
        filed = services.request_file(
            actor=user, category=category, kind=kind, channel=Channel.OPEN311,
            title=(description or category.name)[:30], description=description or category.name,
            contact_name=name[:50], contact_phone=data.get("phone", "")[:20],
            contact_email=data.get("email", "")[:254], address=data.get("address_string", ""),
            lat=lat, long=long, media_url=data.get("media_url", ""),
            external_id=(data.get("account_id") or data.get("device_id") or "")[:64])
    except ComplaintError as err:
        raise Open311Error(400, err.message) from None
    result = [{"service_request_id": filed.number, "token": filed.token,
               "service_notice": _("请在 %(due)s 前留意答复") % {
                   "due": filed.closing_due.isoformat(timespec="seconds")},
               "account_id": data.get("account_id", "")}]
    return _render(result, fmt, root="service_requests", item="request", status=201)


def _category(code: str) -> Category:
    if not code:
        raise Open311Error(400, _("缺少 service_code"))
    category = selectors.active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s 不存在") % {"code": code})
    return category


def _location(data) -> tuple:
    """The spec requires lat+long, or address_string, or address_id."""
    lat, long = data.get("lat", "").strip(), data.get("long", "").strip()
    if lat or long:
        try:
            lat, long = decimal.Decimal(lat), decimal.Decimal(long)
        except decimal.InvalidOperation:
            raise Open311Error(400, _("lat、long 必须是数字")) from None
        if not (-90 <= lat <= 90 and -180 <= long <= 180):
            raise Open311Error(400, _("lat、long 超出范围"))
        return lat.quantize(decimal.Decimal("0.000001")), long.quantize(
            decimal.Decimal("0.000001"))
    if data.get("address_string", "").strip() or data.get("address_id", "").strip():
        return None, None
    raise Open311Error(400, _("缺少位置：请提供 lat 和 long，或 address_string，或 address_id"))


def _when(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None or parsed.tzinfo is None:
        raise Open311Error(400, _("%(name)s 须为带时区的 ISO 8601 时间") % {"name": name})
    return parsed


def _list(request, fmt: str):
    params = request.GET
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    status = params.get("status", "")
    if status and status not in ("open", "closed"):
        raise Open311Error(400, _("status 只能是 open 或 closed"))
    rows = selectors.open311_requests(
        ids=ids[:MAX_IDS], service_code=params.get("service_code", ""),
        start=_when(params.get("start_date", ""), "start_date"),
        end=_when(params.get("end_date", ""), "end_date"), status=status)
    return _render([open311_record(r) for r in rows], fmt, root="service_requests",
                   item="request")


@require_GET
@_guard
def request_detail(request, request_id: str, *, fmt: str):
    rows = selectors.open311_requests(ids=[request_id])
    if not rows:
        raise Open311Error(404, _("service_request_id %(id)s 不存在") % {"id": request_id})
    return _render([open311_record(rows[0])], fmt, root="service_requests", item="request")


@require_GET
@_guard
def token(request, token: str, *, fmt: str):
    found = selectors.request_by_token(token)
    if found is None:
        raise Open311Error(404, _("token 不存在"))
    return _render([{"service_request_id": found.number, "token": token}], fmt,
                   root="service_requests", item="request")
