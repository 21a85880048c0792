"""Requests over HTTP: /api/complaints/… — another face of the same services and selectors.

Authentication: an API token (`Authorization: Bearer ow_…`) or the browser session (unsafe
methods then need the CSRF token). The categories and the query-code status are public. A
request the caller may not see is the same 404 as a missing one; a refused action is the
service's `ComplaintError` as `{"detail": message}` with its status. See docs/complaints.md.
"""

import datetime as dt
from collections.abc import Callable

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from onewindow.accounts.models import Department, Window
from onewindow.cases.models import Case
from onewindow.catalog.models import ServiceItem
from onewindow.complaints import selectors, services
from onewindow.complaints.enums import Channel, Kind, LimitUnit
from onewindow.complaints.errors import ComplaintError
from onewindow.complaints.metrics import request_metrics
from onewindow.complaints.models import Category, ServiceRequest
from onewindow.core.api_auth import API_AUTH
from onewindow.core.schemas import ErrorOut

router = Router(tags=["complaints"], auth=API_AUTH)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut, 503: ErrorOut}
PATH = "/requests/{int:request_id}"


# --- schemas ------------------------------------------------------------------------------------
class CategoryOut(Schema):
    code: str
    name: str
    group: str
    default_kind: str
    response_limit: int
    response_unit: str
    closing_limit: int
    closing_unit: str


class RequestIn(Schema):
    category: str = Field(..., description="类别代码（GET /categories）")
    kind: Kind = Field(..., description="consultation/complaint/suggestion/help/report")
    title: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=4000)
    address: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    phone_call: bool = Field(False, description="工作人员代录来电诉求")
    case_id: int | None = None
    item_id: int | None = None
    window_id: int | None = None
    rating_id: int | None = None


class NoteOut(Schema):
    at: dt.datetime
    action: str
    department: str | None = Field(None, alias="department.name")
    text: str


class RequestOut(Schema):
    id: int
    number: str
    kind: str
    category: str = Field(..., alias="category.code")
    channel: str
    title: str
    description: str
    state: str
    state_label: str
    lead_department: str | None = Field(None, alias="lead_department.name")
    filed_at: dt.datetime
    response_due: dt.datetime
    closing_due: dt.datetime
    responded_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: str
    reopen_count: int
    escalated: bool

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_escalated(obj) -> bool:
        return bool(obj.response_overdue_at or obj.closing_overdue_at)


class FiledOut(RequestOut):
    query_code: str


class RequestDetailOut(RequestOut):
    progress: list[NoteOut]


class TrackIn(Schema):
    number: str = Field(..., max_length=20)
    query_code: str = Field(..., max_length=8)


class TextIn(Schema):
    text: str = Field("", max_length=4000)


class DispatchIn(Schema):
    lead: str = Field(..., description="主办部门代码")
    helpers: list[str] = Field(default_factory=list, description="协办部门代码")
    note: str = Field("", max_length=1000)


class ExtensionIn(Schema):
    amount: int = Field(..., ge=1, le=60)
    unit: LimitUnit
    reason: str = Field(..., max_length=1000)


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=1000)


class EmptyIn(Schema):
    pass


class MetricsRowOut(Schema):
    label: str
    total: int
    response_rate: float | None
    on_time_rate: float | None
    resolution_rate: float | None
    satisfaction: float | None


class MetricsOut(Schema):
    departments: list[MetricsRowOut]
    categories: list[MetricsRowOut]
    total: MetricsRowOut


# --- helpers ------------------------------------------------------------------------------------
def _run(call: Callable):
    try:
        return call()
    except ComplaintError as err:
        raise HttpError(err.status, err.message) from None


def _visible(request, request_id: int) -> ServiceRequest:
    try:
        return selectors.request_get_for_user(user=request.auth, pk=request_id)
    except Http404:
        raise HttpError(404, _("诉求不存在。")) from None


def _detail(request, request_id: int) -> dict:
    found = _visible(request, request_id)
    internal = request.auth.has_perm("complaints.see_internal", found)
    found.progress = list(selectors.progress_of(found, internal=internal))
    return found


def _get(model, pk, message):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise HttpError(422, message)
    return obj


def _department(code: str) -> Department:
    department = Department.objects.filter(code=code, is_active=True).first()
    if department is None:
        raise HttpError(422, _("部门代码 %(code)s 不存在。") % {"code": code})
    return department


# --- public -------------------------------------------------------------------------------------
@router.get("/categories", auth=None, response=list[CategoryOut], summary="诉求分类")
def categories(request):
    """诉求类别及其响应、办结时限。"""
    return list(selectors.active_categories())


@router.post("/track", auth=None, response={200: RequestDetailOut, 404: ErrorOut},
             summary="凭查询码查询诉求")
