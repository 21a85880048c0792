"""The JSON API root: every app's router is mounted here, under /api/."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from onewindow.appointments.api import router as appointments_router
from onewindow.bidding.api import router as bidding_router
from onewindow.cases.api import router as cases_router
from onewindow.catalog.api import router as catalog_router
from onewindow.complaints.api import router as complaints_router
from onewindow.core.api_auth import ApiKeyAuth
from onewindow.feedback.api import router as feedback_router
from onewindow.guide.api import router as guide_router
from onewindow.workdays.api import router as workdays_router


class Utf8JSONRenderer(JSONRenderer):
    """Chinese text as itself rather than \\u escapes: smaller and readable in logs."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="onewindow API",
    version="1",
    description=("高新区一网通办平台开放接口：事项目录（办事指南、“一件事”）、办件（申请、材料、状态、文书、"
                 "工作人员办理）、诉求（Open311）、智能导办、远程异地评标、工作日计算等。"),
    urls_namespace="api",
    renderer=Utf8JSONRenderer(),
)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", [])[1:]) or "body"
        fields.append(loc)
    detail = _("请求参数有误：%(fields)s") % {"fields": "、".join(fields) or "?"}
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return api.create_response(request, {"detail": _("未认证：请提供有效的接口令牌")}, status=401)


class MeOut(Schema):
    username: str
    role: str


@api.get("/me", auth=ApiKeyAuth(), response=MeOut, tags=["accounts"], summary="当前用户")
def me(request):
    """The account a token belongs to — a quick check that a token works."""
    return {"username": request.auth.username, "role": request.auth.role}


api.add_router("/catalog/", catalog_router)
api.add_router("/workdays/", workdays_router)
api.add_router("/cases/", cases_router)
# Each app's router decides its own auth per operation (public reads; token or session).
api.add_router("/complaints/", complaints_router)
api.add_router("/feedback/", feedback_router)
api.add_router("/appointments/", appointments_router)
api.add_router("/guide/", guide_router)
api.add_router("/bidding/", bidding_router)
