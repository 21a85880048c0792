"""What happens to a case on its way: corrections, help offers, review steps, pauses, notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department
from onewindow.cases.enums import PauseKind, ReviewOutcome, ReviewStepKind, SpecialProcedure
from onewindow.catalog.models import MaterialRequirement

USER = settings.AUTH_USER_MODEL


class CorrectionRequest(models.Model):
    """One correction notice (一次性告知): every fix the applicant must make, told at once."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="corrections")
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)
    resolved_at = models.DateTimeField(_("补正完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正告知")
        verbose_name_plural = _("补正告知")
        ordering = ["case", "issued_at"]

    def __str__(self):
        return f"{self.case} 补正 {self.issued_at:%Y-%m-%d}"


class CorrectionItem(models.Model):
    request = models.ForeignKey(CorrectionRequest, on_delete=models.PROTECT,
                                related_name="items")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("材料"))
    reason = models.TextField(_("需补正的内容"))

    class Meta:
        verbose_name = _("补正事项")
        verbose_name_plural = _("补正事项")

    def __str__(self):
        return self.reason[:50]

    @property
    def subject(self) -> str:
        """What is to be fixed, as every page and the notice name it: the material, or 其他
        (the clerk's free-text item: the form, a signature, a missing page …)."""
        return self.requirement.name if self.requirement_id else str(_("其他"))


class HelpOffer(models.Model):
    """先帮再办: before a case is not accepted, the applicant is told why and offered help."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="help_offers")
    offered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(auto_now_add=True)
    reason_told = models.TextField(_("告知的原因"))
    help_offered = models.TextField(_("提供的帮助"))
    channel = models.CharField(_("告知方式"), max_length=40, default="电话")
    applicant_response = models.TextField(_("申请人意见"), blank=True)

    class Meta:
        verbose_name = _("先帮再办记录")
        verbose_name_plural = _("先帮再办记录")

    def __str__(self):
        return f"{self.case} 先帮再办"


class ReviewStep(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="review_steps")
    kind = models.CharField(_("环节"), max_length=16, choices=ReviewStepKind.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("意见"), max_length=16, choices=ReviewOutcome.choices)
    opinion = models.TextField(_("审查意见"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["case", "at"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.get_outcome_display()}"


class ClockPause(models.Model):
    """A span when a clock does not run: the case is with the applicant, or suspended."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(_("类型"), max_length=24, choices=PauseKind.choices)
    procedure = models.CharField(_("特别程序"), max_length=24, choices=SpecialProcedure.choices,
                                 blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                   | models.Q(ended_on__gte=models.F("started_on")),
                                   name="pause_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()} {self.started_on}–{self.ended_on or ''}"


class CaseNote(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"))
    internal = models.BooleanField(_("内部意见（申请人不可见）"), default=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办件备注")
        verbose_name_plural = _("办件备注")
        ordering = ["case", "at"]

    def __str__(self):
        return self.text[:50]


class Escalation(models.Model):
    """A warning or a supervisor's attention raised by the clock job. Never cleared by a
    send-back: it stays on the case."""

    class Level(models.TextChoices):
        WARNING = "warning", _("临期预警")
        OVERDUE = "overdue", _("超期督办")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="escalations")
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    clock = models.CharField(_("时限"), max_length=16)  # pre_review | legal | promised
    due = models.DateField(_("期限"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("预警督办")
        verbose_name_plural = _("预警督办")
        constraints = [
            models.UniqueConstraint(fields=["case", "level", "clock", "due"],
                                    name="escalation_once_per_due"),
        ]

    def __str__(self):
        return f"{self.case} {self.get_level_display()} {self.clock}"
