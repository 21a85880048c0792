from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.IntegerChoices):
    """权力类型, coded as on the national platform."""

    LICENSING = 1, _("行政许可")
    PENALTY = 2, _("行政处罚")
    ENFORCEMENT = 3, _("行政强制")
    LEVY = 4, _("行政征收")
    BENEFIT = 5, _("行政给付")
    INSPECTION = 6, _("行政检查")
    CONFIRMATION = 7, _("行政确认")
    REWARD = 8, _("行政奖励")
    ADJUDICATION = 9, _("行政裁决")
    OTHER_POWER = 10, _("其他行政权力")
    PUBLIC_SERVICE = 20, _("公共服务")


class CaseType(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("即办件")
    PROMISED = "promised", _("承诺件")


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")
    HOUR = "hour", _("小时")


class HandlingScope(models.TextChoices):
    ZONE = "zone", _("全区通办")
    CITY = "city", _("全市通办")
    PROVINCE = "province", _("全省通办")
    NATIONWIDE = "nationwide", _("跨省通办")


class OnlineDepth(models.IntegerChoices):
    """网上办理深度, one to four stars as the national platform grades it."""

    INFO = 1, _("一星：网上咨询")
    DOWNLOAD = 2, _("二星：网上预约、下载表格")
    PRE_REVIEW = 3, _("三星：网上预审")
    FULL = 4, _("四星：全程网办")


class Audience(models.TextChoices):
    ENTERPRISE = "enterprise", _("法人")
    PERSON = "person", _("自然人")
    BOTH = "both", _("法人和自然人")


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    ORIGINAL_AND_COPY = "both", _("原件和复印件")
    ELECTRONIC = "electronic", _("电子材料")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    SHARED = "shared", _("部门共享获取")
    PRODUCED = "produced", _("由前序事项产生")
    GOVERNMENT = "government", _("政府部门核发")


# Materials the window obtains itself (shared data, the result of an earlier item): the guide
# tells the applicant not to submit them, and an application is complete without them.
FETCHED_SOURCES = frozenset({MaterialSource.SHARED, MaterialSource.PRODUCED})


class ItemSource(models.TextChoices):
    CURATED = "curated", _("人工维护")
    IMPORTED = "imported", _("批量导入")


FILE_TYPES = ("pdf", "jpg", "png", "ofd")


class ImportKind(models.TextChoices):
    EXCEL = "excel", _("Excel 导入")
    JSON = "json", _("目录数据导入")


class ToleranceLapse(models.TextChoices):
    """What ends a 容缺 case whose owed material did not come by its deadline (per item, as the
    item's rules say); a decision already made is revoked in either case."""

    TERMINATE = "terminate", _("终止办理")
    DENY = "deny", _("作出不予许可决定")
