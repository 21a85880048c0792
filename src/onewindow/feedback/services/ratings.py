"""Ratings (好差评): submit or change one, invite to rate, open the rectification of a bad one."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.cases.notify import notify_users
from onewindow.feedback import conf, subjects
from onewindow.feedback.audiences import department_staff, supervisors
from onewindow.feedback.enums import BAD_LEVELS, Channel, Level
from onewindow.feedback.errors import RatingError
from onewindow.feedback.models import Rating, RatingInvitation, Rectification
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.selectors import add_working_days

COMMENT_MAX = 1000


def rate_url(kind: str, object_id: int) -> str:
    return reverse("feedback:rate", kwargs={"kind": kind, "object_id": object_id})


@transaction.atomic
def rating_submit(*, actor, subject, level: int, comment: str = "", department=None,
                  window=None, clerk=None, channel: str = Channel.WEB,
                  kind: str | None = None) -> Rating:
    """Create the actor's rating of `subject`, or change it within the change period.

    `subject` is the rated model instance, or a `subjects.Subject` (whose attribution is used
    where department/window/clerk are not given). A bad review opens a rectification task for
    the responsible department (once per rating). Raises RatingError when not allowed.
    """
    if isinstance(subject, subjects.Subject):
        department = department or subject.department
        window = window or subject.window
        clerk = clerk or subject.clerk
        title, subject = subject.title, subject.obj
    else:
        title = str(subject)
    level, comment = _clean_input(actor, level, comment, channel)
    content_type = ContentType.objects.get_for_model(subject)
    rating = _locked(content_type, subject.pk, actor)
    if rating is None:
        rating = _create(actor=actor, content_type=content_type, subject=subject,
                         kind=kind or subjects.kind_of(subject), title=title[:200], level=level,
                         comment=comment, channel=channel, department=department,
                         window=window, clerk=clerk)
        if rating is None:  # the same rater's other request (a double click) created it first
            rating = _locked(content_type, subject.pk, actor)
            _change(rating, actor=actor, level=level, comment=comment, channel=channel)
    else:
        _change(rating, actor=actor, level=level, comment=comment, channel=channel)
    if rating.level in BAD_LEVELS and not Rectification.objects.filter(rating=rating).exists():
        _open_rectification(rating, actor=actor)
    RatingInvitation.objects.filter(kind=rating.kind, object_id=rating.object_id, user=actor,
                                    rated_at__isnull=True).update(rated_at=timezone.now())
    return rating


def _clean_input(actor, level, comment: str, channel: str) -> tuple[int, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise RatingError(_("请先登录后再评价。"))
    try:
        level = Level(int(level))
    except (TypeError, ValueError):
        raise RatingError(_("请选择评价等级（非常满意至非常不满意）。")) from None
    if channel not in Channel.values:
        raise RatingError(_("评价渠道不正确。"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise RatingError(_("评价内容不能超过 %(n)d 字。") % {"n": COMMENT_MAX})
    if level in BAD_LEVELS and not comment:
        raise RatingError(_("差评请写明不满意的原因，以便责任部门回访整改。"))
    return int(level), comment


def _locked(content_type, object_id: int, rater) -> Rating | None:
    return (Rating.objects.select_for_update()
            .filter(content_type=content_type, object_id=object_id, rater=rater).first())


def _create(*, actor, **fields) -> Rating | None:
    """The new rating, or None when the (subject, rater) row appeared meanwhile."""
    rating = Rating(rater=actor, object_id=fields.pop("subject").pk, **fields)
    rating.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the unique constraint decides a double click
            rating.save()
    except IntegrityError:
        return None
    audit_record(actor=actor, action="rating.submit", obj=rating,
                 new={"level": rating.level, "kind": rating.kind, "object_id": rating.object_id,
                      "channel": rating.channel}, note=rating.comment)
    return rating


def _change(rating: Rating, *, actor, level: int, comment: str, channel: str) -> None:
    """Call while holding the rating's row lock. The same level and comment again (a double
    click, a resent request) changes nothing."""
    if (rating.level, rating.comment) == (level, comment):
        return
    days = conf.rating_change_days()
    if timezone.now() - rating.created_at > dt.timedelta(days=days):
        raise RatingError(_("评价提交已超过 %(days)d 天，不能再修改。") % {"days": days})
    old = {"level": rating.level, "comment": rating.comment}
    rating.level, rating.comment, rating.channel = level, comment, channel
    rating.changed_at = timezone.now()
    rating.change_count += 1
    rating.full_clean(validate_constraints=False)
    rating.save()
    audit_record(actor=actor, action="rating.change", obj=rating, old=old,
                 new={"level": level, "comment": comment})


def _open_rectification(rating: Rating, *, actor) -> Rectification | None:
    """A bad review opens a task for the responsible department; none known, supervisors
    are told (the review still stands)."""
    today = timezone.localdate()
    if rating.department_id is None:
        notify_users(supervisors(), verb="rating_bad_unassigned",
                     title=_("收到差评，但无法确定责任部门，请指定处理。"), body=rating.comment)
        return None
    try:
        due = add_working_days(today, conf.rectification_days())
    except CalendarNotCovered as exc:
        raise RatingError(exc.message + _("，请联系管理员录入节假日安排。")) from exc
    task = Rectification(rating=rating, department_id=rating.department_id, opened_on=today,
                         due_on=due.date, due_provisional=due.provisional)
    task.full_clean()
    task.save()
    audit_record(actor=actor, action="rectification.open", obj=task,
                 new={"state": task.state, "due_on": task.due_on, "rating": rating.pk})
    link = reverse("feedback:rectification", kwargs={"pk": task.pk})
    notify_users(department_staff(rating.department_id), verb="rectification_open",
                 title=_("收到差评，请在 %(due)s 前完成回访和整改。") % {"due": task.due_on},
                 body=f"{rating.title}：{rating.comment}", link=link)
    return task


@transaction.atomic
def rating_invite(*, kind: str, object_id: int, users, title: str) -> int:
    """Invite `users` to rate subject (kind, object_id); each user is invited once, ever.

    Returns how many invitations were sent. The reminder job reminds once, later."""
    invited = []
    for user in {u.pk: u for u in users if u is not None}.values():
        _invitation, created = RatingInvitation.objects.get_or_create(
            kind=kind, object_id=object_id, user=user, defaults={"title": title[:200]})
        if created:
            invited.append(user)
    if invited:
        notify_users(invited, verb="rating_invite", title=_("请您对“%(title)s”作出评价") % {
            "title": title}, body=_("您的评价将帮助我们改进服务，差评将由责任部门回访整改。"),
            link=rate_url(kind, object_id))
    return len(invited)
