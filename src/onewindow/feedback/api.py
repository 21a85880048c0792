"""Ratings over HTTP: /api/feedback/… — another face of the same services and selectors.

Authentication: an API token (`Authorization: Bearer ow_…`) or the browser session (unsafe
methods then need the CSRF token in `X-CSRFToken`). What may be rated is decided by the same
resolvers as the rate page: a subject the caller may not rate is the same 404 as a missing one.
"""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from onewindow.core.api_auth import API_AUTH
from onewindow.core.schemas import ErrorOut
from onewindow.feedback import selectors, services, subjects
from onewindow.feedback.errors import FeedbackError

router = Router(tags=["feedback"], auth=API_AUTH)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RatingIn(Schema):
    kind: str = Field(..., description="评价对象：case 办件、request 诉求、visit 窗口服务")
    object_id: int = Field(..., gt=0)
    level: int = Field(..., ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    comment: str = Field("", max_length=1000, description="差评（1、2）必填原因")


class RatingOut(Schema):
    id: int
    kind: str
    object_id: int
    title: str
    level: int
    level_label: str
    comment: str
    channel: str
    created_at: dt.datetime
    changed_at: dt.datetime | None
    rectification_state: str | None = Field(None, description="差评整改状态")

    @staticmethod
    def resolve_level_label(rating) -> str:
        return str(rating.get_level_display())

    @staticmethod
    def resolve_rectification_state(rating) -> str | None:
        task = getattr(rating, "rectification", None)
        return task.state if task is not None else None


def _not_found():
    return Status(404, {"detail": _("没有可评价的事项。")})


@router.post("/ratings", response={200: RatingOut, 201: RatingOut, **ERRORS},
             summary="提交或修改评价")
def rating_submit(request, payload: RatingIn):
    """201 for a new rating, 200 for a change within the change period."""
    subject = subjects.resolve(payload.kind, request.user, payload.object_id)
    if subject is None:
        return _not_found()
    existed = selectors.rating_of(subject=subject.obj, rater=request.user) is not None
    try:
        rating = services.rating_submit(actor=request.user, subject=subject, kind=payload.kind,
                                        level=payload.level, comment=payload.comment,
                                        channel="api")
    except FeedbackError as exc:
        return Status(exc.status, {"detail": exc.message})
    return Status(200 if existed else 201, rating)


@router.get("/ratings", response={200: list[RatingOut], **ERRORS}, summary="我的评价")
def my_ratings(request):
    return list(selectors.ratings_of_user(request.user)[:200])


@router.get("/ratings/{kind}/{object_id}", response={200: RatingOut, **ERRORS},
            summary="我对某事项的评价")
def rating_get(request, kind: str, object_id: int):
    subject = subjects.resolve(kind, request.user, object_id)
    rating = subject and selectors.rating_of(subject=subject.obj, rater=request.user)
    if not rating:
        return Status(404, {"detail": _("没有找到您的这条评价。")})
    return rating
