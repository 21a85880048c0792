"""Telling people what happened to a case: in-app always; email/SMS through backends.

The services call `case_event` inside their transaction: the in-app notifications are written
with the change (committed or rolled back with it); email and SMS go out only after the
commit: from the request, or, with `ONEWINDOW_NOTIFY_QUEUE`, from rows written with the change
that the delivery worker sends (`onewindow cases deliver`), so that no request waits for a mail
server. A backend's failure is logged without touching the case, and what failed is sent again
until it goes out or its attempts run out (`send_due_deliveries`).
Who hears of what:
- the applicant (and the person who filed for them), of every change they must know;
- the department's reviewers and approvers, of a case accepted or deemed accepted;
- whoever holds the case (the clerk who claimed it, or the department once accepted), of a
  resubmission, a withdrawal and a clock nearing its end;
- supervisors, of an overdue clock (the clock job's escalation).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.enums import Role
from onewindow.cases.models import Case, Notification, NotificationDelivery
from onewindow.cases.notify_backends import backend_paths, configured_backends
from onewindow.cases.selectors_bundles import case_display_title, case_title_for_applicant
from onewindow.core.db import Prepared, insert_all
from onewindow.core.retry import LEASE, backoff, claim

logger = logging.getLogger("onewindow.notify")
State = NotificationDelivery.State

# How long the row of a message sent stays (`prune_sent_deliveries`).
SENT_KEEP = dt.timedelta(days=90)

# The events an applicant must know, with what they are told.
APPLICANT_MESSAGES = {
    "submit": _("您的申请已提交，等待窗口预审。"),
    "return_for_correction": _("您的申请需要补正材料，请查看一次性告知书并补正后重新提交。"),
    "not_accept": _("您的申请不予受理，请查看不予受理通知书。"),
    "accept": _("您的申请已受理，请查看受理通知书。"),
    "deem_accepted": _("您的申请已依法视为受理。"),
    "suspend": _("您的申请进入特别程序，所需时间不计入办理时限。"),
    "resume": _("您的申请已恢复审查。"),
    "extend": _("您的申请办理期限已依法延长，请查看延期告知书。"),
    "decide": _("您的申请已作出决定，请查看决定书。"),
    "complete": _("您的申请已办结。"),
    "deliver": _("您的证照/决定书已送达。"),
    "withdraw": _("您的申请已撤回。"),
}

# The events staff must know: (audience, message). Audiences are the functions below.
STAFF_MESSAGES = {
    "submit": [("holder", _("申请人已补正并重新提交，请继续预审。"))],
    "accept": [("reviewers", _("新受理的办件，请及时审查。"))],
    "deem_accepted": [("reviewers", _("该办件预审逾期，已依法视为受理，请及时审查。"))],
    "withdraw": [("holder", _("申请人已撤回该申请，无需继续办理。"))],
    "clock_warning": [("handlers", _("%(clock)s将于 %(due)s 届满，请抓紧办理。"))],
    "clock_overdue": [("supervisors", _("%(clock)s已于 %(due)s 届满，办件已超期，请督办。")),
                      ("handlers", _("%(clock)s已于 %(due)s 届满，办件已超期并已提请督办。"))],
}

# Roles that handle cases on the staff side (their links open the staff workbench).
STAFF_CASE_ROLES = frozenset({Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR,
                              Role.SYSTEM_ADMIN})
CLOCK_LABELS = {"pre_review": _("预审期限"), "legal": _("法定时限"), "promised": _("承诺时限")}
ESCALATION_EVENTS = frozenset({"clock_warning", "clock_overdue"})


def case_event(case: Case, event: str, *,
               escalation_id: int | None = None) -> list[Notification]:
    """Tell whoever must know of `event` on `case` (the locked instance the service holds).

    The in-app notifications are written now, in the caller's transaction: they become
    visible when the change commits and vanish with it when it rolls back, so nobody is told
    of a change that did not happen and no change is left untold. The external backends
    (email, SMS) get them only after the commit; a failure there is logged, never raised.
    A clock event is told only with the escalation it is about (the clock job passes it); the
    plain call that `services.core.record` makes for it is a no-op."""
    if event not in APPLICANT_MESSAGES and event not in STAFF_MESSAGES:
        return []
    if event in ESCALATION_EVENTS and escalation_id is None:
        return []
    notifications = insert_all(build(case, event, escalation_id=escalation_id))
    if notifications:
        _send_after_commit(notifications)
    return notifications


def _send_after_commit(notifications: list[Notification]) -> None:
    """Call in the transaction that wrote `notifications`. Queued (`ONEWINDOW_NOTIFY_QUEUE`):
    one row per message and backend, written in that transaction, so that no message is lost
    to a process that dies after the commit; otherwise sent by this process once it commits."""
    if settings.ONEWINDOW_NOTIFY_QUEUE:
        now, paths = timezone.now(), backend_paths()
        insert_all([NotificationDelivery(notification=notification, backend=path,
                                         next_attempt_at=now)
                    for notification in notifications for path in paths])
    else:
        transaction.on_commit(lambda: send_all_external(notifications), robust=True)


def build(case: Case, event: str, *, escalation_id: int | None = None) -> list[Notification]:
    """Unsaved notifications for `event`, at most one per person (the first audience wins).
    Staff read the case's own number; the applicant of a bundle's part (一件事) the one number
    the bundle was given, with the part's name (`case_title_for_applicant`)."""
    title = case_display_title(case)
    messages = []
    if event in APPLICANT_MESSAGES and not (case.parent_id and event in MUTED_FOR_PARTS):
        messages.append((applicant_side(case), str(APPLICANT_MESSAGES[event]),
                         case_title_for_applicant(case)))
    params = escalation_params(case, escalation_id)
    for audience, message in STAFF_MESSAGES.get(event, []):
        messages.append((AUDIENCES[audience](case), str(message) % params, title))
    result, seen = [], set()
    for users, body, heading in messages:
        for user in users:
            if user.pk not in seen and user.is_active:
                seen.add(user.pk)
                result.append(Notification(user=user, case=case, verb=event, title=heading,
                                           body=body))
    return result


