from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message; the same event may also go out by email or SMS (see notify.py)."""

    # No index of its own: the one on (user, read_at) serves lookups by user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", db_index=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notifications")
    verb = models.CharField(max_length=40)
    # Where the message points when it is not about a case (a request, a booking, a rating…).
    link = models.CharField(_("链接"), max_length=300, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class NotificationDelivery(models.Model):
    """An email or text message on its way out through one backend, until it is sent or given
    up: queued for the delivery worker (`ONEWINDOW_NOTIFY_QUEUE`), or kept after a backend
    failed to send it in the request. `onewindow cases deliver` and the clock job send what is
    due, again with backoff after a failure (`notify.send_due_deliveries`).

    Sent in the request (the default), only a failure makes a row: a message sent at once
    leaves none (its in-app notification is the record), so the path of every case move writes
    nothing more."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("已放弃")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries", db_index=False,
                                     verbose_name=_("消息"))  # the unique constraint leads
    backend = models.CharField(_("发送方式"), max_length=200)  # the backend's dotted path
    state = models.CharField(_("状态"), max_length=8, choices=State.choices,
                             default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"))
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息外发")
        verbose_name_plural = _("消息外发")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [models.UniqueConstraint(fields=["notification", "backend"],
                                               name="notification_delivery_once")]

    def __str__(self):
        return f"{self.backend.rsplit('.', 1)[-1]} #{self.notification_id}"
