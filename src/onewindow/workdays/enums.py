from django.db import models
from django.utils.translation import gettext_lazy as _


class YearStatus(models.TextChoices):
    OFFICIAL = "official", _("正式（依据已发布的国务院通知）")
    PROVISIONAL = "provisional", _("暂定（通知尚未发布）")


class YearSource(models.TextChoices):
    GENERATED = "generated", _("由数据包生成并逐日核对")
    NOTICE = "notice", _("管理员在后台录入")
    FILE = "file", _("由文件导入")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


# The years a calendar may be entered for: wide enough for any deadline, narrow enough that a
# typo (20277) is caught.
MIN_YEAR = 2000
MAX_YEAR = 2100
