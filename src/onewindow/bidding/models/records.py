"""The evaluation report and its signatures, venue recordings, complaints and re-checks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.bidding.enums import RecheckKind, RecheckState, SignatureKind
from onewindow.bidding.models.committee import CommitteeMember
from onewindow.bidding.models.tender import Tender, Venue


class SigningKey(models.Model):
    """A user's signing key pair. The platform holds the private key (see docs/bidding.md:
    a CA-issued key on the expert's own token replaces it in a legal deployment)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="signing_key")
    algorithm = models.CharField(_("算法"), max_length=16, default="ed25519")
    public_key = models.CharField(_("公钥（Base64）"), max_length=200)
    private_key = models.CharField(_("私钥（Base64）"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("签名密钥")
        verbose_name_plural = _("签名密钥")

    def __str__(self):
        return f"{self.user} {self.algorithm}"


class Report(models.Model):
    tender = models.OneToOneField(Tender, on_delete=models.PROTECT, related_name="report")
    code = models.CharField(_("验证码"), max_length=32, unique=True)
    payload = models.TextField(_("签署内容（规范化JSON）"))
    digest = models.CharField(_("SHA-256"), max_length=64)
    recommended = models.JSONField(_("推荐中标候选人"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    countersigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("主场确认人"))
    countersign_algorithm = models.CharField(max_length=16, blank=True)
    countersign_public_key = models.CharField(max_length=200, blank=True)
    countersignature = models.CharField(max_length=200, blank=True)
    countersigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("评标报告")
        verbose_name_plural = _("评标报告")

    def __str__(self):
        return f"{self.tender.number} 评标报告"


class ReportSignature(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("意见"), max_length=16, choices=SignatureKind.choices)
    reasons = models.TextField(_("不同意见及理由"), blank=True)
    algorithm = models.CharField(max_length=16)
    public_key = models.CharField(max_length=200)
    signature = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评标报告签名")
        verbose_name_plural = _("评标报告签名")
        ordering = ["report", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "member"],
                                               name="bidding_sign_once")]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()}"


def recording_upload_to(instance, filename):
    return f"bidding/recordings/{instance.tender_id}/{instance.sha256}"


class Recording(models.Model):
    """An audio/video record of one venue, handed to the main venue within N working days."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="recordings")
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="recordings",
                              verbose_name=_("场地"))
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to=recording_upload_to, max_length=200,
                            blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    due_on = models.DateField(_("移交期限"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("主场接收人"))

    class Meta:
        verbose_name = _("场地录音录像")
        verbose_name_plural = _("场地录音录像")
        ordering = ["tender", "venue", "pk"]
        constraints = [models.UniqueConstraint(fields=["tender", "sha256"],
                                               name="bidding_recording_once")]

    def __str__(self):
        return self.name


class Recheck(models.Model):
    """A complaint or re-check request; always routed to the tender's main venue."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="rechecks")
    kind = models.CharField(_("类型"), max_length=16, choices=RecheckKind.choices)
    text = models.TextField(_("内容"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    routed_to = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rechecks",
                                  verbose_name=_("处理场地"))
    state = models.CharField(_("状态"), max_length=16, choices=RecheckState.choices,
                             default=RecheckState.OPEN)
    answer = models.TextField(_("处理结果"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投诉与复核")
        verbose_name_plural = _("投诉与复核")
        ordering = ["-filed_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tender.number}"
