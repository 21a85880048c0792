"""Typed refusals of the guide, each with a Chinese message and an HTTP status."""

from django.utils.translation import gettext_lazy as _


class GuideError(Exception):
    status = 400

    def __init__(self, message=None):
        super().__init__(str(message or self.default_message))
        self.message = str(message or self.default_message)

    default_message = _("请求有误")


class RateLimited(GuideError):
    status = 429
    default_message = _("您提问太频繁了，请稍等一分钟再试。")


class AlreadyRated(GuideError):
    status = 409
    default_message = _("这次回答已经评价过了，谢谢！")
