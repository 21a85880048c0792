from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.cases.enums import DocumentKind


def document_upload_to(instance, filename):
    return f"documents/{instance.case_id}/{instance.kind}-{instance.verify_code}.pdf"


class CaseDocument(models.Model):
    """A document the office issued: notice, decision letter or certificate. Verifiable by the
    public through its code (the QR code on the PDF opens the verification page)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=32, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    verify_code = models.CharField(_("核验码"), max_length=32)  # unique: see Meta
    # Rendered from `payload` the first time the PDF is needed (documents.document_pdf).
    file = models.FileField(upload_to=document_upload_to, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(_("内容"), default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", db_index=False)
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("文书证照")
        verbose_name_plural = _("文书证照")
        ordering = ["case", "issued_at"]
        # A constraint, not `unique=True`, which would add a LIKE index that no lookup uses.
        constraints = [models.UniqueConstraint(fields=["verify_code"],
                                               name="document_verify_code_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"
