from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five levels of 好差评 (GB/T 39734-2020); the two lowest are bad reviews (差评)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
# Counted as satisfied in the satisfaction rate (好评率): everything that is not a bad review.
GOOD_LEVELS = frozenset(set(Level) - BAD_LEVELS)


class Channel(models.TextChoices):
    WEB = "web", _("网上")
    API = "api", _("接口")
    WINDOW = "window", _("窗口评价器")
    PHONE = "phone", _("电话")
    SMS = "sms", _("短信")


class Kind(models.TextChoices):
    """What was rated. Each kind has a resolver in `onewindow.feedback.subjects`."""

    CASE = "case", _("办件")
    REQUEST = "request", _("诉求")
    VISIT = "visit", _("窗口服务")


class RectificationState(models.TextChoices):
    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("退回重新整改")
    ACCEPTED = "accepted", _("整改通过")
    APPEALED = "appealed", _("申诉处理中")
    CLOSED = "closed", _("已办结")


R = RectificationState
# The department holds the task: the deadline runs and overdue tasks escalate.
DEPARTMENT_STATES = frozenset({R.OPEN, R.RETURNED})
OPEN_RECTIFICATION_STATES = frozenset({R.OPEN, R.SUBMITTED, R.RETURNED, R.APPEALED})


class CallOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("回访满意")
    UNDERSTOOD = "understood", _("表示理解")
    DISSATISFIED = "dissatisfied", _("仍不满意")
    UNREACHED = "unreached", _("未接通")
