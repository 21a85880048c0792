"""Cases over HTTP: /api/cases/… — another face of the same services and selectors.

Authentication: an API token (`Authorization: Bearer ow_…`) or the browser session (unsafe
methods then need the CSRF token in `X-CSRFToken`). Every case is fetched through
`case_get_for_user`, so a case the caller may not see is the same 404 as a missing one; a
refused action is the service's `CaseError`, answered as `{"detail": message}` with its status.
See docs/api-cases.md.
"""

# No `from __future__ import annotations`: the action endpoints are built in a loop, and
# django-ninja reads each body type from the function's real annotations.

import io
import json
from collections.abc import Callable

from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import NinjaJSONEncoder

from onewindow.accounts.models import Enterprise
from onewindow.cases import clocks, services
from onewindow.cases.api_schemas import (
    AcceptWithToleranceIn,
    CaseCreateIn,
    CaseDetailOut,
    CaseFilter,
    CaseListOut,
    CaseNoteIn,
    CaseStatusOut,
    CommitmentIn,
    DecideIn,
    DeliverIn,
    DocumentOut,
    EmptyIn,
    ExtendIn,
    MaterialOut,
    NotAcceptIn,
    NoteIn,
    OfferHelpIn,
    ReturnIn,
    ReviewStepIn,
    SubmitIn,
    SuspendIn,
    TolerancePledgePaperIn,
    VerifyIn,
    WithdrawIn,
    next_step,
)
from onewindow.cases.documents import document_pdf
from onewindow.cases.enums import CaseState
from onewindow.cases.errors import CaseError, CaseInputError
from onewindow.cases.models import Case
from onewindow.cases.notify import STAFF_CASE_ROLES
from onewindow.cases.selectors import (
    case_get_for_user,
    case_status_for_api_key,
    case_status_get_for_user,
    case_status_visible,
    visible_cases,
)
from onewindow.cases.services import commitment, tolerance
from onewindow.cases.services.applying import case_material_upload
from onewindow.cases.services.instant import case_submit_form
from onewindow.cases.verification import document_get_for_case
from onewindow.catalog.models import ServiceItem
from onewindow.core.api_auth import API_AUTH, ApiKeyAuth
from onewindow.core.schemas import ErrorOut

router = Router(tags=["cases"], auth=API_AUTH)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
CASE_PATH = "/{int:case_id}"


# --- helpers ------------------------------------------------------------------------------------
def _case(request, case_id: int, **kwargs) -> Case:
    try:
        return case_get_for_user(user=request.auth, pk=case_id, **kwargs)
    except Http404:
        raise HttpError(404, _("办件不存在。")) from None


def _run(call: Callable):
    """Call a service; its typed refusal becomes `{"detail": message}` with its status."""
    try:
        return call()
    except CaseError as err:
        raise HttpError(err.status, err.message) from None


def _is_staff(user) -> bool:
    return user.role in STAFF_CASE_ROLES


def _status(case: Case, user) -> dict:
    # The label from the enum: get_state_display() hashes every lazy choice on each call.
    return {"number": case.number, "state": case.state,
            "state_label": str(CaseState(case.state).label),
            "clocks": [_clock(c) for c in clocks.clocks(case)],
            "next_step": next_step(case.state, staff=_is_staff(user))}


def _clock(clock) -> dict:
    return {"name": clock.name, "limit": clock.limit, "used": clock.used,
            "remaining": clock.remaining, "due": clock.due, "colour": clock.colour,
            "provisional": clock.provisional}


def _document(request, document) -> dict:
    kwargs = {"pk": document.case_id, "document_pk": document.pk}
    api_path = reverse("api:case_document_file",
                       kwargs={"case_id": document.case_id, "document_id": document.pk})
    return {"id": document.pk, "kind": document.kind, "kind_label": document.get_kind_display(),
            "number": document.number, "title": document.title, "issued_at": document.issued_at,
            "sha256": document.sha256, "verify_code": document.verify_code,
            "revoked": document.revoked_at is not None,
            "url": request.build_absolute_uri(reverse("cases:document", kwargs=kwargs)),
            "api_url": request.build_absolute_uri(api_path)}


def _material(material) -> dict:
    return {"id": material.pk, "requirement_id": material.requirement_id,
            "material": material.requirement.name, "original_name": material.original_name,
            "content_type": material.content_type, "size": material.size,
            "sha256": material.sha256, "uploaded_at": material.uploaded_at}


