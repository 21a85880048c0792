"""Requests (诉求): categories with their limits, the request and its state machine, the
departments it is dispatched to, extensions, progress notes, and outbound webhooks.

The `@transition` methods only move the state; everything else a transition does (lock,
checks, clocks, audit, notifications, webhooks) is in `onewindow.complaints.services`, the
only code that calls them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from onewindow.accounts.models import Department, Window
from onewindow.catalog.models import ServiceItem
from onewindow.complaints.enums import (
    AssignmentRole,
    AssignmentState,
    Channel,
    DeliveryState,
    ExtensionState,
    Kind,
    LimitUnit,
)
from onewindow.complaints.enums import RequestState as S

USER = settings.AUTH_USER_MODEL


class Category(models.Model):
    """What a request is about and how fast it must be handled. Also an Open311 service."""

    code = models.SlugField(_("类别代码"), max_length=40, unique=True,
                            help_text=_("也是 Open311 的 service_code"))
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    group = models.CharField(_("分组"), max_length=60, blank=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True,
                                help_text=_("以英文逗号分隔"))
    default_kind = models.CharField(_("默认诉求类型"), max_length=16, choices=Kind.choices,
                                    default=Kind.COMPLAINT)
    response_limit = models.PositiveIntegerField(_("响应时限"))
    response_unit = models.CharField(_("响应时限单位"), max_length=16, choices=LimitUnit.choices)
    closing_limit = models.PositiveIntegerField(_("办结时限"))
    closing_unit = models.CharField(_("办结时限单位"), max_length=16, choices=LimitUnit.choices)
    default_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+",
                                           verbose_name=_("默认主办部门"))
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")

    def __str__(self):
        return self.name

    def clean(self):
        if self.response_limit == 0 or self.closing_limit == 0:
            raise ValidationError(_("时限必须大于零。"))

    @property
    def response_text(self) -> str:
        return f"{self.response_limit} {LimitUnit(self.response_unit).label}"

    @property
    def closing_text(self) -> str:
        return f"{self.closing_limit} {LimitUnit(self.closing_unit).label}"


class ServiceRequest(models.Model):
    """One request (consultation, complaint, suggestion, help request or report)."""

    number = models.CharField(_("诉求编号"), max_length=20, unique=True, null=True, blank=True)
    query_code = models.CharField(_("查询码"), max_length=8)
    token = models.CharField(_("Open311 令牌"), max_length=32, unique=True)
    kind = models.CharField(_("诉求类型"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests",
                                 verbose_name=_("类别"))
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"), max_length=4000)
    # Who asked: an account, or a name and a phone number (anonymous or taken by phone).
    requester = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="service_requests", verbose_name=_("诉求人"))
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("录入人"))
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(_("图片链接"), blank=True)
    external_id = models.CharField(_("外部编号"), max_length=64, blank=True,
                                   help_text=_("Open311 客户端的 account_id / device_id"))
    # What it concerns. A rating is feedback's: kept as its id (see docs/complaints.md).
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="service_requests", verbose_name=_("相关办件"))
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="service_requests", verbose_name=_("相关事项"))
    window = models.ForeignKey(Window, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="service_requests", verbose_name=_("相关窗口"))
    rating_id = models.PositiveBigIntegerField(_("相关评价编号"), null=True, blank=True)

    state = FSMField(_("状态"), max_length=16, choices=S.choices, default=S.SUBMITTED,
                     db_index=True)
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="led_requests",
                                        verbose_name=_("主办部门"))
    filed_at = models.DateTimeField(_("提交时间"), db_index=True)
    # The clocks run from `clock_start` (filing, or the reopening).
    clock_start = models.DateTimeField(_("计时起点"))
    response_due = models.DateTimeField(_("响应期限"))
    closing_due = models.DateTimeField(_("办结期限"))
    responded_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("答复人"))
    response_overdue_at = models.DateTimeField(_("响应超期督办时间"), null=True, blank=True)
    closing_overdue_at = models.DateTimeField(_("办结超期督办时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    cycle = models.PositiveSmallIntegerField(_("派单轮次"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        indexes = [models.Index(fields=["state", "closing_due"]),
                   models.Index(fields=["lead_department", "state"]),
                   models.Index(fields=["updated_at"])]

    def __str__(self):
        return f"{self.number or '—'} {self.title}"

    @property
    def requester_name(self) -> str:
        if self.requester_id:
            return str(self.requester)
        return self.contact_name

    # --- the state machine: moves only ---------------------------------------------------------
    @transition(field=state, source=[S.SUBMITTED, S.RETURNED], target=S.DISPATCHED)
    def dispatch(self):
        pass

    @transition(field=state, source=S.DISPATCHED, target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=[S.DISPATCHED, S.ACCEPTED], target=S.ANSWERED)
    def answer_request(self):
        pass

    @transition(field=state, source=[S.DISPATCHED, S.ACCEPTED], target=S.RETURNED)
    def send_back(self):
        pass

    @transition(field=state, source=[S.ANSWERED, S.CLOSED], target=S.DISPATCHED)
    def reopen(self):
        pass

    @transition(field=state, source=S.ANSWERED, target=S.CLOSED)
    def close(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.DISPATCHED, S.RETURNED], target=S.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.RETURNED], target=S.DISMISSED)
    def dismiss(self):
        pass


class Assignment(models.Model):
    """A department's part in one dispatch round: the lead answers, helpers contribute."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE,
                                related_name="assignments")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("部门"))
    role = models.CharField(_("角色"), max_length=8, choices=AssignmentRole.choices)
    state = models.CharField(_("状态"), max_length=12, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING)
    cycle = models.PositiveSmallIntegerField(_("派单轮次"))
    dispatched_at = models.DateTimeField(_("派单时间"))
    dispatched_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    opinion = models.TextField(_("办理意见"), blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        ordering = ["cycle", "role", "pk"]
        verbose_name = _("派单")
        verbose_name_plural = _("派单")
        constraints = [
            models.UniqueConstraint(fields=["request", "cycle", "department"],
                                    name="complaints_one_assignment_per_dept_per_cycle"),
            models.UniqueConstraint(fields=["request", "cycle"],
                                    condition=models.Q(role=AssignmentRole.LEAD),
                                    name="complaints_one_lead_per_cycle"),
        ]

    def __str__(self):
        return f"{self.request} → {self.department} ({self.get_role_display()})"


class Extension(models.Model):
    """A department asks for more time to close; a supervisor approves or refuses."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE,
                                related_name="extensions")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    amount = models.PositiveIntegerField(_("延长时长"))
    unit = models.CharField(_("单位"), max_length=16, choices=LimitUnit.choices)
    reason = models.TextField(_("理由"))
    state = models.CharField(_("状态"), max_length=12, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    old_due = models.DateTimeField(_("原办结期限"), null=True, blank=True)
    new_due = models.DateTimeField(_("新办结期限"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [models.UniqueConstraint(
            fields=["request"], condition=models.Q(state=ExtensionState.PENDING),
            name="complaints_one_pending_extension")]

    def __str__(self):
        return f"{self.request} +{self.amount} {self.get_unit_display()}"


class ProgressNote(models.Model):
    """What happened to a request, as the requester (public) or staff (internal) reads it.
    Append-only, beside the audit trail: nudges, opinions, reasons, answers."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    action = models.CharField(_("动作"), max_length=24)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    text = models.TextField(_("内容"), blank=True)
    public = models.BooleanField(_("诉求人可见"), default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class WebhookSubscription(models.Model):
    """A linked platform (a city's 12345 hotline…) told of every status change."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("回调地址"))
    secret = models.CharField(_("签名密钥"), max_length=128)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回调订阅")
        verbose_name_plural = _("回调订阅")

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One status change for one subscription: created in the transaction of the change,
    sent after the commit, retried with backoff by the tick job. The delivery log."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.PROTECT,
                                     related_name="deliveries")
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT,
                                related_name="webhook_deliveries")
    event = models.CharField(_("事件"), max_length=24)
    payload = models.JSONField(_("内容"))
    state = models.CharField(_("状态"), max_length=12, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), db_index=True)
    created_at = models.DateTimeField(_("创建时间"))
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("回调记录")
        verbose_name_plural = _("回调记录")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subscription} {self.event} #{self.pk}"


__all__ = ["Assignment", "Category", "Channel", "Extension", "ProgressNote", "ServiceRequest",
           "WebhookDelivery", "WebhookSubscription"]