def track(request, body: TrackIn):
    """凭诉求编号和查询码查看进度（无需登录）。"""
    try:
        found = selectors.request_get_by_query_code(**body.dict())
    except Http404:
        return Status(404, {"detail": _("诉求编号或查询码不正确。")})
    found.progress = list(selectors.progress_of(found, internal=False))
    return found


# --- the requester ------------------------------------------------------------------------------
@router.post("/requests", response={201: FiledOut, **ERRORS}, summary="提交诉求")
def file(request, body: RequestIn):
    """提交诉求（phone_call=true：工作人员代录来电）。"""
    category = Category.objects.filter(code=body.category).first()
    if category is None:
        return Status(422, {"detail": _("诉求类别不存在。")})
    case = _get(Case, body.case_id, _("关联的办件不存在。"))
    filed = _run(lambda: services.request_file(
        actor=request.auth, category=category, kind=body.kind, title=body.title,
        description=body.description, address=body.address, contact_name=body.contact_name,
        contact_phone=body.contact_phone, channel=Channel.PHONE if body.phone_call
        else Channel.API, case=case, item=_get(ServiceItem, body.item_id, _("事项不存在。")),
        window=_get(Window, body.window_id, _("窗口不存在。")), rating_id=body.rating_id))
    return Status(201, filed)


@router.get("/requests", response=list[RequestOut], summary="诉求列表")
def request_list(request, state: str = "", limit: int = 100):
    """调用者可见的诉求（诉求人：本人的；部门：派给本部门的；督查：全部）。"""
    rows = selectors.visible_requests(request.auth)
    if state:
        rows = rows.filter(state=state)
    return list(rows.order_by("-filed_at")[:max(1, min(limit, 500))])


@router.get(PATH, response={200: RequestDetailOut, **ERRORS}, summary="诉求详情")
def request_detail(request, request_id: int):
    return _detail(request, request_id)


def _action(path: str, body_type, call: Callable, summary: str):
    def endpoint(request, request_id: int, body: body_type):
        _visible(request, request_id)
        _run(lambda: call(request.auth, request_id, body))
        return _detail(request, request_id)

    endpoint.__name__ = f"request_{path.replace('-', '_')}"
    router.post(f"{PATH}/{path}", response={200: RequestDetailOut, **ERRORS},
                summary=summary)(endpoint)


_action("dispatch", DispatchIn, lambda u, pk, b: services.request_dispatch(
    actor=u, request_id=pk, lead=_department(b.lead),
    helpers=[_department(c) for c in b.helpers], note=b.note), "派单（督查）")
_action("accept", EmptyIn, lambda u, pk, b: services.request_accept(actor=u, request_id=pk),
        "签收（主办或协办部门）")
_action("answer", TextIn, lambda u, pk, b: services.request_answer(
    actor=u, request_id=pk, text=b.text), "答复（主办）或协办意见")
_action("send-back", TextIn, lambda u, pk, b: services.request_send_back(
    actor=u, request_id=pk, reason=b.text), "退回重新派单（主办）或退回协办")
_action("nudge", TextIn, lambda u, pk, b: services.request_nudge(
    actor=u, request_id=pk, text=b.text), "催办（督查）")
_action("extension", ExtensionIn, lambda u, pk, b: services.extension_request(
    actor=u, request_id=pk, amount=b.amount, unit=b.unit, reason=b.reason), "申请延期（主办）")
_action("extension-decide", DecideIn, lambda u, pk, b: services.extension_decide(
    actor=u, request_id=pk, approve=b.approve, note=b.note), "审批延期（督查）")
_action("dismiss", TextIn, lambda u, pk, b: services.request_dismiss(
    actor=u, request_id=pk, reason=b.text), "不予受理（督查）")
_action("withdraw", TextIn, lambda u, pk, b: services.request_withdraw(
    actor=u, request_id=pk, reason=b.text), "撤回（诉求人）")
_action("reopen", TextIn, lambda u, pk, b: services.request_reopen(
    actor=u, request_id=pk, reason=b.text), "不满意重新办理（诉求人，差评后一次）")
_action("close", EmptyIn, lambda u, pk, b: services.request_close(actor=u, request_id=pk),
        "确认办结（诉求人）")


@router.get("/metrics", response={200: MetricsOut, 403: ErrorOut}, summary="诉求办理指标")
def metrics(request, start: dt.date | None = None, end: dt.date | None = None):
    """按部门和类别的响应率、按时办结率、解决率、满意率（督查）。"""
    if not request.auth.has_perm("complaints.view_metrics"):
        return Status(403, {"detail": _("只有督查人员可以查看诉求指标。")})
    data = request_metrics(start=start, end=end)
    return {key: data[key] for key in ("departments", "categories", "total")}