def _detail(request, case: Case) -> dict:
    """What `CaseDetailOut` shows; internal notes and escalations only to those who may see
    internal matters."""
    user = request.auth
    internal = user.has_perm("cases.see_internal", case)
    current = list(case.materials.filter(superseded_at__isnull=True)
                   .select_related("requirement"))
    have = {m.requirement_id for m in current}
    data = CaseListOut.from_orm(case).model_dump(by_alias=True)
    data.update({name: getattr(case, name) for name in DETAIL_FIELDS})
    data.update(_status(case, user))
    data.update(
        requirements=[{"id": r.pk, "name": r.name, "required": r.required,
                       "file_types": r.file_type_list, "uploaded": r.pk in have}
                      for r in ([] if case.is_bundle_parent else case.item.materials.all())],
        materials=[_material(m) for m in current],
        documents=[_document(request, d) for d in case.documents.all()],
        corrections=_open_corrections(case),
        notes=_notes(case, internal=internal),
        escalations=[{"level": e.level, "clock": e.clock, "due": e.due, "at": e.at}
                     for e in case.escalations.order_by("at")] if internal else [],
    )
    return data


def _notes(case: Case, *, internal: bool) -> list[dict]:
    notes = case.notes.select_related("author")
    if not internal:
        notes = notes.filter(internal=False)
    return [{"text": n.text, "internal": n.internal, "author": str(n.author), "at": n.at}
            for n in notes]


def _open_corrections(case: Case) -> list[dict]:
    request = case.corrections.filter(resolved_at__isnull=True).order_by("-issued_at").first()
    if request is None:
        return []
    return [{"requirement_id": i.requirement_id,
             "material": i.requirement.name if i.requirement_id else "", "reason": i.reason}
            for i in request.items.select_related("requirement").order_by("id")]


DETAIL_FIELDS = ("query_code", "form_data", "received_on", "pre_review_due", "accepted_on",
                 "deemed_accepted", "legal_limit_days", "promised_limit_days", "extension_days",
                 "legal_due", "promised_due", "due_provisional", "decision", "decision_reason",
                 "remedy_text", "not_accepted_reason", "competent_agency", "delivery_method",
                 "delivered_at")


# --- the applicant's side -----------------------------------------------------------------------
@router.post("/", response={200: CaseDetailOut, 201: CaseDetailOut, **ERRORS},
             summary="新建申请（草稿）", operation_id="cases_create")
def case_create(request, payload: CaseCreateIn,
                idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64,
                                              description="幂等键：重试时带同一个值")):
    """为事项新建申请草稿。带 `Idempotency-Key` 请求头时，同一账号用同一键重复提交只产生一个
    办件：首次返回 201，之后返回 200 和同一办件（键已用于其他事项时返回 422）。"""
    actor, key = request.auth, idempotency_key.strip()
    item = ServiceItem.objects.select_related("department").filter(pk=payload.item_id).first()
    if item is None:
        raise HttpError(422, _("事项不存在。"))
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=payload.enterprise_id).first()
        if enterprise is None:
            raise HttpError(422, _("企业不存在。"))
    with transaction.atomic():  # on SQLite this serialises twins, so `replay` is exact
        replay = bool(key) and Case.objects.filter(filed_by=actor, idempotency_key=key).exists()
        case = _run(lambda: services.case_create_draft(
            actor=actor, item=item, enterprise=enterprise, form_data=payload.form_data,
            idempotency_key=key))
    if replay and case.item_id != item.pk:
        raise HttpError(422, _("该 Idempotency-Key 已用于另一事项的申请，请换一个。"))
    return Status(200 if replay else 201, _detail(request, _case(request, case.pk)))


@router.get("/", response=list[CaseListOut], summary="我可见的办件", operation_id="cases_list")
@paginate(PageNumberPagination, page_size=20)
def case_list(request, filters: Query[CaseFilter]):
    """当前账号可见的办件（申请人：本人及所属企业的办件；工作人员：职责范围内的办件），新的在前。"""
    cases = visible_cases(request.auth)
    if filters.state:
        cases = cases.filter(state=filters.state)
    return cases


@router.get(CASE_PATH, response={200: CaseDetailOut, 404: ErrorOut}, summary="办件详情",
            operation_id="cases_detail")
def case_detail(request, case_id: int):
    """办件详情：时限、材料、补正事项、文书（含下载地址）；内部意见仅工作人员可见。"""
    return _detail(request, _case(request, case_id))


class StatusKeyAuth(ApiKeyAuth):
    """The status endpoint's token check. The endpoint is the most frequent call of all
    (scripts poll it), so the token's owner and the case's status row come in one statement
    (`case_status_for_api_key`); the row waits on the request for the view, which still
    decides whether the owner may see it."""

    def authenticate(self, request, token: str):
        user, row = case_status_for_api_key(key=token,
                                            pk=request.resolver_match.kwargs["case_id"])
        if user is not None:
            request.user, request.status_row = user, row
        return user


@router.get(CASE_PATH + "/status", response={200: CaseStatusOut, 404: ErrorOut},
            summary="办件状态", operation_id="cases_status",
            auth=[StatusKeyAuth(), *API_AUTH[1:]])
