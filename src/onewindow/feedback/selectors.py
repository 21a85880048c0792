"""Reads of ratings and rectifications."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.accounts.enums import Role
from onewindow.feedback.enums import OPEN_RECTIFICATION_STATES, RectificationState
from onewindow.feedback.models import Rating, RatingInvitation, Rectification, SurveyImport

SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.SYSTEM_ADMIN})
DEPARTMENT_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.WINDOW_CLERK})
RECTIFICATION_RELATED = ("rating", "rating__rater", "rating__window", "rating__clerk",
                         "department")


def rating_of(*, subject, rater) -> Rating | None:
    """The rater's rating of `subject` (a model instance), or None."""
    if rater is None or not getattr(rater, "is_authenticated", False):
        return None
    content_type = ContentType.objects.get_for_model(subject)
    return Rating.objects.filter(content_type=content_type, object_id=subject.pk,
                                 rater=rater).first()


def ratings_by_subject(*, model, ids) -> dict[int, Rating]:
    """The latest rating of each subject id of `model` (for metrics: satisfaction per …)."""
    content_type = ContentType.objects.get_for_model(model)
    ids = list(ids)
    if not ids:
        return {}
    latest = (Rating.objects.filter(content_type=content_type, object_id__in=ids)
              .values("object_id").annotate(last=Max("id")).values("last"))
    return {r.object_id: r for r in Rating.objects.filter(pk__in=latest)}


def ratings_of_user(user) -> QuerySet[Rating]:
    return (Rating.objects.filter(rater=user)
            .select_related("department", "window", "rectification").order_by("-id"))


def visible_rectifications(user) -> QuerySet[Rectification]:
    """Supervisors see every task; department staff their department's; a rater their own."""
    tasks = Rectification.objects.select_related(*RECTIFICATION_RELATED)
    if not getattr(user, "is_authenticated", False):
        return tasks.none()
    if user.role in SUPERVISING_ROLES:
        return tasks
    mine = Q(rating__rater=user)
    if user.role in DEPARTMENT_ROLES and user.department_id:
        mine |= Q(department_id=user.department_id)
    return tasks.filter(mine)


def rectification_get_for_user(*, user, pk: int) -> Rectification:
    task = visible_rectifications(user).filter(pk=pk).first()
    if task is None:
        raise Http404(_("整改任务不存在。"))
    return task


def department_queue(user) -> QuerySet[Rectification]:
    """The department's open tasks, the nearest deadline first."""
    if not user.department_id:
        return Rectification.objects.none()
    return (visible_rectifications(user).filter(department_id=user.department_id,
                                                state__in=OPEN_RECTIFICATION_STATES)
            .order_by("due_on", "id"))


def review_queue() -> QuerySet[Rectification]:
    """What a supervisor must decide: submitted reports and appeals."""
    waiting = (RectificationState.SUBMITTED, RectificationState.APPEALED)
    return (Rectification.objects.select_related(*RECTIFICATION_RELATED)
            .filter(state__in=waiting).order_by("reported_at", "id"))


def recent_surveys(limit: int = 12) -> QuerySet[SurveyImport]:
    return SurveyImport.objects.select_related("imported_by")[:limit]


def overdue_rectifications() -> QuerySet[Rectification]:
    """Tasks past their deadline still with the department (escalated or about to be)."""
    return (Rectification.objects.select_related(*RECTIFICATION_RELATED)
            .filter(state__in=(RectificationState.OPEN, RectificationState.RETURNED),
                    due_on__lt=timezone.localdate()).order_by("due_on", "id"))


def surveys_of_month(month) -> QuerySet[SurveyImport]:
    return (SurveyImport.objects.filter(month=month.replace(day=1))
            .select_related("imported_by").order_by("agency"))


def pending_invitations(user) -> QuerySet[RatingInvitation]:
    """Invitations the user has not answered yet (待评价), newest first."""
    return RatingInvitation.objects.filter(user=user, rated_at__isnull=True).order_by("-id")