def escalation_params(case: Case, escalation_id: int | None) -> dict:
    escalation = case.escalations.filter(pk=escalation_id).first() if escalation_id else None
    if escalation is None:
        return {}
    return {"clock": CLOCK_LABELS.get(escalation.clock, escalation.clock),
            "due": escalation.due.isoformat()}


def send_all_external(notifications: list[Notification]) -> None:
    for notification in notifications:
        send_external(notification)


def send_external(notification: Notification) -> None:
    """Each configured backend in turn; one failing does not stop the others, and what it
    failed to send is kept to be sent again (`send_due_deliveries`)."""
    try:
        backends = configured_backends()
    except Exception:
        logger.exception("notify backends could not be loaded")
        return
    for path, backend in backends.items():
        try:
            backend.send(notification)
        except Exception as error:
            logger.exception("notify backend %s failed for notification %s",
                             type(backend).__name__, notification.pk)
            _keep_for_retry(notification, path, error)


def _keep_for_retry(notification: Notification, backend: str, error: Exception) -> None:
    """One row to send again, in a statement of its own (the change committed before)."""
    given_up = settings.ONEWINDOW_NOTIFY_MAX_ATTEMPTS <= 1  # that was the only attempt
    try:
        NotificationDelivery.objects.create(
            notification=notification, backend=backend, attempts=1,
            last_error=_error_text(error), next_attempt_at=timezone.now() + backoff(1),
            state=State.FAILED if given_up
            else State.PENDING)
    except Exception:
        logger.exception("notification %s could not be kept for another try by %s",
                         notification.pk, backend)


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]


@dataclass
class DeliverySummary:
    sent: int = 0
    retrying: int = 0  # failed this time, to be tried again later
    given_up: int = 0
    errors: list[str] = field(default_factory=list)  # what the run itself could not handle

    @property
    def handled(self) -> int:
        """Messages this run sent, put back for later or gave up."""
        return self.sent + self.retrying + self.given_up

    def __bool__(self) -> bool:
        return bool(self.handled or self.errors)

    def __str__(self) -> str:
        return (f"messages sent {self.sent}, to retry {self.retrying}, "
                f"given up {self.given_up}")