def case_status(request, case_id: int):
    """轻量的进度查询：状态、各时限（工作日）及颜色、下一步。"""
    try:
        if hasattr(request, "status_row"):  # read with the API token's owner
            case = case_status_visible(user=request.auth, case=request.status_row)
        else:
            case = case_status_get_for_user(user=request.auth, pk=case_id)
    except Http404:
        raise HttpError(404, _("办件不存在。")) from None
    # `_status` builds CaseStatusOut's shape (a test validates the body against it), so it is
    # rendered without the schema checking it once more.
    return HttpResponse(json.dumps(_status(case, request.auth), cls=NinjaJSONEncoder,
                                   ensure_ascii=False), content_type="application/json")


@router.post(CASE_PATH + "/materials/{int:requirement_id}",
             response={201: MaterialOut, **ERRORS}, summary="上传申请材料",
             operation_id="cases_material_upload")
def material_upload(request, case_id: int, requirement_id: int, file: File[UploadedFile]):
    """上传一项材料（multipart，字段名 `file`）。按文件内容识别类型，不合要求时返回 422 并写明材料
    名称；同一材料再次上传成为新版本，旧版本保留。"""
    case = _case(request, case_id)
    material = _run(lambda: case_material_upload(
        actor=request.auth, case_id=case.pk, requirement_id=requirement_id, uploaded_file=file))
    return Status(201, _material(material))


@router.post(CASE_PATH + "/submit", response={200: CaseStatusOut, **ERRORS},
             summary="提交申请", operation_id="cases_submit")
def case_submit(request, case_id: int, payload: SubmitIn | None = None):
    """提交草稿，或补正后重新提交同一办件。申请表有未填或填错的内容、缺少必要材料时返回 422
    并逐项写明。"""
    case = _case(request, case_id)
    payload = payload or SubmitIn()
    case = _run(lambda: case_submit_form(actor=request.auth, case_id=case.pk,
                                         form_data=payload.form_data, note=payload.note))
    return _status(case, request.auth)


@router.post(CASE_PATH + "/withdraw", response={200: CaseStatusOut, **ERRORS},
             summary="撤回申请", operation_id="cases_withdraw")
def case_withdraw(request, case_id: int, payload: WithdrawIn | None = None):
    """申请人撤回尚未办结的申请。"""
    case = _case(request, case_id)
    reason = payload.reason if payload else ""
    case = _run(lambda: services.case_withdraw(actor=request.auth, case_id=case.pk,
                                               reason=reason))
    return _status(case, request.auth)


@router.get(CASE_PATH + "/documents", response={200: list[DocumentOut], 404: ErrorOut},
            summary="办件文书", operation_id="cases_documents")
def case_documents(request, case_id: int):
    """办件的通知书、决定书和证照，含下载地址和核验码。"""
    case = _case(request, case_id)
    return [_document(request, d) for d in case.documents.all()]


@router.get(CASE_PATH + "/documents/{int:document_id}", response={404: ErrorOut},
            summary="下载文书", operation_id="cases_document_file",
            url_name="case_document_file")
def case_document_file(request, case_id: int, document_id: int):
    """下载一份文书的 PDF。"""
    case = _case(request, case_id)
    try:
        document = document_get_for_case(case=case, pk=document_id)
    except Http404 as error:
        raise HttpError(404, str(error)) from None
    response = FileResponse(io.BytesIO(document_pdf(document)), content_type="application/pdf",
                            as_attachment=True, filename=f"{document.number}.pdf")
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- staff actions ------------------------------------------------------------------------------
def _return(actor, case, payload: ReturnIn):
    # A bundle's parent has no materials of its own: the service refuses to return it.
    requirements = ({} if case.is_bundle_parent
                    else {r.pk: r for r in case.item.materials.all()})
    items = []
    for entry in payload.items:
        if entry.requirement_id is not None and entry.requirement_id not in requirements:
            raise CaseInputError(_("材料编号 %(id)s 不属于该事项。") % {"id": entry.requirement_id})
        items.append((requirements.get(entry.requirement_id), entry.reason))
    return services.case_return(actor=actor, case_id=case.pk, items=items, note=payload.note)


def _verify(actor, case, payload: VerifyIn):
    task = commitment.open_verification_task(case)
    if task is None:
        raise CaseInputError(_("该办件没有待核查的告知承诺。"))
    return commitment.verification_complete(actor=actor, task_id=task.pk, **payload.model_dump())


def _fields(service: Callable) -> Callable:
    """An action whose body fields are the service's keyword arguments."""
    return lambda actor, case, payload: service(actor=actor, case_id=case.pk,
                                                **payload.model_dump())


