from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    PRE_REVIEW = "pre_review", _("预审中")
    RETURNED = "returned", _("退回补正")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    ACCEPTED_WITH_TOLERANCE = "accepted_with_tolerance", _("容缺受理")
    IN_REVIEW = "in_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序中")
    DECIDED = "decided", _("已决定")
    COMPLETED = "completed", _("已办结")
    DELIVERED = "delivered", _("已送达")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("终止办理")
    REVOKED = "revoked", _("已撤销许可")


S = CaseState
# Before acceptance: the 5-working-day pre-review clock runs (Art. 32).
PRE_ACCEPTANCE_STATES = frozenset({S.SUBMITTED, S.PRE_REVIEW})
# After acceptance, until a decision: the legal and promised clocks run.
DECISION_CLOCK_STATES = frozenset({S.ACCEPTED, S.ACCEPTED_WITH_TOLERANCE, S.IN_REVIEW,
                                   S.SUSPENDED})
CLOSED_STATES = frozenset({S.NOT_ACCEPTED, S.DELIVERED, S.WITHDRAWN, S.TERMINATED, S.REVOKED})
# A tolerated material that never came, or a parent bundle ended: the case ends without a decision.
TERMINABLE_STATES = frozenset({S.SUBMITTED, S.PRE_REVIEW, S.RETURNED, S.ACCEPTED,
                               S.ACCEPTED_WITH_TOLERANCE, S.IN_REVIEW, S.SUSPENDED})
# 容缺 with a deny rule: a missed deadline after acceptance and before a decision is denied.
DENIABLE_STATES = frozenset({S.ACCEPTED_WITH_TOLERANCE, S.IN_REVIEW, S.SUSPENDED})
# A decision granted on a commitment (告知承诺) that later fails verification is revoked.
REVOCABLE_STATES = frozenset({S.DECIDED, S.COMPLETED, S.DELIVERED})
OPEN_STATES = frozenset(set(S) - CLOSED_STATES - {S.DRAFT})
WITHDRAWABLE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.PRE_REVIEW, S.RETURNED, S.ACCEPTED,
                                 S.ACCEPTED_WITH_TOLERANCE, S.IN_REVIEW, S.SUSPENDED})
# States in which the applicant holds the case (time with the applicant is not the office's).
WITH_APPLICANT_STATES = frozenset({S.DRAFT, S.RETURNED})


class Decision(models.TextChoices):
    APPROVED = "approved", _("准予许可")
    DENIED = "denied", _("不予许可")


class DeliveryMethod(models.TextChoices):
    DOWNLOAD = "download", _("网上下载")
    EXPRESS = "express", _("邮寄送达")
    PICKUP = "pickup", _("窗口领取")


class ClockColour(models.TextChoices):
    GREEN = "green", _("正常")
    YELLOW = "yellow", _("临近期限")
    RED = "red", _("已超期")
    PAUSED = "paused", _("计时暂停")
    STOPPED = "stopped", _("不计时")


class PauseKind(models.TextChoices):
    WITH_APPLICANT = "with_applicant", _("申请人补正")
    SPECIAL_PROCEDURE = "special_procedure", _("特别程序")


class SpecialProcedure(models.TextChoices):
    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检验检测")
    INSPECTION = "inspection", _("现场勘验")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    APPRAISAL = "appraisal", _("鉴定")
    OTHER = "other", _("其他特别程序")


class DocumentKind(models.TextChoices):
    RECEIPT = "receipt", _("收件回执")
    CORRECTION_NOTICE = "correction_notice", _("补正材料一次性告知书")
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    NOT_ACCEPTED_NOTICE = "not_accepted_notice", _("不予受理通知书")
    EXTENSION_NOTICE = "extension_notice", _("延期办理告知书")
    SUSPENSION_NOTICE = "suspension_notice", _("特别程序告知书")
    DECISION_LETTER = "decision_letter", _("行政许可决定书")
    CERTIFICATE = "certificate", _("证照")
    TOLERANCE_NOTICE = "tolerance_notice", _("容缺受理告知书")
    COMMITMENT = "commitment", _("告知承诺书")


class ReviewStepKind(models.TextChoices):
    REVIEW = "review", _("审查")
    APPROVE = "approve", _("审批")


class ReviewOutcome(models.TextChoices):
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")


# --- tolerance (容缺受理) and commitment (告知承诺) -------------------------------------------
class ToleratedMaterialStatus(models.TextChoices):
    PENDING = "pending", _("待补交")
    RECEIVED = "received", _("已补交")
    LAPSED = "lapsed", _("逾期未补交")


class PledgeChannel(models.TextChoices):
    ONLINE = "online", _("网上签署")
    PAPER = "paper", _("纸质签署（窗口录入）")


class VerificationStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    PASSED = "passed", _("核查属实")
    FAILED = "failed", _("核查不实")


# What a denial tells the applicant of their remedies (Art. 38), unless the approver words it.
DEFAULT_REMEDY = _("申请人如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
                   "或者在六个月内依法向人民法院提起行政诉讼。")
