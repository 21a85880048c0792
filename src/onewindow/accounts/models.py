"""Users with roles, and the organisations they belong to."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.enums import (
    RIC_FULL_VIEW_ROLES,
    STAFF_ROLES,
    AuthorisationScope,
    CreditStatus,
    HallLevel,
    Role,
    VisitKind,
    WindowKind,
)
from onewindow.accounts.validators import mask_ric, validate_ric, validate_uscc


class Department(models.Model):
    code = models.SlugField(_("部门代码"), max_length=40, unique=True)
    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    description = models.TextField(_("职责简介"), blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ServiceHall(models.Model):
    code = models.SlugField(_("大厅代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=HallLevel.choices)
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    opening_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    offers_after_hours = models.BooleanField(_("提供延时服务"), default=False)

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name


class Window(models.Model):
    hall = models.ForeignKey(ServiceHall, on_delete=models.PROTECT, related_name="windows",
                             verbose_name=_("大厅"))
    number = models.CharField(_("窗口号"), max_length=16)
    name = models.CharField(_("窗口名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=WindowKind.choices,
                            default=WindowKind.GENERAL)
    departments = models.ManyToManyField(Department, blank=True, related_name="windows",
                                         verbose_name=_("进驻部门"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_in_hall")
        ]

    def __str__(self):
        return f"{self.hall.name} {self.number}号窗口 {self.name}"


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                            validators=[validate_uscc])
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    industry = models.CharField(_("所属行业"), max_length=100, blank=True)
    credit_status = models.CharField(_("信用状态"), max_length=16, choices=CreditStatus.choices,
                                     default=CreditStatus.NORMAL)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_blacklisted(self) -> bool:
        return self.credit_status == CreditStatus.BLACKLIST


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.APPLICANT)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    ric = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[validate_ric])
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="staff", verbose_name=_("所属部门"))
    window = models.ForeignKey(Window, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="clerks", verbose_name=_("所在窗口"))
    enterprises = models.ManyToManyField(Enterprise, through="EnterpriseMembership", blank=True,
                                         related_name="members", verbose_name=_("所属企业"))
    # A person applying in their own name (自然人) has a credit status of their own; one who
    # applies for an enterprise is judged by the enterprise's.
    credit_status = models.CharField(_("个人信用状态"), max_length=16, choices=CreditStatus.choices,
                                     default=CreditStatus.NORMAL,
                                     help_text=_("以个人名义申请时适用，如被列入失信被执行人名单"))

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(fields=["ric"], condition=~models.Q(ric=""),
                                    name="user_ric_unique")
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        # Chinese names are written family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def is_blacklisted(self) -> bool:
        return self.credit_status == CreditStatus.BLACKLIST

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def ric_masked(self) -> str:
        return mask_ric(self.ric)

    def can_see_full_ric(self) -> bool:
        return self.is_superuser or self.role in RIC_FULL_VIEW_ROLES


class EnterpriseMembership(models.Model):
    class Capacity(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_rep", _("法定代表人")
        HANDLER = "handler", _("经办人")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE,
                                   related_name="memberships")
    capacity = models.CharField(_("身份"), max_length=16, choices=Capacity.choices,
                                default=Capacity.HANDLER)

    class Meta:
        verbose_name = _("企业成员")
        verbose_name_plural = _("企业成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} @ {self.enterprise}"


class ApiToken(models.Model):
    """A bearer token for another system. Only the SHA-256 of the key is stored."""

    name = models.CharField(_("名称"), max_length=100)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens",
                              verbose_name=_("所属用户"))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class AgentAssignment(models.Model):
    """A help agent assigned to an enterprise, or to one of its projects (一企一策)."""

    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="agent_assignments",
                              verbose_name=_("代办员"), limit_choices_to={"role": Role.HELP_AGENT})
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="agent_assignments", verbose_name=_("企业"))
    project_name = models.CharField(_("项目"), max_length=200, blank=True,
                                    help_text=_("为某个重大项目指派时填写；为整个企业服务时留空"))
    plan = models.TextField(_("服务方案（一企一策）"), blank=True)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("帮办指派")
        verbose_name_plural = _("帮办指派")
        ordering = ["enterprise__name", "project_name"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "enterprise", "project_name"],
                                    condition=models.Q(ended_at__isnull=True),
                                    name="agent_assignment_open_unique"),
        ]

    def __str__(self):
        target = f"{self.enterprise} · {self.project_name}" if self.project_name \
            else str(self.enterprise)
        return f"{self.agent} → {target}"


class AgentAuthorisation(models.Model):
    """An enterprise's authorisation (授权委托) for a help agent to file and follow its cases.

    It holds for its scope from `valid_from` to `expires_on` inclusive, unless revoked."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="agent_authorisations", verbose_name=_("企业"))
    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="authorisations",
                              verbose_name=_("代办员"), limit_choices_to={"role": Role.HELP_AGENT})
    scope = models.CharField(_("授权范围"), max_length=16, choices=AuthorisationScope.choices,
                             default=AuthorisationScope.ALL)
    departments = models.ManyToManyField(Department, blank=True, related_name="+",
                                         verbose_name=_("授权部门"))
    items = models.ManyToManyField("catalog.ServiceItem", blank=True, related_name="+",
                                   verbose_name=_("授权事项"))
    valid_from = models.DateField(_("生效日期"))
    expires_on = models.DateField(_("截止日期"))
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("授权人"))
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, verbose_name=_("撤销人"))
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("代办授权")
        verbose_name_plural = _("代办授权")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["agent", "expires_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__gte=models.F("valid_from")),
                                   name="authorisation_dates_ordered"),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.agent}（{self.get_scope_display()}）"


class AgentVisit(models.Model):
    """One entry of a help agent's visit log: a visit, a call, a meeting in the hall."""

    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="agent_visits",
                              verbose_name=_("代办员"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="agent_visits", verbose_name=_("企业"))
    kind = models.CharField(_("方式"), max_length=16, choices=VisitKind.choices,
                            default=VisitKind.VISIT)
    visited_on = models.DateField(_("日期"))
    subject = models.CharField(_("事由"), max_length=200)
    notes = models.TextField(_("情况记录"), blank=True)
    follow_up = models.CharField(_("后续跟进"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-recorded_at"]

    def __str__(self):
        return f"{self.visited_on} {self.enterprise} {self.subject}"
