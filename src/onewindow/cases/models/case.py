"""The case (办件): one application of one service item, and its state machine.

The `@transition` methods only move the state; they have no side effects. Everything else a
transition does (lock, checks, clocks, documents, audit, notifications) is in
`onewindow.cases.services`, which is the only code that calls them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from onewindow.accounts.models import Department, Enterprise
from onewindow.cases.enums import (
    DECISION_CLOCK_STATES,
    DENIABLE_STATES,
    PRE_ACCEPTANCE_STATES,
    REVOCABLE_STATES,
    TERMINABLE_STATES,
    WITHDRAWABLE_STATES,
    CaseState,
    Decision,
    DeliveryMethod,
)
from onewindow.catalog.models import Bundle, ServiceItem

S = CaseState


class CaseNumberSequence(models.Model):
    """The last case number issued in a year on SQLite (upserted, gapless). On PostgreSQL the
    year's numbers come from a sequence that starts after this row's last (see
    `cases.services.applying._next_number`)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号序列")

    def __str__(self):
        return f"{self.year}: {self.last}"


class Case(models.Model):
    # Unique by a constraint in Meta, not `unique=True`: that would add a second index on
    # PostgreSQL (varchar_pattern_ops, for LIKE) that every insert writes and only the year's
    # first submission would use (`applying._create_sequence` looks up the year's numbers).
    number = models.CharField(_("办件编号"), max_length=20, null=True, blank=True)
    query_code = models.CharField(_("查询码"), max_length=8, blank=True)
    # Null only for a bundle's parent case, which decides nothing itself (see `bundle`).
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases",
                             null=True, blank=True, verbose_name=_("事项"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="cases",
                                   db_index=False, verbose_name=_("办理部门"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="cases", db_index=False, verbose_name=_("申请人"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="cases", verbose_name=_("申请企业"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("经办人"))
    title = models.CharField(_("申请事项"), max_length=200, blank=True)
    # 一件事: a parent case has no item of its own to decide; each child is one item's case.
    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="cases", db_index=False, verbose_name=_("一件事"))
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("一件事主办件"))
    form_data = models.JSONField(_("申请表"), default=dict, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    state = FSMField(_("状态"), max_length=32, choices=CaseState.choices, default=S.DRAFT)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="claimed_cases",
                                   db_index=False, verbose_name=_("承办人"))
    # The department's claim: who started the review (`case_start_review`), shown in the
    # department's queue so that two reviewers do not take up the same case unseen.
    review_handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+",
                                       db_index=False, verbose_name=_("审查承办人"))
    # Clocks. Dates are calendar dates in the zone's time zone; limits are working days.
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    received_on = models.DateField(_("收件日期"), null=True, blank=True)
    pre_review_due = models.DateField(_("预审期限"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("逾期视为受理"), default=False)
    legal_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True,
                                                        blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True,
                                                           blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长（工作日）"), default=0)
    extension_reason = models.TextField(_("延长理由"), blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                              null=True, blank=True, related_name="+",
                                              db_index=False, verbose_name=_("延长批准人"))
    legal_due = models.DateField(_("法定期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限按暂定日历计算"), default=False)
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    # Outcome
    decision = models.CharField(_("决定"), max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    remedy_text = models.TextField(_("救济途径"), blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    not_accepted_reason = models.TextField(_("不予受理理由"), blank=True)
    competent_agency = models.CharField(_("有权机关"), max_length=200, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=16,
                                       choices=DeliveryMethod.choices, blank=True)
    delivery_address = models.CharField(_("送达地址"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    ended_reason = models.TextField(_("终止或撤销理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(item__isnull=False)
                                   | models.Q(bundle__isnull=False, parent__isnull=True),
                                   name="case_has_item_or_is_bundle_parent"),
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["filed_by", "idempotency_key"],
                                    condition=~models.Q(idempotency_key=""),
                                    name="case_idempotency_key_unique"),
        ]
        # Every move changes `state`, so no update of a case is HOT and each writes an entry in
        # every index: only the indexes that queries use are kept. The composites below serve
        # lookups by department, applicant and state alone too; claimed_by, review_handler,
        # extension_approved_by and bundle are only ever asked together with those (queues,
        # an applicant's cases), and a user or bundle is never deleted while cases name it.
        indexes = [
            models.Index(fields=["department", "state"]),
            models.Index(fields=["applicant", "state"]),
            models.Index(fields=["state", "legal_due"]),
        ]

    def __str__(self):
        # The title (the item's or bundle's name when applied for), not the item row: every
        # audit event names its case, and a move should not fetch a row only to print it.
        return f"{self.number or _('草稿')} {self.title}".strip()

    # --- the state machine: moves only ------------------------------------------------------
    @transition(field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.PRE_REVIEW)
    def start_pre_review(self):
        pass

    @transition(field=state, source=S.PRE_REVIEW, target=S.RETURNED)
    def return_for_correction(self):
        pass

    @transition(field=state, source=S.PRE_REVIEW, target=S.NOT_ACCEPTED)
    def not_accept(self):
        pass

    @transition(field=state, source=list(PRE_ACCEPTANCE_STATES), target=S.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=list(PRE_ACCEPTANCE_STATES), target=S.ACCEPTED_WITH_TOLERANCE)
    def accept_with_tolerance(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.DECIDED)
    def instant_decide(self):
        """秒批: receipt, acceptance, review and decision in one move, by a decision table."""

    @transition(field=state, source=list(TERMINABLE_STATES), target=S.TERMINATED)
    def terminate(self):
        pass

    @transition(field=state, source=list(DENIABLE_STATES), target=S.DECIDED)
    def deny_on_lapse(self):
        """容缺: an owed material missed its deadline and the item's rule is to deny."""

    @transition(field=state, source=list(REVOCABLE_STATES), target=S.REVOKED)
    def revoke(self):
        pass

    @transition(field=state, source=[S.ACCEPTED, S.ACCEPTED_WITH_TOLERANCE], target=S.IN_REVIEW)
    def start_review(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=state, source=S.SUSPENDED, target=S.IN_REVIEW)
    def resume(self):
        pass

    @transition(field=state, source=S.IN_REVIEW, target=S.DECIDED)
    def decide(self):
        pass

    @transition(field=state, source=S.DECIDED, target=S.COMPLETED)
    def complete(self):
        pass

    @transition(field=state, source=S.COMPLETED, target=S.DELIVERED)
    def deliver(self):
        pass

    @transition(field=state, source=list(WITHDRAWABLE_STATES), target=S.WITHDRAWN)
    def withdraw(self):
        pass

    # Set by a submission on the instance it submitted: the tolerable materials it let be
    # missing, which 秒批 reads in the same transaction instead of asking again. Not a field.
    owed_at_submission: list | None = None

    # --- derived facts ----------------------------------------------------------------------
    @property
    def is_bundle_parent(self) -> bool:
        """一件事: the parent case, with no item of its own; its parts (children) are decided."""
        return self.item_id is None

    @property
    def applying_party(self):
        """Who applies: the enterprise applied for, or the person applying in their own name
        (both carry `credit_status` and `is_blacklisted`)."""
        return self.enterprise if self.enterprise_id else self.applicant

    @property
    def handler(self):
        """Who holds the case now: once accepted, the department's reviewer who took up its
        review (None until one has); before, the window clerk who claimed it."""
        return self.review_handler if self.accepted_on is not None else self.claimed_by

    @property
    def limit_with_extension(self) -> int | None:
        if self.legal_limit_days is None:
            return None
        return self.legal_limit_days + self.extension_days

    @property
    def decision_clock_running(self) -> bool:
        return self.state in DECISION_CLOCK_STATES

    @property
    def pre_review_clock_running(self) -> bool:
        return self.state in PRE_ACCEPTANCE_STATES
