"""Handling a request: dispatch, accept, answer, send back, nudge, extend, reopen, close.

Every function is one call of `core.transition` (one row lock, one audit event). A department
acts through its assignment in the current dispatch round; a lead's accept, answer and send
back move the request, a helper's only its own assignment.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.complaints import clocks, conf, notify
from onewindow.complaints.enums import (
    ASSIGNMENT_ACTIVE,
    AssignmentRole,
    AssignmentState,
    ExtensionState,
    LimitUnit,
)
from onewindow.complaints.enums import RequestState as S
from onewindow.complaints.errors import IllegalTransition, RequestInputError
from onewindow.complaints.models import Assignment, Extension, ProgressNote, ServiceRequest
from onewindow.complaints.services import ratings
from onewindow.complaints.services.core import transition

A = AssignmentState


def _note(request, actor, action, text="", *, department=None, public=True) -> None:
    ProgressNote.objects.create(request=request, at=clocks.now(), actor=actor, action=action,
                                department=department, text=text, public=public)


def _required(text: str, message: str) -> str:
    if not (text or "").strip():
        raise RequestInputError(message)
    return text.strip()


def _my_assignment(request: ServiceRequest, actor) -> Assignment | None:
    """The actor's department's active assignment in the current round."""
    return request.assignments.filter(cycle=request.cycle, department_id=actor.department_id,
                                      state__in=ASSIGNMENT_ACTIVE).first()


def _assignment_or_refuse(request, actor, action) -> Assignment:
    assignment = _my_assignment(request, actor)
    if assignment is None:
        raise IllegalTransition(request, action)
    return assignment


def _responded(request) -> None:
    if request.responded_at is None:
        request.responded_at = clocks.now()


# --- dispatcher ---------------------------------------------------------------------------------
def request_dispatch(*, actor, request_id: int, lead, helpers=(), note: str = "") -> ServiceRequest:
    """Route the request to a lead department and any helping departments."""
    helpers = [d for d in dict.fromkeys(helpers) if d.pk != lead.pk]

    def apply(request):
        _start_round(request, actor, lead, helpers)
        names = "、".join(d.name for d in helpers)
        _note(request, actor, "dispatch", _("已派至%(lead)s主办") % {"lead": lead.name}
              + (_("，%(helpers)s协办") % {"helpers": names} if names else ""))
        if note:
            _note(request, actor, "dispatch", note, public=False)
        notify.tell(notify.department_staff([lead.pk, *(d.pk for d in helpers)]), request,
                    verb="request_dispatched", title=_("新派诉求，请签收办理"), body=request.title)
        return {"lead": lead.code, "helpers": [d.code for d in helpers]}

    return transition(request_id=request_id, action="dispatch", actor=actor,
                      perm="complaints.dispatch", move="dispatch", apply=apply, note=note)


def _start_round(request, actor, lead, helpers) -> None:
    request.assignments.filter(state__in=ASSIGNMENT_ACTIVE).update(state=A.SUPERSEDED)
    request.cycle += 1
    request.lead_department = lead
    now = clocks.now()
    Assignment.objects.bulk_create(
        Assignment(request=request, department=d, role=role, cycle=request.cycle,
                   dispatched_at=now, dispatched_by=actor)
        for d, role in [(lead, AssignmentRole.LEAD),
                        *((h, AssignmentRole.HELPER) for h in helpers)])


def request_dismiss(*, actor, request_id: int, reason: str) -> ServiceRequest:
    """Not a matter for the zone, or a duplicate: closed with the reason told."""
    reason = _required(reason, _("请填写不予受理的理由。"))

    def apply(request):
        _note(request, actor, "dismiss", reason)
        notify.tell(notify.requester(request), request, verb="request_dismissed",
                    title=_("诉求不予受理"), body=reason)

    return transition(request_id=request_id, action="dismiss", actor=actor,
                      perm="complaints.dispatch", move="dismiss", apply=apply, note=reason)


def request_nudge(*, actor, request_id: int, text: str) -> ServiceRequest:
    """催办: recorded, and the lead department is told."""
    text = _required(text, _("请填写催办内容。"))

    def apply(request):
        if request.state not in (S.DISPATCHED, S.ACCEPTED):
            raise IllegalTransition(request, "nudge")
        _note(request, actor, "nudge", text, department=request.lead_department, public=False)
        notify.tell(notify.department_staff([request.lead_department_id]), request,
                    verb="request_nudged", title=_("诉求催办"), body=text)

    return transition(request_id=request_id, action="nudge", actor=actor,
                      perm="complaints.dispatch", apply=apply, note=text)


# --- departments --------------------------------------------------------------------------------
def request_accept(*, actor, request_id: int) -> ServiceRequest:
    """签收. The lead's accept moves the request; a helper's marks its own part."""

    def move(request):
        assignment = _assignment_or_refuse(request, actor, "accept")
        if assignment.state != A.PENDING:
            raise IllegalTransition(request, "accept")
        return "accept" if assignment.role == AssignmentRole.LEAD else None

    def apply(request):
        assignment = _my_assignment(request, actor)
        assignment.state, assignment.accepted_at = A.ACCEPTED, clocks.now()
        assignment.save(update_fields=["state", "accepted_at"])
        _responded(request)
        _note(request, actor, "accept", _("%(dept)s已签收") % {"dept": assignment.department.name},
              department=assignment.department)
        return {"department": assignment.department.code, "role": assignment.role}

    return transition(request_id=request_id, action="accept", actor=actor,
                      perm="complaints.handle", move=move, apply=apply)


def request_answer(*, actor, request_id: int, text: str) -> ServiceRequest:
    """The lead's answer ends the office's part and invites a rating; a helper's is its
    opinion for the lead."""
    text = _required(text, _("请填写答复内容。"))

    def move(request):
        assignment = _assignment_or_refuse(request, actor, "answer")
        return "answer_request" if assignment.role == AssignmentRole.LEAD else None

    def apply(request):
        assignment = _my_assignment(request, actor)
        now = clocks.now()
        assignment.state, assignment.answered_at, assignment.opinion = A.ANSWERED, now, text
        assignment.accepted_at = assignment.accepted_at or now
        assignment.save(update_fields=["state", "answered_at", "opinion", "accepted_at"])
        _responded(request)
        if assignment.role == AssignmentRole.HELPER:
            _note(request, actor, "helper_opinion", text, department=assignment.department,
                  public=False)
            return {"department": assignment.department.code, "role": assignment.role}
        request.answer, request.answered_at, request.answered_by = text, now, actor
        # The lead's answer ends the round: helpers that had not contributed are done too.
        request.assignments.filter(state__in=ASSIGNMENT_ACTIVE).update(state=A.SUPERSEDED)
        _note(request, actor, "answer", text, department=assignment.department)
        notify.tell(notify.requester(request), request, verb="request_answered",
                    title=_("您的诉求已答复"), body=text)
        ratings.invite(request)
        return {"department": assignment.department.code, "role": assignment.role}

    return transition(request_id=request_id, action="answer", actor=actor,
                      perm="complaints.handle", move=move, apply=apply)


def request_send_back(*, actor, request_id: int, reason: str) -> ServiceRequest:
    """Not this department's matter: the lead sends the request back for re-dispatch; a
    helper withdraws from its part. Either way the dispatchers are told why."""
    reason = _required(reason, _("请填写退回理由。"))

    def move(request):
        assignment = _assignment_or_refuse(request, actor, "send_back")
        return "send_back" if assignment.role == AssignmentRole.LEAD else None

    def apply(request):
        assignment = _my_assignment(request, actor)
        lead = assignment.role == AssignmentRole.LEAD
        if lead:
            request.assignments.filter(state__in=ASSIGNMENT_ACTIVE).exclude(
                pk=assignment.pk).update(state=A.SUPERSEDED)
        assignment.state, assignment.return_reason = A.RETURNED, reason
        assignment.save(update_fields=["state", "return_reason"])
        _note(request, actor, "send_back" if lead else "helper_return", reason,
              department=assignment.department, public=False)
        if lead:
            _note(request, None, "send_back", _("承办部门退回，正在重新派单"))
        notify.tell(notify.dispatchers(), request, verb="request_sent_back",
                    title=_("%(dept)s退回诉求") % {"dept": assignment.department.name},
                    body=reason)
        return {"department": assignment.department.code, "role": assignment.role}

    return transition(request_id=request_id, action="send_back", actor=actor,
                      perm="complaints.handle", move=move, apply=apply, note=reason)


def extension_request(*, actor, request_id: int, amount: int, unit: str,
                      reason: str) -> ServiceRequest:
    reason = _required(reason, _("请填写延期理由。"))
    if amount is None or amount < 1 or unit not in LimitUnit.values:
        raise RequestInputError(_("请填写延长的时长（大于零）和单位。"))

    def apply(request):
        if request.state not in (S.DISPATCHED, S.ACCEPTED):
            raise IllegalTransition(request, "extension_request")
        if request.extensions.filter(state=ExtensionState.PENDING).exists():
            raise RequestInputError(_("已有一项延期申请待审批。"))
        Extension.objects.create(request=request, department=request.lead_department,
                                 requested_by=actor, requested_at=clocks.now(), amount=amount,
                                 unit=unit, reason=reason)
        _note(request, actor, "extension_request", reason, department=request.lead_department,
              public=False)
        notify.tell(notify.dispatchers(), request, verb="request_extension",
                    title=_("延期申请待审批"), body=reason)
        return {"amount": amount, "unit": unit}

    return transition(request_id=request_id, action="extension_request", actor=actor,
                      perm="complaints.lead", apply=apply, note=reason)


def extension_decide(*, actor, request_id: int, approve: bool, note: str = "") -> ServiceRequest:
    def apply(request):
        extension = request.extensions.filter(state=ExtensionState.PENDING).first()
        if extension is None:
            raise RequestInputError(_("没有待审批的延期申请。"))
        extension.decided_by, extension.decided_at = actor, clocks.now()
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        if approve:
            extension.old_due = request.closing_due
            request.closing_due = clocks.due_after(request.closing_due, extension.amount,
                                                   extension.unit)
            extension.new_due = request.closing_due
            if request.closing_overdue_at and request.closing_due > clocks.now():
                request.closing_overdue_at = None  # late again later: escalated again
        extension.save()
        text = (_("延期已批准，新的办结期限为 %(due)s") % {"due": _local(request.closing_due)}
                if approve else _("延期申请未批准"))
        _note(request, actor, "extension_decide", text + (f"：{note}" if note else ""))
        notify.tell(notify.department_staff([extension.department_id]), request,
                    verb="request_extension_decided", title=text)
        return {"approved": approve, "closing_due": request.closing_due}

    return transition(request_id=request_id, action="extension_decide", actor=actor,
                      perm="complaints.dispatch", apply=apply, note=note)


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# --- the requester ------------------------------------------------------------------------------
def request_withdraw(*, actor, request_id: int, reason: str = "") -> ServiceRequest:
    def apply(request):
        request.assignments.filter(state__in=ASSIGNMENT_ACTIVE).update(state=A.SUPERSEDED)
        request.closed_at = clocks.now()
        _note(request, actor, "withdraw", reason or _("诉求人已撤回"))

    return transition(request_id=request_id, action="withdraw", actor=actor,
                      perm="complaints.withdraw", move="withdraw", apply=apply, note=reason)


def request_reopen(*, actor, request_id: int, reason: str) -> ServiceRequest:
    """An unsatisfied requester (a bad rating of the answer) reopens once, within the reopen
    period: the same departments handle it again with fresh clocks."""
    reason = _required(reason, _("请说明不满意的原因。"))

    def move(request):
        _check_reopen(request, actor)
        return "reopen"

    def apply(request):
        previous = list(request.assignments.filter(cycle=request.cycle)
                        .exclude(state=A.RETURNED).select_related("department"))
        lead = next((a.department for a in previous if a.role == AssignmentRole.LEAD),
                    request.lead_department)
        helpers = [a.department for a in previous if a.role == AssignmentRole.HELPER]
        _start_round(request, actor, lead, helpers)
        _restart_clocks(request)
        request.reopen_count += 1
        _note(request, actor, "reopen", reason)
        notify.tell(notify.department_staff([lead.pk, *(d.pk for d in helpers)]), request,
                    verb="request_reopened", title=_("诉求人不满意，诉求重新办理"), body=reason)
        return {"reopen_count": request.reopen_count}

    return transition(request_id=request_id, action="reopen", actor=actor,
                      perm="complaints.requester", move=move, apply=apply, note=reason)


def _check_reopen(request, actor) -> None:
    if request.state not in (S.ANSWERED, S.CLOSED):
        raise IllegalTransition(request, "reopen")
    if request.reopen_count >= conf.max_reopens():
        raise RequestInputError(_("该诉求已重新办理过，不能再次申请。"))
    if request.answered_at is None or clocks.now() > clocks.due_after(
            request.answered_at, conf.reopen_days(), LimitUnit.WORKING_DAYS):
        raise RequestInputError(_("已超过可申请重新办理的期限（答复后 %(n)s 个工作日）。")
                                % {"n": conf.reopen_days()})
    if not ratings.is_bad(request, actor):
        raise RequestInputError(_("请先对答复作出评价；评价为“不满意”或“非常不满意”时"
                                  "可申请重新办理。"))


def _restart_clocks(request) -> None:
    now, category = clocks.now(), request.category
    request.clock_start = now
    request.response_due = clocks.due_after(now, category.response_limit, category.response_unit)
    request.closing_due = clocks.due_after(now, category.closing_limit, category.closing_unit)
    request.responded_at = request.answered_at = request.closed_at = None
    request.response_overdue_at = request.closing_overdue_at = None


def request_close(*, actor, request_id: int) -> ServiceRequest:
    """办结: the requester confirms, or the tick closes after the reopen period."""

    def apply(request):
        request.closed_at = clocks.now()
        _note(request, actor, "close", _("诉求已办结"))

    return transition(request_id=request_id, action="close", actor=actor,
                      perm=None if actor is None else "complaints.requester", move="close",
                      apply=apply)


# --- the clock job ------------------------------------------------------------------------------
@transaction.atomic
def request_escalate(*, request_id: int, clock: str) -> ServiceRequest | None:
    """Mark a late clock ("response" or "closing") and tell the supervisors, once. Returns
    None when, under the lock, there was nothing to do (already marked, or done)."""
    request = ServiceRequest.objects.select_for_update().get(pk=request_id)
    if not _is_late(request, clock):
        return None

    def apply(request):
        setattr(request, f"{clock}_overdue_at", clocks.now())
        due = getattr(request, f"{clock}_due")
        label = _("响应") if clock == "response" else _("办结")
        text = _("%(clock)s期限 %(due)s 已过，已提请督办") % {"clock": label, "due": _local(due)}
        _note(request, None, f"escalate_{clock}", text, public=False)
        audience = list(notify.dispatchers())
        if request.lead_department_id:
            audience += list(notify.department_staff([request.lead_department_id]))
        notify.tell(audience, request, verb="request_overdue", title=text)
        return {"due": due}

    return transition(request_id=request_id, action=f"escalate_{clock}", actor=None, perm=None,
                      apply=apply)


def _is_late(request, clock) -> bool:
    now = clocks.now()
    if clock == "response":
        return request.response_overdue_at is None and request.responded_at is None and \
            request.state in (S.SUBMITTED, S.DISPATCHED, S.RETURNED) and \
            request.response_due < now
    return request.closing_overdue_at is None and request.answered_at is None and \
        request.state in (S.SUBMITTED, S.DISPATCHED, S.ACCEPTED, S.RETURNED) and \
        request.closing_due < now

