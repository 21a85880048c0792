"""The rectification (整改) state machine and its one locking transition function.

    open ──report──▶ submitted ──accept──▶ accepted ──appeal (rater, once)──▶ appealed
      ▲                 │                     │                                 │
      └──── returned ◀──┴─return (reason)     └── (final unless appealed)        │
              ▲                                                                  │
              └──────────── appeal upheld (new deadline) ◀─── decide_appeal ─────┘
                                                    appeal dismissed ──▶ closed

A follow-up call (回访) is recorded while the department holds the task (open/returned) and at
least one is required before the report. Overdue tasks are escalated by `onewindow feedback tick`
(a flag and a message, not a state: the department still has to finish).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from onewindow.audit.services import audit_record
from onewindow.cases.notify import notify_users
from onewindow.feedback import conf
from onewindow.feedback.audiences import department_staff, supervisors
from onewindow.feedback.enums import DEPARTMENT_STATES, CallOutcome, RectificationState
from onewindow.feedback.errors import Forbidden, IllegalMove, RectificationError
from onewindow.feedback.models import FollowUpCall, Rectification
from onewindow.workdays.errors import CalendarNotCovered
from onewindow.workdays.selectors import add_working_days

R = RectificationState
TEXT_MAX = 4000

# action: (states it may start from, state it ends in or None for "unchanged", permission)
MOVES: dict[str, tuple[frozenset, str | None, str | None]] = {
    "record_call": (DEPARTMENT_STATES, None, "feedback.work_rectification"),
    "report": (DEPARTMENT_STATES, R.SUBMITTED, "feedback.work_rectification"),
    "accept": (frozenset({R.SUBMITTED}), R.ACCEPTED, "feedback.review_rectification"),
    "return": (frozenset({R.SUBMITTED}), R.RETURNED, "feedback.review_rectification"),
    "appeal": (frozenset({R.ACCEPTED}), R.APPEALED, "feedback.appeal_rectification"),
    "uphold_appeal": (frozenset({R.APPEALED}), R.RETURNED, "feedback.review_rectification"),
    "dismiss_appeal": (frozenset({R.APPEALED}), R.CLOSED, "feedback.review_rectification"),
    "escalate": (DEPARTMENT_STATES, None, None),
}
ACTION_LABELS = {
    "record_call": _lazy("记录回访"), "report": _lazy("提交整改报告"), "accept": _lazy("整改通过"),
    "return": _lazy("退回重新整改"), "appeal": _lazy("申诉"), "uphold_appeal": _lazy("申诉成立"),
    "dismiss_appeal": _lazy("申诉不成立"), "escalate": _lazy("超期督办"),
}


@transaction.atomic
def transition(*, task_id: int, action: str, actor, note: str = "",
               apply: Callable[[Rectification], dict | None] | None = None) -> Rectification:
    """Lock task `task_id`, check the actor and the state, apply, save and audit."""
    sources, target, perm = MOVES[action]
    task = Rectification.objects.select_for_update().select_related("rating").get(pk=task_id)
    if perm is not None and not actor.has_perm(perm, task):
        raise Forbidden(_("您无权对该整改任务执行此操作。"))
    if task.state not in sources:
        raise IllegalMove(_("整改任务当前状态为“%(state)s”，不能执行“%(action)s”。"
                            "可能已有其他人处理，请刷新后查看。") % {
            "state": task.get_state_display(), "action": ACTION_LABELS[action]})
    old = task.state
    details = apply(task) if apply else None
    if target is not None:
        task.state = target
    task.full_clean()
    task.save()
    audit_record(actor=actor, action=f"rectification.{action}", obj=task, old={"state": old},
                 new={"state": task.state, **(details or {})}, note=note)
    return task


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise RectificationError(message)
    if len(text) > TEXT_MAX:
        raise RectificationError(_("内容不能超过 %(n)d 字。") % {"n": TEXT_MAX})
    return text


def rectification_record_call(*, actor, task_id: int, called_at: dt.datetime, outcome: str,
                              note: str) -> FollowUpCall:
    """回访: the department called the rater; who, when, what came of it."""
    note = _required(note, _("请填写回访记录。"))
    if outcome not in CallOutcome.values:
        raise RectificationError(_("请选择回访结果。"))
    if called_at is None or called_at > timezone.now() + dt.timedelta(minutes=5):
        raise RectificationError(_("回访时间不能晚于现在。"))
    calls = []

    def apply(task):
        call = FollowUpCall(rectification=task, called_by=actor, called_at=called_at,
                            outcome=outcome, note=note)
        call.full_clean()
        call.save()
        calls.append(call)
        return {"call": call.pk, "outcome": outcome, "called_at": called_at}

    transition(task_id=task_id, action="record_call", actor=actor, note=note, apply=apply)
    return calls[0]


def rectification_submit_report(*, actor, task_id: int, report: str) -> Rectification:
    report = _required(report, _("请填写整改报告：问题原因、整改措施和结果。"))

    def apply(task):
        if not task.calls.exists():
            raise RectificationError(_("请先记录对评价人的回访，再提交整改报告。"))
        task.report, task.reported_by, task.reported_at = report, actor, timezone.now()
        return {"report": report}

    task = transition(task_id=task_id, action="report", actor=actor, apply=apply)
    notify_users(supervisors(), verb="rectification_report", title=_(
        "%(department)s 提交了差评整改报告，请审核。") % {"department": task.department},
        link=_link(task))
    return task


def rectification_accept(*, actor, task_id: int, note: str = "") -> Rectification:
    def apply(task):
        task.reviewed_by, task.reviewed_at = actor, timezone.now()

    task = transition(task_id=task_id, action="accept", actor=actor, note=note, apply=apply)
    notify_users([task.rating.rater], verb="rectification_accepted", title=_(
        "您的评价已由责任部门整改，请查看整改结果；如有异议可申诉一次。"), link=_link(task))
    return task


def rectification_return(*, actor, task_id: int, reason: str) -> Rectification:
    reason = _required(reason, _("退回请写明理由。"))

    def apply(task):
        task.return_reason, task.return_count = reason, task.return_count + 1
        task.reviewed_by, task.reviewed_at = actor, timezone.now()
        return {"reason": reason}

    task = transition(task_id=task_id, action="return", actor=actor, note=reason, apply=apply)
    notify_users(_department(task), verb="rectification_returned", title=_(
        "差评整改被退回：%(reason)s") % {"reason": reason[:150]}, link=_link(task))
    return task


def rectification_appeal(*, actor, task_id: int, reason: str) -> Rectification:
    """The rater contests the accepted outcome: once per task."""
    reason = _required(reason, _("申诉请写明理由。"))

    def apply(task):
        if task.appealed_at is not None:
            raise RectificationError(_("每条评价的整改结果只能申诉一次。"))
        task.appeal_reason, task.appealed_at = reason, timezone.now()
        return {"reason": reason}

    task = transition(task_id=task_id, action="appeal", actor=actor, note=reason, apply=apply)
    notify_users(supervisors(), verb="rectification_appeal",
                 title=_("评价人对差评整改结果提出申诉，请处理。"), link=_link(task))
    return task


def rectification_decide_appeal(*, actor, task_id: int, upheld: bool,
                                decision: str) -> Rectification:
    """Upheld: back to the department with a new deadline. Dismissed: closed."""
    decision = _required(decision, _("请填写申诉处理意见。"))

    def apply(task):
        task.appeal_upheld, task.appeal_decision = upheld, decision
        task.reviewed_by, task.reviewed_at = actor, timezone.now()
        if upheld:
            _restart_clock(task)
            task.return_reason = decision
        return {"upheld": upheld, "due_on": task.due_on}

    action = "uphold_appeal" if upheld else "dismiss_appeal"
    task = transition(task_id=task_id, action=action, actor=actor, note=decision, apply=apply)
    notify_users([task.rating.rater], verb="rectification_appeal_decided",
                 title=_("您的申诉已处理：%(result)s") % {
                     "result": _("申诉成立，责任部门将重新整改") if upheld else _("申诉不成立")},
                 body=decision, link=_link(task))
    if upheld:
        notify_users(_department(task), verb="rectification_reopened", title=_(
            "评价人申诉成立，请在 %(due)s 前重新整改。") % {"due": task.due_on}, link=_link(task))
    return task


def _restart_clock(task: Rectification) -> None:
    try:
        due = add_working_days(timezone.localdate(), conf.rectification_days())
    except CalendarNotCovered as exc:
        raise RectificationError(exc.message + _("，请联系管理员录入节假日安排。")) from exc
    task.due_on, task.due_provisional, task.escalated_at = due.date, due.provisional, None


def rectification_escalate(*, task_id: int) -> Rectification:
    """The tick's escalation of an overdue task (a system action: no actor)."""
    def apply(task):
        task.escalated_at = timezone.now()
        return {"due_on": task.due_on}

    task = transition(task_id=task_id, action="escalate", actor=None, apply=apply)
    notify_users(supervisors(), verb="rectification_overdue", title=_(
        "%(department)s 的差评整改已超过期限（%(due)s），请督办。") % {
        "department": task.department, "due": task.due_on}, link=_link(task))
    notify_users(_department(task), verb="rectification_overdue", title=_(
        "差评整改已超期（期限 %(due)s）并已提请督办，请尽快完成。") % {"due": task.due_on},
        link=_link(task))
    return task


def _link(task) -> str:
    return reverse("feedback:rectification", kwargs={"pk": task.pk})


def _department(task):
    return department_staff(task.department_id)
