"""Typed errors of appointments. Each carries a Chinese message for the user."""

from django.utils.translation import gettext as _


class AppointmentError(Exception):
    """Base: `message` is what the user reads; views and the API turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SlotFull(AppointmentError):
    status = 409

    def __init__(self):
        super().__init__(_("该时段已约满，请选择其他时段。"))


class BookingRefused(AppointmentError):
    """The booking rules forbid it (a duplicate, a block after no-shows, a past slot, …)."""

    status = 409


class IllegalMove(AppointmentError):
    status = 409

    def __init__(self, booking, action: str):
        super().__init__(_("预约当前状态为“%(state)s”，不能%(action)s。请刷新后查看。") % {
            "state": booking.get_state_display(), "action": action_label(action)})
        self.booking = booking
        self.action = action


class AppointmentForbidden(AppointmentError):
    status = 403


ACTION_LABELS = {
    "book": "预约", "change": "改约", "cancel": "取消预约", "check_in": "签到取号",
    "call": "叫号", "serve": "办结", "miss": "过号", "no_show": "记为爽约",
}


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))
