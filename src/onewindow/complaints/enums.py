"""The vocabulary of requests (诉求): kinds, channels, states and their groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")
    HELP = "help", _("求助")
    REPORT = "report", _("举报")


class Channel(models.TextChoices):
    WEB = "web", _("网上")
    API = "api", _("开放接口")
    PHONE = "phone", _("电话（工作人员代录）")
    OPEN311 = "open311", _("Open311")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("工作日")


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("待派单")
    DISPATCHED = "dispatched", _("已派单待签收")
    ACCEPTED = "accepted", _("办理中")
    RETURNED = "returned", _("退回待重新派单")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    DISMISSED = "dismissed", _("不予受理")


S = RequestState
# The office still owes a first response (accept or answer) while the request is in these.
AWAITING_RESPONSE_STATES = frozenset({S.SUBMITTED, S.DISPATCHED, S.RETURNED})
# The office still owes an answer.
OPEN_STATES = frozenset({S.SUBMITTED, S.DISPATCHED, S.ACCEPTED, S.RETURNED})
ANSWERED_STATES = frozenset({S.ANSWERED, S.CLOSED})
ENDED_STATES = frozenset({S.CLOSED, S.WITHDRAWN, S.DISMISSED})
# Open311 has two statuses.
OPEN311_CLOSED_STATES = frozenset({S.ANSWERED, S.CLOSED, S.WITHDRAWN, S.DISMISSED})


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    HELPER = "helper", _("协办")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    ANSWERED = "answered", _("已答复")
    RETURNED = "returned", _("已退回")
    SUPERSEDED = "superseded", _("已改派")


ASSIGNMENT_ACTIVE = frozenset({AssignmentState.PENDING, AssignmentState.ACCEPTED})


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("已放弃")
