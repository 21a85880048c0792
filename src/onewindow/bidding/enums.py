"""Choices of the bid evaluation module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcurementKind(models.TextChoices):
    GOODS = "goods", _("货物")
    SERVICES = "services", _("服务")
    WORKS = "works", _("工程")


class Method(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合评分法")
    LOWEST_PRICE = "lowest_price", _("最低评标价法")


class TenderState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    COMMITTEE = "committee", _("已组建评标委员会")
    EVALUATING = "evaluating", _("评标中")
    SCORED = "scored", _("评分已结束")
    REPORTED = "reported", _("评标报告已签署")


# States in which the committee may still be drawn or redrawn.
DRAW_STATES = frozenset({TenderState.DRAFT, TenderState.COMMITTEE})
# States in which the session (chair, compliance, scores, messages) is open.
SESSION_STATES = frozenset({TenderState.COMMITTEE, TenderState.EVALUATING})


class VenueRole(models.TextChoices):
    MAIN = "main", _("主场")
    SUB = "sub", _("副场")


class MemberKind(models.TextChoices):
    EXPERT = "expert", _("评审专家")
    BUYER_REP = "buyer_rep", _("采购人代表")


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("已通知，待确认")
    CONFIRMED = "confirmed", _("已确认参加")
    DECLINED = "declined", _("拒绝参加")
    EXCLUDED = "excluded", _("回避")
    REPLACED = "replaced", _("已重新抽取")


# Members who sit on the committee (or may still confirm).
SEATED_STATUSES = frozenset({MemberStatus.INVITED, MemberStatus.CONFIRMED})


class RelationKind(models.TextChoices):
    RELATIVE = "relative", _("近亲属关系")
    EMPLOYMENT = "employment", _("任职或曾任职")
    ECONOMIC = "economic", _("经济利益关系")


class Compliance(models.TextChoices):
    PENDING = "pending", _("待审查")
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")


class SignatureKind(models.TextChoices):
    SIGNED = "signed", _("签署")
    DISSENT = "dissent", _("签署并保留意见")


class RecheckKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    RECHECK = "recheck", _("复核")


class RecheckState(models.TextChoices):
    OPEN = "open", _("待主场处理")
    ANSWERED = "answered", _("已处理")
