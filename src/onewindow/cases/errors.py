"""Typed errors of the case lifecycle. Each carries a Chinese message for the user."""

from django.utils.translation import gettext as _


class CaseError(Exception):
    """Base: `message` is what the user reads; views and the API turn it into a 4xx."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(CaseError):
    """The action is not allowed from the case's current state (someone else may have acted)."""

    status = 409

    def __init__(self, case, action: str):
        super().__init__(_("办件 %(number)s 当前状态为“%(state)s”，不能执行“%(action)s”。"
                           "可能已有其他工作人员处理，请刷新后查看。") % {
            "number": case.number or _("草稿"), "state": case.get_state_display(),
            "action": action_label(action)})
        self.case = case
        self.action = action


class CaseForbidden(CaseError):
    """The actor may not do this to this case. Views show it as 404 when the actor may not
    even see the case, as 403 otherwise."""

    status = 403


class CalendarGap(CaseError):
    """A clock would run into a year whose holiday notice nobody has entered yet."""

    status = 503


class CaseBusy(CaseError):
    """Another action holds a case this one must change too; nothing was done: try again."""

    status = 409


class CaseInputError(CaseError):
    """Missing or wrong input for an allowed action (a denial without a reason, …)."""

    status = 422


ACTION_LABELS = {
    "submit": "提交", "start_pre_review": "开始预审", "return_for_correction": "退回补正",
    "not_accept": "不予受理", "accept": "受理", "deem_accepted": "逾期视为受理",
    "start_review": "开始审查", "suspend": "进入特别程序", "resume": "恢复审查",
    "decide": "作出决定", "complete": "办结", "deliver": "送达", "withdraw": "撤回",
    "extend": "延长期限", "offer_help": "先帮再办", "review_step": "审查意见",
    "accept_with_tolerance": "容缺受理", "terminate": "终止办理", "revoke": "撤销许可",
    "tolerance_pledge": "签署容缺承诺", "tolerance_material_received": "补交容缺材料",
    "tolerance_lapsed": "容缺材料逾期，终止办理",
    "tolerance_lapsed_revoke": "容缺材料逾期，撤销许可", "commitment_sign": "签署告知承诺",
    "verification_passed": "承诺核查属实", "verification_failed": "承诺核查不实，撤销许可",
    "verification_overdue": "承诺核查超期督办",
    "bundle_submit": "一表提交", "bundle_link": "归入一件事",
    "bundle_accept": "一件事开始计时（首个事项受理）", "bundle_start_review": "各部门并联审查",
    "bundle_decide": "各事项均已作出决定", "bundle_complete": "一件事办结",
    "bundle_deliver": "一件事送达", "bundle_terminate": "一件事终止办理",
    "bundle_extend": "延长一件事办理期限", "material_provided": "其他事项办出的证照作为材料提供",
    "instant_decide": "秒批（系统自动审批）", "instant_referred": "未能秒批，转人工办理",
    "deny_on_lapse": "容缺材料逾期，不予许可", "tolerance_lapsed_deny": "容缺材料逾期，不予许可",
    "bundle_clock_paused": "一件事计时暂停（各事项均在申请人处或特别程序中）",
    "bundle_clock_resumed": "一件事恢复计时", "bundle_clock_pause_ended": "一件事计时暂停结束",
}


def action_label(action: str) -> str:
    return _(ACTION_LABELS.get(action, action))