def send_due_deliveries(*, limit: int = 500, stop=None) -> DeliverySummary:
    """Send the queued messages and the retries that are due (`onewindow cases deliver`, and
    the clock job, `onewindow cases tick`), oldest due first; `stop()` true ends the run before
    the next message.

    Each is claimed first, so several runs at once share them out. One that fails waits twice
    as long as before its next try; after `ONEWINDOW_NOTIFY_MAX_ATTEMPTS` attempts in all, when
    its backend is no longer configured or when its user's account was closed meanwhile, it is
    given up and logged as an error."""
    summary = DeliverySummary()
    try:
        due = list(NotificationDelivery.objects.filter(
            state=State.PENDING, next_attempt_at__lte=timezone.now(),
        ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        backends = configured_backends() if due else {}
    except Exception:
        logger.exception("message deliveries could not start: none this run")
        summary.errors.append("start")
        return summary
    for pk in due:
        if stop is not None and stop():
            break
        try:
            state = send_delivery(pk, backends)
        except Exception:
            logger.exception("message delivery %s could not be handled", pk)
            summary.errors.append(str(pk))
            continue
        if state == State.SENT:
            summary.sent += 1
        elif state == State.FAILED:
            summary.given_up += 1
        elif state == State.PENDING:
            summary.retrying += 1
    return summary


def send_delivery(pk: int, backends: dict) -> str | None:
    """Send one due delivery through its backend; its new state, or None when another run
    claimed it first (or took it over, this send having outlasted the claim)."""
    waiting = NotificationDelivery.objects.filter(pk=pk, state=State.PENDING)
    claimed_until = claim(waiting, timezone.now())
    if claimed_until is None:
        return None
    delivery = NotificationDelivery.objects.select_related("notification__user").get(pk=pk)
    backend = backends.get(delivery.backend)
    if not delivery.notification.user.is_active:
        # Nobody is told once their account is closed.
        delivery.last_error, delivery.state = "user no longer active", State.FAILED
    elif backend is None and delivery.attempts:
        # A channel taken out since this message was first tried: not told through it.
        delivery.last_error, delivery.state = "backend no longer configured", State.FAILED
    else:
        # A message not tried yet whose backend this process lacks (a worker not restarted
        # since the backend was added) counts as an attempt that failed.
        delivery.attempts += 1
        try:
            if backend is None:
                raise LookupError(f"backend not configured here: {delivery.backend}")
            backend.send(delivery.notification)
        except Exception as error:
            delivery.last_error = _error_text(error)
            if delivery.attempts >= settings.ONEWINDOW_NOTIFY_MAX_ATTEMPTS:
                delivery.state = State.FAILED
            else:
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        else:
            delivery.state, delivery.sent_at = State.SENT, timezone.now()
    if not waiting.filter(next_attempt_at=claimed_until).update(
            attempts=delivery.attempts, state=delivery.state,
            next_attempt_at=delivery.next_attempt_at, last_error=delivery.last_error,
            sent_at=delivery.sent_at):
        logger.warning("message delivery %s outlasted its claim; another run took it over",
                       pk)
        return None
    if delivery.state == State.FAILED:
        logger.error("notification %s given up by %s after %s attempts: %s",
                     delivery.notification_id, delivery.backend, delivery.attempts,
                     delivery.last_error)
    return delivery.state


def prune_sent_deliveries(*, older_than: dt.timedelta = SENT_KEEP) -> int:
    """Delete the rows of messages sent longer ago than `older_than` (the clock job): queued
    messages leave one row each, and the in-app notification stays as the record. A row sent
    was due at most a claim's lease after it went out: that bound lets the (state,
    next_attempt_at) index find them."""
    cutoff = timezone.now() - older_than
    deleted, _by_model = NotificationDelivery.objects.filter(
        state=State.SENT, next_attempt_at__lt=cutoff + LEASE, sent_at__lt=cutoff).delete()
    return deleted


def notify_users(users, *, verb: str, title: str, body: str = "", link: str = "") -> None:
    """In-app notifications for any module (requests, bookings, ratings…), created after the
    current transaction commits and passed to the external backends like a case's.

    `users` is an iterable of users (inactive ones and repeats are skipped); `link` is the
    page the message points to."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    if not recipients:
        return

    def create() -> None:
        with transaction.atomic():
            _send_after_commit(Notification.objects.bulk_create(
                Notification(user=user, verb=verb[:40], title=title[:200], body=body, link=link)
                for user in recipients.values()))

    transaction.on_commit(create, robust=True)


# --- audiences ----------------------------------------------------------------------------------
def _staff() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def applicant_side(case: Case) -> list:
    return [case.applicant] if case.filed_by_id == case.applicant_id else \
        [case.applicant, case.filed_by]


def reviewers(case: Case) -> list:
    return _REVIEWERS.all(case.department_id) if case.department_id is not None else []


# Told of every acceptance: compiled once.
_REVIEWERS = Prepared(lambda department_id: _staff().filter(
    role__in=(Role.REVIEWER, Role.APPROVER), department_id=department_id).order_by("pk"))


def holder(case: Case) -> list:
    """Whoever holds the case: the department once accepted, else the clerk who claimed it."""
    if case.accepted_on is not None:
        return reviewers(case)
    return [case.claimed_by] if case.claimed_by_id else []


def handlers(case: Case) -> list:
    """The holder; an unclaimed case before acceptance is every window clerk's to pick up."""
    return holder(case) or list(_staff().filter(role=Role.WINDOW_CLERK))


def supervisors(case: Case) -> list:
    return list(_staff().filter(Q(department__isnull=True) | Q(department_id=case.department_id),
                                role=Role.SUPERVISOR))


AUDIENCES = {"reviewers": reviewers, "holder": holder, "handlers": handlers,
             "supervisors": supervisors}


# --- the inbox ----------------------------------------------------------------------------------
def inbox(user) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each."""
    return (Notification.objects.filter(user=user).select_related("case")
            .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id"))


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications read, or all of them when no id is given.
    Returns how many changed; someone else's notification is simply not found (0)."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# --- tolerance (容缺受理) and commitment (告知承诺) ---------------------------------------------
APPLICANT_MESSAGES.update({
    "accept_with_tolerance": _("您的申请已容缺受理。请查看容缺受理告知书，按告知的形式在期限内补交"
                               "所缺材料。"),
    "tolerance_material_received": _("您补交的容缺材料已收到。"),
    "tolerance_lapsed": _("您未在期限内补交容缺材料，依照您的承诺，本申请已终止办理。"),
    "tolerance_lapsed_revoke": _("您未在期限内补交容缺材料，依照您的承诺，已作出的行政许可决定"
                                 "已撤销。"),
    "tolerance_lapsed_deny": _("您未在期限内补交容缺材料，依照您的承诺，本申请已作出不予许可决定，"
                               "请查看决定书。"),
    "verification_passed": _("经核查，您的告知承诺内容属实，核查已完成。"),
    "verification_failed": _("经核查，您的告知承诺内容不属实，已作出的行政许可决定已依法撤销。"),
})
STAFF_MESSAGES.update({
    "accept_with_tolerance": [("reviewers", _("新容缺受理的办件，请及时审查；容缺材料补齐前不能"
                                              "作出决定。"))],
    "tolerance_material_received": [("reviewers", _("申请人已补交容缺材料，请查看。"))],
    "tolerance_lapsed": [("reviewers", _("申请人逾期未补交容缺材料，办件已终止办理。"))],
    "tolerance_lapsed_deny": [("reviewers", _("申请人逾期未补交容缺材料，已依事项规定作出不予许可"
                                              "决定。"))],
    "tolerance_lapsed_revoke": [("reviewers", _("申请人逾期未补交容缺材料，许可决定已撤销。")),
                                ("supervisors", _("容缺材料逾期未补交，许可决定已撤销。"))],
    "verification_task_created": [("reviewers", _("以告知承诺方式准予许可的办件，请在核查期限内"
                                                  "核查承诺内容。"))],
    "verification_overdue": [("supervisors", _("告知承诺核查已超期，请督办。")),
                             ("reviewers", _("告知承诺核查已超期并已提请督办，请尽快核查。"))],
    "verification_failed": [("supervisors", _("告知承诺核查不实，许可决定已撤销。"))],
})

# 一件事: the applicant hears of the bundle as one thing; each part's own "submitted" is muted.
MUTED_FOR_PARTS = frozenset({"submit"})
APPLICANT_MESSAGES.update({
    "bundle_submit": _("您的“一件事”申请已一表提交，各部门将并联办理。"),
    "bundle_complete": _("您的“一件事”已全部办结。"),
    "bundle_deliver": _("您的“一件事”各项结果已送达。"),
    "bundle_terminate": _("您的“一件事”已终止办理，请查看各事项的原因。"),
    "terminate": _("您的申请已终止办理。"),
    "instant_decide": _("您的申请已秒批办结，请下载证照。"),
})
