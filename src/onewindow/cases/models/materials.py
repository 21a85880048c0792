from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.models import MaterialRequirement


def material_upload_to(instance, filename):
    # Content-addressed and never overwritten: the same bytes get the same name, and a new
    # version of a material is a new row with a new file.
    return f"cases/{instance.case_id}/{instance.sha256}.{instance.extension}"


class SubmittedMaterial(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="materials")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT,
                                    related_name="submissions", verbose_name=_("材料"))
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=60)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提交的材料")
        verbose_name_plural = _("提交的材料")
        ordering = ["case", "requirement__order", "-uploaded_at"]

    def __str__(self):
        return f"{self.requirement.name}: {self.original_name}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class ProvidedMaterial(models.Model):
    """一件事: a material of one part that another part's result provides (GovStack's rule that a
    document one service produces is not asked of the next). Attached when the producing part's
    certificate is issued; the document itself is the producing case's, verifiable by its code,
    so its revocation shows here too."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="provided_materials")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("材料"))
    document = models.ForeignKey("cases.CaseDocument", on_delete=models.PROTECT,
                                 related_name="provided_to", verbose_name=_("证照"))
    provided_at = models.DateTimeField(_("提供时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结果共享的材料")
        verbose_name_plural = _("结果共享的材料")
        constraints = [models.UniqueConstraint(fields=["case", "requirement", "document"],
                                               name="provided_material_once")]

    def __str__(self):
        return f"{self.requirement.name}: {self.document}"
