"""The service catalog: items, their materials and steps, life events and bundles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department
from onewindow.catalog.enums import (
    FETCHED_SOURCES,
    FILE_TYPES,
    Audience,
    CaseType,
    HandlingScope,
    ImportKind,
    ItemSource,
    ItemType,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    ToleranceLapse,
)


def validate_file_types(value: str) -> None:
    unknown = [t for t in value.split(",") if t.strip() and t.strip() not in FILE_TYPES]
    if unknown:
        raise ValidationError(
            _("不支持的文件类型：%(types)s（可选：pdf、jpg、png、ofd）"),
            params={"types": "、".join(unknown)},
        )


class LifeEvent(models.Model):
    """A theme a person recognises (开办企业, 项目建设 …) that groups items."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    audience = models.CharField(_("服务对象"), max_length=16, choices=Audience.choices,
                                default=Audience.ENTERPRISE)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("主题")
        verbose_name_plural = _("主题")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ServiceItem(models.Model):
    # Codes (GB/T 39554.1-2020)
    basic_code = models.CharField(_("基本编码"), max_length=12, blank=True, db_index=True)
    implementation_code = models.CharField(_("实施编码"), max_length=64, unique=True)
    business_code = models.CharField(_("业务办理项编码"), max_length=64, blank=True)
    # What it is
    name = models.CharField(_("事项名称"), max_length=200, db_index=True)
    aliases = models.TextField(_("别名/俗称"), blank=True,
                               help_text=_("每行一个，供搜索和智能导办使用"))
    summary = models.TextField(_("事项简介"), blank=True)
    item_type = models.PositiveSmallIntegerField(_("权力类型"), choices=ItemType.choices)
    audience = models.CharField(_("服务对象"), max_length=16, choices=Audience.choices,
                                default=Audience.ENTERPRISE)
    # Who
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="items",
                                   verbose_name=_("办理部门"))
    implementing_body = models.CharField(_("实施主体"), max_length=100)
    # Time limits
    legal_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    legal_limit_unit = models.CharField(_("法定时限单位"), max_length=16, choices=LimitUnit.choices,
                                        default=LimitUnit.WORKING_DAY)
    legal_limit_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_limit_unit = models.CharField(_("承诺时限单位"), max_length=16,
                                           choices=LimitUnit.choices,
                                           default=LimitUnit.WORKING_DAY)
    promised_limit_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    case_type = models.CharField(_("办件类型"), max_length=16, choices=CaseType.choices,
                                 default=CaseType.PROMISED)
    # How
    visits_required = models.PositiveSmallIntegerField(_("到办事现场次数"), default=0,
                                                       help_text=_("0 表示全程网办"))
    online_depth = models.PositiveSmallIntegerField(_("网办深度"), choices=OnlineDepth.choices,
                                                    default=OnlineDepth.FULL)
    appointment_supported = models.BooleanField(_("支持预约办理"), default=True)
    express_supported = models.BooleanField(_("支持物流快递"), default=True)
    handling_scope = models.CharField(_("通办范围"), max_length=16, choices=HandlingScope.choices,
                                      default=HandlingScope.ZONE)
    instant_approval = models.BooleanField(_("秒批秒办"), default=False)
    commitment_allowed = models.BooleanField(_("告知承诺"), default=False)
    tolerance_lapse = models.CharField(
        _("容缺材料逾期未补交时"), max_length=16, choices=ToleranceLapse.choices,
        default=ToleranceLapse.TERMINATE,
        help_text=_("按本事项的规定：终止办理，或作出不予许可决定；已作出许可决定的，一律依法撤销。"))

    # The guide
    conditions = models.TextField(_("受理条件"), blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    fee_required = models.BooleanField(_("是否收费"), default=False)
    fees = models.TextField(_("收费标准及依据"), blank=True)
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    where_to_apply = models.TextField(_("办理地点"), blank=True)
    office_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    consult_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True,
                                       default="12345")
    life_events = models.ManyToManyField(LifeEvent, blank=True, related_name="items",
                                         verbose_name=_("所属主题"))
    # Bookkeeping
    source = models.CharField(_("来源"), max_length=16, choices=ItemSource.choices,
                              default=ItemSource.CURATED)
    is_published = models.BooleanField(_("已发布"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        ordering = ["department__order", "name"]
        indexes = [models.Index(fields=["is_published", "department"])]

    def __str__(self):
        return self.name

    def tolerance_lapse_consequence(self) -> str:
        """What the pledge, the notice and the applicant's page say follows a missed deadline."""
        if self.tolerance_lapse == ToleranceLapse.DENY:
            return _("对本申请作出不予许可决定")
        return _("终止办理本申请")

    def clean(self):
        # Items loaded in bulk from another system's catalog arrive without time limits; they
        # stay valid drafts until an administrator completes them (and marks them curated).
        if (self.case_type == CaseType.PROMISED and self.promised_limit is None
                and self.source != ItemSource.IMPORTED):
            raise ValidationError({"promised_limit": _("承诺件必须填写承诺办结时限")})
        if (self.legal_limit is not None and self.promised_limit is not None
                and self.legal_limit_unit == self.promised_limit_unit
                and self.promised_limit > self.legal_limit):
            raise ValidationError({"promised_limit": _("承诺办结时限不能长于法定办结时限")})

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]

    @property
    def is_fully_online(self) -> bool:
        return self.visits_required == 0


class MaterialRequirement(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials",
                             verbose_name=_("事项"))
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    form = models.CharField(_("材料形式"), max_length=16, choices=MaterialForm.choices,
                            default=MaterialForm.ELECTRONIC)
    original_count = models.PositiveSmallIntegerField(_("原件份数"), default=0)
    copy_count = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    description = models.TextField(_("填报须知"), blank=True)
    source = models.CharField(_("来源渠道"), max_length=16, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    produced_by = models.ForeignKey(ServiceItem, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="produces",
                                    verbose_name=_("产生该材料的事项"))
    tolerance_allowed = models.BooleanField(_("可容缺"), default=False)
    commitment_replaces = models.BooleanField(_("可告知承诺替代"), default=False)
    allowed_file_types = models.CharField(_("允许的文件类型"), max_length=40,
                                          default="pdf,jpg,png,ofd",
                                          validators=[validate_file_types])
    template = models.FileField(_("空白表格"), upload_to="catalog/templates/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="catalog/samples/", blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="material_name_unique_in_item")
        ]

    def __str__(self):
        return self.name

    @property
    def fetched(self) -> bool:
        """Obtained by the window itself: the applicant need not submit it."""
        return self.source in FETCHED_SOURCES

    @property
    def file_type_list(self) -> list[str]:
        return [t.strip() for t in self.allowed_file_types.split(",") if t.strip()]


class ProcessStep(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="steps",
                             verbose_name=_("事项"))
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("环节"), max_length=60)
    description = models.TextField(_("办理内容"), blank=True)
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理流程")
        verbose_name_plural = _("办理流程")
        ordering = ["item", "order"]

    def __str__(self):
        return f"{self.order}. {self.name}"


class Bundle(models.Model):
    """一件事: several items, often of several departments, applied for with one form."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    lead_department = models.ForeignKey(Department, on_delete=models.PROTECT,
                                        related_name="lead_bundles",
                                        verbose_name=_("牵头部门"))
    items = models.ManyToManyField(ServiceItem, through="BundleItem", related_name="bundles",
                                   verbose_name=_("包含事项"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    legal_limit_days = models.PositiveSmallIntegerField(
        _("法定时限（工作日）"), default=45,
        help_text=_("联合办理：45 个工作日，可延长 15 个工作日"))
    legal_extension_days = models.PositiveSmallIntegerField(_("可延长（工作日）"), default=15)
    continue_on_denial = models.BooleanField(
        _("部分事项不予许可时其余事项继续办理"), default=True)
    life_event = models.ForeignKey(LifeEvent, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="bundles", verbose_name=_("所属主题"))
    motto = models.CharField(_("服务承诺"), max_length=100, blank=True)
    is_published = models.BooleanField(_("已发布"), default=True)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="bundle_items")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bundle_items",
                             verbose_name=_("事项"))
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    is_optional = models.BooleanField(_("可选"), default=False)

    class Meta:
        verbose_name = _("一件事包含的事项")
        verbose_name_plural = _("一件事包含的事项")
        ordering = ["bundle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")
        ]

    def __str__(self):
        return f"{self.bundle} · {self.item}"


class CatalogImport(models.Model):
    """One batch of catalog data loaded from a file: who, when, which file, what changed."""

    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("操作人"))
    kind = models.CharField(_("类型"), max_length=16, choices=ImportKind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(_("文件哈希（SHA-256）"), max_length=64)
    counts = models.JSONField(_("变更统计"), default=dict)

    class Meta:
        verbose_name = _("事项导入记录")
        verbose_name_plural = _("事项导入记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"
