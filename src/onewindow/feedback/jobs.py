"""`onewindow feedback tick`: invitations for completed cases, reminders, overdue escalations.

Idempotent: an invitation is sent once per (subject, user), a reminder once, an escalation once
per deadline (a new deadline after an upheld appeal may escalate again).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.notify import notify_users
from onewindow.feedback import conf
from onewindow.feedback.case_subject import completed_cases_to_invite
from onewindow.feedback.enums import DEPARTMENT_STATES
from onewindow.feedback.models import Rating, RatingInvitation, Rectification
from onewindow.feedback.services import rating_invite, rectification_escalate
from onewindow.feedback.services.ratings import rate_url

logger = logging.getLogger("onewindow.feedback")
# Cases completed longer ago than this are not invited when the job first runs.
INVITE_LOOKBACK_DAYS = 30


@dataclass
class Summary:
    invited: int = 0
    reminded: int = 0
    escalated: list[int] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __str__(self):
        return (f"feedback tick: {self.invited} invited, {self.reminded} reminded, "
                f"{len(self.escalated)} escalated, {len(self.failures)} failed")


def tick(*, now: dt.datetime | None = None) -> Summary:
    now = now or timezone.now()
    summary = Summary()
    summary.invited = invite_completed_cases(now=now)
    summary.reminded = remind(now=now)
    escalate_overdue(today=timezone.localdate(now), summary=summary)
    return summary


def invite_completed_cases(*, now: dt.datetime) -> int:
    invited = 0
    for case_id, applicant, title in completed_cases_to_invite(
            since=now - dt.timedelta(days=INVITE_LOOKBACK_DAYS)):
        invited += rating_invite(kind="case", object_id=case_id, users=[applicant], title=title)
    return invited


def remind(*, now: dt.datetime) -> int:
    """Remind once, `rating_reminder_days` after the invitation, whoever has not rated."""
    rated = Rating.objects.filter(kind=OuterRef("kind"), object_id=OuterRef("object_id"),
                                  rater=OuterRef("user"))
    due = (RatingInvitation.objects
           .filter(reminded_at__isnull=True, rated_at__isnull=True,
                   invited_at__lte=now - dt.timedelta(days=conf.rating_reminder_days()))
           .annotate(rated=Exists(rated)).select_related("user"))
    reminded = 0
    for invitation in due:
        with transaction.atomic():
            claimed = RatingInvitation.objects.filter(
                pk=invitation.pk, reminded_at__isnull=True).update(
                reminded_at=now, rated_at=now if invitation.rated else None)
            if claimed and not invitation.rated:
                notify_users([invitation.user], verb="rating_reminder", title=_(
                    "提醒：您还未对“%(title)s”作出评价") % {"title": invitation.title},
                    link=rate_url(invitation.kind, invitation.object_id))
                reminded += 1
    return reminded


def escalate_overdue(*, today: dt.date, summary: Summary) -> None:
    overdue = (Rectification.objects.filter(state__in=DEPARTMENT_STATES, due_on__lt=today,
                                            escalated_at__isnull=True)
               .values_list("pk", flat=True))
    for task_id in overdue:
        try:
            rectification_escalate(task_id=task_id)
            summary.escalated.append(task_id)
        except Exception:  # one bad task must not stop the others; cron sees the failure
            logger.exception("feedback tick: escalating rectification %s failed", task_id)
            summary.failures.append(str(task_id))
