"""What the committee writes during the session: scores and discussion messages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.bidding.models.committee import CommitteeMember
from onewindow.bidding.models.tender import POINTS, Bid, Criterion, Tender


class Score(models.Model):
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("得分"), **POINTS)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        ordering = ["bid", "criterion", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "bid", "criterion"],
                                               name="bidding_one_score_per_cell")]

    def __str__(self):
        return f"{self.member} {self.bid} {self.criterion.name}: {self.points}"


class Message(models.Model):
    tender = models.ForeignKey(Tender, on_delete=models.PROTECT, related_name="messages")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    venue = models.ForeignKey("bidding.Venue", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("内容"), max_length=2000)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("讨论消息")
        verbose_name_plural = _("讨论消息")
        ordering = ["tender", "at", "pk"]

    def __str__(self):
        return f"{self.author}: {self.text[:30]}"