# slug: (body, summary, call(actor, case, payload))
ACTIONS = {
    "claim": (EmptyIn, "认领办件、开始预审", _fields(services.case_claim)),
    "return": (ReturnIn, "退回补正（一次性告知全部补正事项）", _return),
    "offer-help": (OfferHelpIn, "先帮再办：告知原因并提供帮助（记录在案）",
                   _fields(services.case_offer_help)),
    "not-accept": (NotAcceptIn, "不予受理（须先帮再办）", _fields(services.case_not_accept)),
    "accept": (NoteIn, "受理（出具受理通知书）", _fields(services.case_accept)),
    "tolerance-pledge": (TolerancePledgePaperIn, "录入申请人签署的纸质容缺承诺书",
                         _fields(tolerance.tolerance_pledge_record)),
    "accept-with-tolerance": (AcceptWithToleranceIn, "容缺受理（出具容缺受理告知书）",
                              _fields(tolerance.case_accept_with_tolerance)),
    "start-review": (EmptyIn, "部门开始审查", _fields(services.case_start_review)),
    "review-step": (ReviewStepIn, "记录审查或审批意见", _fields(services.case_review_step)),
    "suspend": (SuspendIn, "进入特别程序（时限暂停）", _fields(services.case_suspend)),
    "resume": (NoteIn, "特别程序结束，恢复审查", _fields(services.case_resume)),
    "extend": (ExtendIn, "延长法定时限（一次，至多10个工作日）", _fields(services.case_extend)),
    "decide": (DecideIn, "作出准予或不予许可决定", _fields(services.case_decide)),
    "complete": (NoteIn, "办结", _fields(services.case_complete)),
    "deliver": (DeliverIn, "送达", _fields(services.case_deliver)),
    "verify": (VerifyIn, "记录告知承诺核查结果（不实则撤销许可决定）", _verify),
    "note": (CaseNoteIn, "添加意见（默认为内部意见）", _fields(services.case_note_add)),
}


def _register_action(slug: str, body, summary: str, call: Callable) -> None:
    def act(request, case_id: int, payload: body):
        case = _case(request, case_id)
        _run(lambda: call(request.auth, case, payload or body()))
        return _status(_case(request, case_id), request.auth)

    if not any(f.is_required() for f in body.model_fields.values()):
        act.__defaults__ = (None,)  # nothing required: an empty body will do
    act.__doc__ = f"{summary}。调用与办理页面相同的业务服务，返回办件状态。"
    router.post(f"{CASE_PATH}/actions/{slug}", response={200: CaseStatusOut, **ERRORS},
                summary=summary, operation_id=f"cases_action_{slug.replace('-', '_')}")(act)


for _slug, (_body, _summary, _call) in ACTIONS.items():
    _register_action(_slug, _body, _summary, _call)


# --- the applicant's side of 容缺受理 and 告知承诺 ---------------------------------------------
@router.post(CASE_PATH + "/tolerance/pledge", response={200: CaseStatusOut, **ERRORS},
             summary="签署容缺受理承诺书", operation_id="cases_tolerance_pledge")
def tolerance_pledge(request, case_id: int):
    """受理前，申请人在线签署容缺受理承诺书（每件一次）；列入失信黑名单的申请人（企业或个人）不适用。"""
    case = _case(request, case_id)
    _run(lambda: tolerance.tolerance_pledge_sign(actor=request.auth, case_id=case.pk))
    return _status(_case(request, case_id), request.auth)


@router.post(CASE_PATH + "/tolerance/materials/{int:requirement_id}",
             response={201: MaterialOut, **ERRORS}, summary="补交容缺材料",
             operation_id="cases_tolerance_material_upload")
def tolerance_material_upload(request, case_id: int, requirement_id: int,
                              file: File[UploadedFile]):
    """在补交期限内上传一项容缺材料（multipart，字段名 `file`），该材料即为已补交。"""
    case = _case(request, case_id)
    owed = _run(lambda: tolerance.case_tolerated_material_upload(
        actor=request.auth, case_id=case.pk, requirement_id=requirement_id, uploaded_file=file))
    return Status(201, _material(owed.material))


@router.post(CASE_PATH + "/commitment", response={200: CaseStatusOut, **ERRORS},
             summary="签署告知承诺书", operation_id="cases_commitment_sign")
def commitment_sign(request, case_id: int, payload: CommitmentIn | None = None):
    """提交前，对实行告知承诺制的事项签署告知承诺书，以承诺代替所选材料（每件一次）。"""
    case = _case(request, case_id)
    ids = payload.requirement_ids if payload else None
    _run(lambda: commitment.case_commitment_sign(actor=request.auth, case_id=case.pk,
                                                 requirement_ids=ids))
    return _status(_case(request, case_id), request.auth)

