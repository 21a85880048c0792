from django.db import models
from django.utils.translation import gettext_lazy as _


class HitPolicy(models.TextChoices):
    UNIQUE = "unique", _("唯一命中（至多一行满足）")
    FIRST = "first", _("首条命中（自上而下第一行满足的生效）")


class InputType(models.TextChoices):
    STRING = "string", _("文本")
    NUMBER = "number", _("数字")
    BOOLEAN = "boolean", _("是/否")
    DATE = "date", _("日期")
    ENUM = "enum", _("可选项")


class Outcome(models.TextChoices):
    APPROVE = "approve", _("准予（秒批）")
    REFER = "refer", _("转人工办理")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
