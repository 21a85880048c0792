"""Ways a notification leaves the platform, besides the in-app inbox.

`settings.ONEWINDOW_NOTIFY_BACKENDS` lists dotted paths of classes with a `send(notification)`
method. Each is called after the commit of the change it reports (in the request, or by the
delivery worker when `ONEWINDOW_NOTIFY_QUEUE` is on); a backend that raises is logged and
skipped (see `notify.send_external`), so a dead mail server or SMS gateway never undoes or
blocks a case transition, and what it failed to send is kept and sent again
(`notify.send_due_deliveries`). A backend raises when a message could not go out; one
with nothing to send (a user without an address) returns.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("onewindow.notify")

DEFAULT_BACKENDS = ["onewindow.cases.notify_backends.ConsoleBackend"]


class NotifyBackend:
    """Base class: send one in-app `Notification` through another channel."""

    def send(self, notification) -> None:
        raise NotImplementedError


class ConsoleBackend(NotifyBackend):
    """The default: write one line per notification to the `onewindow.notify` log."""

    def send(self, notification) -> None:
        logger.info("notify user=%s case=%s verb=%s: %s %s", notification.user_id,
                    notification.case_id, notification.verb, notification.title,
                    notification.body)


class EmailBackend(NotifyBackend):
    """Email through Django's `send_mail` (EMAIL_* settings) to users who gave an address."""

    def send(self, notification) -> None:
        address = notification.user.email
        if not address:
            return
        body = f"{notification.body}\n\n{_('查看消息')}：{inbox_url()}"
        send_mail(subject=notification.title, message=body, from_email=None,
                  recipient_list=[address], fail_silently=False)


class SmsBackend(NotifyBackend):
    """A text message to the user's mobile number. Subclass it for a real gateway and
    implement `send_sms`; messages stay short and carry no personal data beyond the case."""

    signature = "【高新区政务服务】"

    def send(self, notification) -> None:
        phone = notification.user.phone
        if not phone:
            return
        self.send_sms(phone, f"{self.signature}{notification.title}：{notification.body}")

    def send_sms(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """A dummy gateway that logs what would be sent (development, demos, tests)."""

    def send_sms(self, phone: str, text: str) -> None:
        logger.info("sms to %s: %s", mask_phone(phone), text)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 11 else "****"


def inbox_url() -> str:
    return f"{settings.SITE_URL}{reverse('cases:notifications')}"


def backend_paths() -> list[str]:
    return getattr(settings, "ONEWINDOW_NOTIFY_BACKENDS", DEFAULT_BACKENDS)


def configured_backends() -> dict[str, NotifyBackend]:
    """A fresh instance of each configured backend by its dotted path (nothing is cached
    between calls)."""
    return {path: import_string(path)() for path in backend_paths()}
