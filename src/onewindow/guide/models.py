"""The guide's own data: colloquial synonyms and scenarios that catalog administrators keep,
the log of questions asked (to learn from), and per-client request counters (rate limit)."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.models import Bundle, LifeEvent, ServiceItem


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("，", "\n").replace(",", "\n").splitlines()
            if line.strip()]


class Synonym(models.Model):
    """A way people say something ("开饭店") → the catalog's words and/or the items it means."""

    phrase = models.CharField(_("常用说法"), max_length=60, unique=True,
                              help_text=_("群众的日常说法，如：开饭店、换地址、办执照"))
    expansion = models.TextField(_("对应的规范用语"), blank=True,
                                 help_text=_("每行一个（或用逗号分隔），如：食品经营许可"))
    items = models.ManyToManyField(ServiceItem, blank=True, related_name="guide_synonyms",
                                   verbose_name=_("直接对应的事项"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("同义词/俗称")
        verbose_name_plural = _("同义词/俗称")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    def clean(self):
        self.phrase = self.phrase.strip()
        if len(self.phrase) < 2:
            raise ValidationError({"phrase": _("常用说法至少两个字")})

    @property
    def expansion_terms(self) -> list[str]:
        return split_lines(self.expansion)


class Scenario(models.Model):
    """A situation people describe ("开一家饭店") and the items and bundles it needs, in order."""

    name = models.CharField(_("情景名称"), max_length=60, unique=True)
    phrases = models.TextField(_("触发说法"), help_text=_("每行一个，如：开饭店、开餐馆、开饭馆"))
    intro = models.TextField(_("说明"), blank=True)
    life_event = models.ForeignKey(LifeEvent, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="guide_scenarios", verbose_name=_("所属主题"))
    is_published = models.BooleanField(_("已发布"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办事情景")
        verbose_name_plural = _("办事情景")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def phrase_list(self) -> list[str]:
        return split_lines(self.phrases)


class ScenarioStep(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="steps",
                                 verbose_name=_("情景"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("事项"))
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("一件事"))
    note = models.CharField(_("提示"), max_length=200, blank=True)
    is_optional = models.BooleanField(_("视情况办理"), default=False)

    class Meta:
        verbose_name = _("情景步骤")
        verbose_name_plural = _("情景步骤")
        ordering = ["scenario", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(item__isnull=False, bundle__isnull=True)
                           | models.Q(item__isnull=True, bundle__isnull=False)),
                name="guide_step_item_xor_bundle"),
        ]

    def __str__(self):
        return f"{self.order}. {self.item or self.bundle}"

    def clean(self):
        if (self.item_id is None) == (self.bundle_id is None):
            raise ValidationError(_("每一步选择一个事项或一个一件事（二选一）"))


class Channel(models.TextChoices):
    PAGE = "page", _("导办页面")
    API = "api", _("搜索接口")
    CHAT = "chat", _("对话")


class Rating(models.IntegerChoices):
    BAD = -1, _("没帮上忙")
    GOOD = 1, _("有帮助")


class QueryLog(models.Model):
    """One question and what the guide answered; the click and the rating come later."""

    public_id = models.UUIDField(_("公开编号"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("提问时间"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices,
                               default=Channel.PAGE)
    query = models.CharField(_("问题"), max_length=200)
    normalized = models.CharField(_("归一化问题"), max_length=200, db_index=True)
    result_ids = models.JSONField(_("返回的事项"), default=list, blank=True)
    top_score = models.FloatField(_("最高得分"), default=0)
    scenario = models.ForeignKey(Scenario, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("命中情景"))
    clicked_item = models.ForeignKey(ServiceItem, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("点击的事项"))
    clicked_at = models.DateTimeField(_("点击时间"), null=True, blank=True)
    rating = models.SmallIntegerField(_("评价"), choices=Rating.choices, null=True, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导办提问记录")
        verbose_name_plural = _("导办提问记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.query


class RateCounter(models.Model):
    """Requests of one client in one minute; shared by every process through the database."""

    client = models.CharField(max_length=64)
    window = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window"], name="guide_rate_unique"),
        ]
        indexes = [models.Index(fields=["window"])]

    def __str__(self):
        return f"{self.client[:8]} {self.window:%H:%M} {self.hits}"
