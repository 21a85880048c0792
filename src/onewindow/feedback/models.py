"""Ratings (好差评), their invitations, bad-review rectifications (整改) and third-party surveys.

A rating's subject is generic (a case, a service request, a window visit) so that feedback never
imports the apps whose things are rated; what may be rated, by whom, is decided by the resolvers
in `onewindow.feedback.subjects`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department, Window
from onewindow.feedback.enums import CallOutcome, Channel, Level, RectificationState

USER = settings.AUTH_USER_MODEL


class Rating(models.Model):
    """One rating per encounter: (subject, rater) is unique; a change overwrites it (audited)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("评价对象"), max_length=16)
    title = models.CharField(_("评价事项"), max_length=200, blank=True)
    rater = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="ratings",
                              verbose_name=_("评价人"))
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=Level.choices,
                                             validators=[MinValueValidator(1),
                                                         MaxValueValidator(5)])
    comment = models.TextField(_("评价内容"), blank=True, max_length=1000)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices,
                               default=Channel.WEB)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="ratings", verbose_name=_("责任部门"))
    window = models.ForeignKey(Window, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="ratings", verbose_name=_("窗口"))
    clerk = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="ratings_received", verbose_name=_("工作人员"))
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    changed_at = models.DateTimeField(_("修改时间"), null=True, blank=True)
    change_count = models.PositiveSmallIntegerField(_("修改次数"), default=0)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "rater"],
                                    name="rating_one_per_encounter"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5),
                                   name="rating_level_1_to_5"),
        ]
        indexes = [models.Index(fields=["window", "created_at"]),
                   models.Index(fields=["clerk", "created_at"]),
                   models.Index(fields=["rater", "-id"])]

    def __str__(self):
        return f"{self.title or self.kind} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED)


class RatingInvitation(models.Model):
    """An invitation to rate, sent once; the reminder job reminds once (`reminded_at`)."""

    kind = models.CharField(_("评价对象"), max_length=16)
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("评价事项"), max_length=200)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "user"],
                                               name="rating_invitation_once")]
        indexes = [models.Index(fields=["reminded_at", "rated_at", "invited_at"])]

    def __str__(self):
        return f"{self.kind}:{self.object_id} → {self.user_id}"


class Rectification(models.Model):
    """整改: the task a bad review opens for the responsible department."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification",
                                  verbose_name=_("差评"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                   related_name="rectifications", verbose_name=_("责任部门"))
    state = models.CharField(_("状态"), max_length=16, choices=RectificationState.choices,
                             default=RectificationState.OPEN, db_index=True)
    opened_on = models.DateField(_("派发日期"))
    due_on = models.DateField(_("整改期限"))
    due_provisional = models.BooleanField(_("期限按暂定日历计算"), default=False)
    report = models.TextField(_("整改报告"), blank=True)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("报告人"))
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appeal_decision = models.TextField(_("申诉处理意见"), blank=True)
    appeal_upheld = models.BooleanField(_("申诉成立"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["department", "state"]),
                   models.Index(fields=["state", "due_on"])]

    def __str__(self):
        return _("整改 #%(id)s") % {"id": self.pk}


class FollowUpCall(models.Model):
    """回访: who called the rater, when, and what came of it."""

    rectification = models.ForeignKey(Rectification, on_delete=models.PROTECT,
                                      related_name="calls")
    called_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("回访人"))
    called_at = models.DateTimeField(_("回访时间"))
    outcome = models.CharField(_("回访结果"), max_length=16, choices=CallOutcome.choices)
    note = models.TextField(_("回访记录"), max_length=2000)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["called_at", "id"]

    def __str__(self):
        return f"{self.rectification_id} {self.called_at:%Y-%m-%d %H:%M}"


class SurveyImport(models.Model):
    """One imported third-party survey workbook (第三方测评) for one month."""

    month = models.DateField(_("测评月份"), help_text=_("当月第一天"))
    agency = models.CharField(_("测评机构"), max_length=200)
    file_name = models.CharField(_("文件名"), max_length=200)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("第三方测评导入")
        verbose_name_plural = _("第三方测评导入")
        ordering = ["-month", "-id"]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.agency}"


class SurveyResult(models.Model):
    survey = models.ForeignKey(SurveyImport, on_delete=models.CASCADE, related_name="results")
    window = models.ForeignKey(Window, on_delete=models.PROTECT, related_name="survey_results",
                               verbose_name=_("窗口"))
    score = models.DecimalField(_("测评得分"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    sample_size = models.PositiveIntegerField(_("样本量"))
    remark = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("第三方测评结果")
        verbose_name_plural = _("第三方测评结果")
        constraints = [models.UniqueConstraint(fields=["survey", "window"],
                                               name="survey_result_one_per_window")]

    def __str__(self):
        return f"{self.window} {self.score}"
