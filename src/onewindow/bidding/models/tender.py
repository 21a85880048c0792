"""Tenders, lots, criteria, bids and venues."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department
from onewindow.accounts.validators import validate_uscc
from onewindow.bidding.enums import Compliance, Method, ProcurementKind, TenderState

MONEY = {"max_digits": 16, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}


class Venue(models.Model):
    """A seat of evaluation in a city (评标场地): seats for experts, operators who run it."""

    code = models.SlugField(_("场地代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    city = models.CharField(_("城市/区"), max_length=40)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    seats = models.PositiveIntegerField(_("评标席位"), default=9)
    operators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="bidding_venues",
                                       verbose_name=_("场地管理员"))

    class Meta:
        verbose_name = _("评标场地")
        verbose_name_plural = _("评标场地")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}（{self.city}）"


class Tender(models.Model):
    number = models.CharField(_("项目编号"), max_length=40, unique=True)
    title = models.CharField(_("项目名称"), max_length=200)
    buyer = models.CharField(_("采购人"), max_length=200)
    kind = models.CharField(_("采购类别"), max_length=16, choices=ProcurementKind.choices,
                            default=ProcurementKind.GOODS)
    method = models.CharField(_("评标方法"), max_length=16, choices=Method.choices,
                              default=Method.COMPREHENSIVE)
    price_weight = models.DecimalField(_("价格分权重（分）"), **POINTS, default=Decimal("30"),
                                       validators=[MinValueValidator(0)])
    budget = models.DecimalField(_("预算金额（元）"), **MONEY, validators=[MinValueValidator(0)])
    is_complex = models.BooleanField(_("技术复杂或社会影响较大"), default=False)
    trimmed_mean = models.BooleanField(_("去掉一个最高分和一个最低分"), default=False)
    tie_on_exact = models.BooleanField(_("按未四舍五入的总分判断并列"), default=False)
    committee_size = models.PositiveIntegerField(_("评标委员会人数"), default=5)
    recommend_count = models.PositiveIntegerField(
        _("推荐中标候选人数量"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(3)])
    buyer_reps = models.PositiveIntegerField(_("其中采购人代表人数"), default=0)
    supervising_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("监督部门"))
    main_venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="main_tenders",
                                   verbose_name=_("主场"))
    sub_venues = models.ManyToManyField(Venue, blank=True, related_name="sub_tenders",
                                        verbose_name=_("副场"))
    evaluation_date = models.DateField(_("评标日期"))
    state = models.CharField(_("状态"), max_length=16, choices=TenderState.choices,
                             default=TenderState.DRAFT)
    chair = models.ForeignKey("bidding.CommitteeMember", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("评标委员会主任"))
    scoring_closed_at = models.DateTimeField(_("评分结束时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("招标项目")
        verbose_name_plural = _("招标项目")
        ordering = ["-evaluation_date", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def clean(self):
        if self.buyer_reps >= (self.committee_size or 0):
            raise ValidationError({"buyer_reps": _("采购人代表人数必须少于评标委员会人数。")})
        if self.price_weight is not None and self.price_weight > 100:
            raise ValidationError({"price_weight": _("价格分权重不能超过100分。")})


class Lot(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveIntegerField(_("包号"), default=1)
    name = models.CharField(_("包名称"), max_length=200)
    budget = models.DecimalField(_("包预算（元）"), **MONEY, null=True, blank=True)

    class Meta:
        verbose_name = _("标包")
        verbose_name_plural = _("标包")
        ordering = ["tender", "number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"],
                                               name="bidding_lot_number_unique")]

    def __str__(self):
        return f"{self.number}包 {self.name}"


class Criterion(models.Model):
    """A non-price scoring factor; every expert gives each bid min_points…max_points on it."""

    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveIntegerField(_("序号"), default=1)
    name = models.CharField(_("评分因素"), max_length=100)
    description = models.TextField(_("评分标准"), blank=True)
    min_points = models.DecimalField(_("最低分"), **POINTS, default=Decimal("0"),
                                     validators=[MinValueValidator(0)])
    max_points = models.DecimalField(_("满分"), **POINTS, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("评分因素")
        verbose_name_plural = _("评分因素")
        ordering = ["tender", "order", "pk"]

    def __str__(self):
        return f"{self.name}（{self.min_points}–{self.max_points}分）"

    def clean(self):
        if self.max_points is not None and self.min_points is not None \
                and self.min_points > self.max_points:
            raise ValidationError(_("最低分不能高于满分。"))


class Bid(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.CASCADE, related_name="bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="bids",
                            verbose_name=_("标包"))
    bidder = models.CharField(_("投标人"), max_length=200)
    bidder_uscc = models.CharField(_("统一社会信用代码"), max_length=18,
                                   validators=[validate_uscc])
    price = models.DecimalField(_("投标报价（元）"), **MONEY,
                                validators=[MinValueValidator(Decimal("0.01"))])
    compliance = models.CharField(_("符合性审查"), max_length=16, choices=Compliance.choices,
                                  default=Compliance.PENDING)
    compliance_reason = models.TextField(_("不通过理由"), blank=True)
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投标文件")
        verbose_name_plural = _("投标文件")
        ordering = ["tender", "lot", "pk"]
        constraints = [models.UniqueConstraint(fields=["lot", "bidder_uscc"],
                                               name="bidding_one_bid_per_bidder_per_lot")]

    def __str__(self):
        return self.bidder

    def clean(self):
        if self.lot_id and self.tender_id and self.lot.tender_id != self.tender_id:
            raise ValidationError({"lot": _("标包不属于该项目。")})


def bid_document_upload_to(instance, filename):
    return f"bidding/bids/{instance.bid.tender_id}/{instance.sha256}"


class BidDocument(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=bid_document_upload_to, max_length=200)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("投标文件附件")
        verbose_name_plural = _("投标文件附件")
        ordering = ["bid", "pk"]

    def __str__(self):
        return self.name
