"""Decision tables, their versions, and the record of each case a table decided (or not).

A published version never changes (the database refuses an UPDATE of a published row, see
migration 0002): its inputs, hit policy and rows are all part of the version, so that the
version a case records means forever what it meant when it decided the case.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.models import ServiceItem
from onewindow.decisions.enums import HitPolicy, Outcome, VersionStatus

USER = settings.AUTH_USER_MODEL


class DecisionTable(models.Model):
    """The decision table of one service item (秒批秒办). Its content lives in versions."""

    name = models.CharField(_("名称"), max_length=100)
    item = models.OneToOneField(ServiceItem, on_delete=models.PROTECT,
                                related_name="decision_table", verbose_name=_("事项"))
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决策表")
        verbose_name_plural = _("决策表")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DecisionTableVersion(models.Model):
    table = models.ForeignKey(DecisionTable, on_delete=models.PROTECT, related_name="versions",
                              verbose_name=_("决策表"))
    number = models.PositiveIntegerField(_("版本号"))
    hit_policy = models.CharField(_("命中策略"), max_length=8, choices=HitPolicy.choices,
                                  default=HitPolicy.UNIQUE)
    inputs = models.JSONField(_("输入字段"), default=list, blank=True)
    rows = models.JSONField(_("规则行"), default=list, blank=True)
    note = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("发布人"))

    class Meta:
        verbose_name = _("决策表版本")
        verbose_name_plural = _("决策表版本")
        ordering = ["table", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["table", "number"], name="decision_version_unique"),
        ]
        indexes = [models.Index(fields=["table", "published_at"])]

    def __str__(self):
        return _("%(table)s 第 %(number)s 版") % {"table": self.table.name, "number": self.number}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status(self) -> str:
        return VersionStatus.PUBLISHED if self.is_published else VersionStatus.DRAFT

    def get_status_display(self) -> str:
        return VersionStatus(self.status).label


class DecisionRecord(models.Model):
    """What a decision table said about one submission of a case: the version and row that
    decided it, or why it was referred to the normal flow. Append-only."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="decision_records", verbose_name=_("办件"))
    version = models.ForeignKey(DecisionTableVersion, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="records", verbose_name=_("决策表版本"))
    row_number = models.PositiveSmallIntegerField(_("命中行"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=Outcome.choices)
    reason = models.TextField(_("理由"))
    inputs = models.JSONField(_("判断依据（输入快照）"), default=dict, blank=True,
                              help_text=_("按数据来源记录的取值，如 enterprise.credit_status"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("决策记录")
        verbose_name_plural = _("决策记录")
        ordering = ["case", "-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.case} {self.get_outcome_display()}"
