"""Typed errors of requests. Each carries a Chinese message; views and the API make it a 4xx."""

from django.utils.translation import gettext as _


class ComplaintError(Exception):
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(ComplaintError):
    """Not allowed from the request's current state (someone else may have acted first)."""

    status = 409

    def __init__(self, request, action: str):
        super().__init__(_("诉求 %(number)s 当前状态为“%(state)s”，不能执行“%(action)s”。"
                           "可能已有其他人处理，请刷新后查看。") % {
            "number": request.number, "state": request.get_state_display(),
            "action": action_label(action)})
        self.request = request
        self.action = action


class RequestForbidden(ComplaintError):
    status = 403


class RequestInputError(ComplaintError):
    status = 422


class CalendarGap(ComplaintError):
    status = 503


ACTION_LABELS = {
    "file": "提交诉求", "dispatch": "派单", "accept": "签收", "answer": "答复",
    "send_back": "退回重新派单", "reopen": "不满意重新办理", "close": "办结",
    "withdraw": "撤回", "dismiss": "不予受理", "helper_accept": "协办签收",
    "helper_opinion": "协办意见", "helper_return": "协办退回", "nudge": "催办",
    "extension_request": "申请延期", "extension_decide": "审批延期",
    "escalate_response": "响应超期督办", "escalate_closing": "办结超期督办",
}


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))
