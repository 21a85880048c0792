"""The expert pool, committee draws and members, the chair election."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department
from onewindow.accounts.validators import validate_uscc
from onewindow.bidding.enums import SEATED_STATUSES, MemberKind, MemberStatus, RelationKind
from onewindow.bidding.models.tender import Tender, Venue


class Speciality(models.Model):
    code = models.SlugField(_("专业代码"), max_length=40, unique=True)
    name = models.CharField(_("专业"), max_length=100)

    class Meta:
        verbose_name = _("评标专业")
        verbose_name_plural = _("评标专业")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Expert(models.Model):
    """An entry of the (shared, cross-city) expert pool."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="expert_profile", verbose_name=_("账号"))
    organisation = models.CharField(_("工作单位"), max_length=200)
    organisation_uscc = models.CharField(_("单位统一社会信用代码"), max_length=18, blank=True,
                                         validators=[validate_uscc])
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("所在行政部门"))
    city = models.CharField(_("所在城市/区"), max_length=40)
    specialities = models.ManyToManyField(Speciality, related_name="experts",
                                          verbose_name=_("评标专业"))
    punished = models.BooleanField(_("曾因招标投标违法行为受过处罚"), default=False)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("评标专家")
        verbose_name_plural = _("评标专家")
        ordering = ["city", "pk"]

    def __str__(self):
        return str(self.user)


class ExpertRelation(models.Model):
    """A declared tie between an expert and an enterprise: grounds for avoidance (回避)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("关系类型"), max_length=16, choices=RelationKind.choices)
    party = models.CharField(_("关系单位"), max_length=200)
    party_uscc = models.CharField(_("关系单位统一社会信用代码"), max_length=18,
                                  validators=[validate_uscc])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("回避关系")
        verbose_name_plural = _("回避关系")

    def __str__(self):
        return f"{self.expert} — {self.party}（{self.get_kind_display()}）"


class CommitteeDraw(models.Model):
    """One random draw, recorded so that anyone can replay it from `seed` and `candidates`."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="draws")
    number = models.PositiveIntegerField(_("抽取序号"))
    is_replacement = models.BooleanField(_("补抽"), default=False)
    replaces = models.PositiveIntegerField(_("补抽替代的成员"), null=True, blank=True)
    seed = models.CharField(_("随机种子"), max_length=64)
    reason = models.TextField(_("重新抽取/补抽理由"), blank=True)
    needs = models.JSONField(_("各专业抽取人数"), default=dict, blank=True)
    seats = models.JSONField(_("各城市可用席位"), default=dict, blank=True)
    candidates = models.JSONField(_("候选专家"), default=list, blank=True)
    exclusions = models.JSONField(_("回避排除"), default=list, blank=True)
    drawn = models.JSONField(_("抽中专家"), default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("抽取时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家抽取记录")
        verbose_name_plural = _("专家抽取记录")
        ordering = ["tender", "number"]
        constraints = [models.UniqueConstraint(fields=["tender", "number"],
                                               name="bidding_draw_number_unique")]

    def __str__(self):
        return f"{self.tender.number} 第{self.number}次抽取"


class CommitteeMember(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="committee_seats", verbose_name=_("成员"))
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="seats")
    kind = models.CharField(_("身份"), max_length=16, choices=MemberKind.choices,
                            default=MemberKind.EXPERT)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="members",
                              verbose_name=_("评标场地"))
    speciality = models.ForeignKey(Speciality, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("抽取专业"))
    draw = models.ForeignKey(CommitteeDraw, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="members")
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices,
                              default=MemberStatus.INVITED)
    status_note = models.TextField(_("说明"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评标委员会成员")
        verbose_name_plural = _("评标委员会成员")
        ordering = ["tender", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["tender", "user"], condition=models.Q(status__in=sorted(SEATED_STATUSES)),
            name="bidding_member_seated_once")]

    def __str__(self):
        return str(self.user)


class ChairVote(models.Model):
    """Each member votes once; the first candidate with a majority of the seated members wins."""

    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="chair_votes")
    voter = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("主任推选票")
        verbose_name_plural = _("主任推选票")
        constraints = [models.UniqueConstraint(fields=["tender", "voter"],
                                               name="bidding_one_chair_vote")]

    def __str__(self):
        return f"{self.voter} → {self.candidate}"
