"""容缺受理 (tolerance) and 告知承诺 (commitment): what the applicant signed, what is owed, and
what the department must check afterwards.

- `TolerancePledge`: the applicant's signed promise to bring the tolerated materials in time;
  no acceptance with tolerance without one.
- `ToleratedMaterial`: one material accepted as missing, with its own deadline and status.
- `Commitment`: a signed 告知承诺书 that stands in for named proofs of an item marked so.
- `VerificationTask`: the department's follow-up check of a commitment after an approval,
  with its own deadline; a failed check revokes the decision.

Rows are never deleted; a status moves forward only through `services.tolerance` and
`services.commitment`.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department
from onewindow.cases import clocks
from onewindow.cases.enums import PledgeChannel, ToleratedMaterialStatus, VerificationStatus
from onewindow.catalog.models import MaterialRequirement
from onewindow.workdays.selectors import working_days_between

USER = settings.AUTH_USER_MODEL


class TolerancePledge(models.Model):
    """容缺承诺书: signed online by the applicant, or on paper and entered by the clerk."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="tolerance_pledges")
    text = models.TextField(_("承诺内容"))
    channel = models.CharField(_("签署方式"), max_length=16, choices=PledgeChannel.choices)
    # Online: the account that signed. On paper: null, and `signer_name` is the name written.
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("签署账号"))
    signer_name = models.CharField(_("签署人"), max_length=100)
    signed_at = models.DateTimeField(_("签署时间"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("录入人"))
    paper_reference = models.CharField(_("纸质承诺书存档号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("容缺承诺")
        verbose_name_plural = _("容缺承诺")
        ordering = ["case", "signed_at", "id"]

    def __str__(self):
        return f"{self.case} 容缺承诺 {self.signer_name}"


class ToleratedMaterial(models.Model):
    """A material accepted as missing (容缺), owed by `due`."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="tolerated_materials")
    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("材料"))
    pledge = models.ForeignKey(TolerancePledge, on_delete=models.PROTECT, related_name="materials")
    form_text = models.CharField(_("补交形式"), max_length=200)
    due = models.DateField(_("补交期限"))
    status = models.CharField(_("状态"), max_length=16, choices=ToleratedMaterialStatus.choices,
                              default=ToleratedMaterialStatus.PENDING)
    received_at = models.DateTimeField(_("补交时间"), null=True, blank=True)
    material = models.ForeignKey("cases.SubmittedMaterial", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("补交的文件"))
    lapsed_at = models.DateTimeField(_("逾期处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容缺材料")
        verbose_name_plural = _("容缺材料")
        ordering = ["case", "requirement__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "requirement"],
                                    name="tolerated_material_once_per_case"),
        ]

    def __str__(self):
        return f"{self.case} {self.requirement.name} {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == ToleratedMaterialStatus.PENDING

    def days_left(self, on: dt.date | None = None) -> int | None:
        """Working days from `on` (today) to the deadline; negative when it has passed.
        None once the material is no longer pending."""
        if not self.is_pending:
            return None
        return working_days_between(on or clocks.today(), self.due)

    @property
    def clock(self) -> dict | None:
        """The material's own clock as a page shows it: days left, or days overdue."""
        left = self.days_left()
        if left is None:
            return None
        return {"left": max(left, 0), "overdue": max(-left, 0)}


class Commitment(models.Model):
    """告知承诺书: the applicant's signed commitment that replaces the named proofs."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT,
                                related_name="commitment")
    text = models.TextField(_("承诺内容"))
    replaced = models.ManyToManyField(MaterialRequirement, related_name="commitments",
                                      verbose_name=_("以承诺替代的材料"))
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("签署人"))
    signed_at = models.DateTimeField(_("签署时间"))

    class Meta:
        verbose_name = _("告知承诺")
        verbose_name_plural = _("告知承诺")

    def __str__(self):
        return f"{self.case} 告知承诺"


class VerificationTask(models.Model):
    """The department's check, after an approval, that what the applicant committed to holds."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="verification_tasks")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT,
                                   related_name="verification_tasks")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("核查部门"))
    limit_days = models.PositiveSmallIntegerField(_("核查时限（工作日）"))
    due = models.DateField(_("核查期限"))
    status = models.CharField(_("状态"), max_length=16, choices=VerificationStatus.choices,
                              default=VerificationStatus.OPEN)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("核查人"))
    completed_at = models.DateTimeField(_("核查完成时间"), null=True, blank=True)
    findings = models.TextField(_("核查情况"), blank=True)
    escalated_at = models.DateTimeField(_("超期督办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("承诺核查")
        verbose_name_plural = _("承诺核查")
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="open"),
                                    name="verification_one_open_task_per_case"),
        ]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return f"{self.case} 承诺核查 {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == VerificationStatus.OPEN
