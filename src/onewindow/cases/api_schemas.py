"""Request and response shapes of the cases API (cases/api.py), and the next-step texts."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from onewindow.cases.enums import (
    CaseState,
    Decision,
    DeliveryMethod,
    ReviewOutcome,
    ReviewStepKind,
    SpecialProcedure,
)
from onewindow.cases.selectors_bundles import case_display_name

TEXT = 2000  # the longest reason, opinion or note the API takes

S = CaseState
# What happens next, as the applicant reads it and as the office reads it.
NEXT_STEPS = {
    S.DRAFT: (_("填写申请表、上传全部必要材料后提交申请。"), _("申请人尚未提交。")),
    S.SUBMITTED: (_("已提交，等待窗口预审（5个工作日内）。"), _("待窗口认领预审。")),
    S.PRE_REVIEW: (_("窗口正在预审。"),
                   _("预审：受理，或一次性告知退回补正，或先帮再办后不予受理。")),
    S.RETURNED: (_("请按一次性告知书补正全部材料后重新提交。"), _("等待申请人补正。")),
    S.NOT_ACCEPTED: (_("不予受理，请查看不予受理通知书。"), _("已不予受理，办理结束。")),
    S.ACCEPTED: (_("已受理，等待部门审查。"), _("待部门开始审查。")),
    S.ACCEPTED_WITH_TOLERANCE: (_("已容缺受理，请在承诺期限内补交材料。"),
                                _("待部门开始审查（容缺材料待补交）。")),
    S.IN_REVIEW: (_("部门审查中。"), _("审查、审批后作出决定。")),
    S.SUSPENDED: (_("特别程序进行中，所需时间不计入办理时限。"), _("特别程序结束后恢复审查。")),
    S.DECIDED: (_("已作出决定，请查看决定书。"), _("办结。")),
    S.COMPLETED: (_("已办结，等待送达。"), _("送达。")),
    S.DELIVERED: (_("已送达，办理结束。"), _("办理结束。")),
    S.WITHDRAWN: (_("申请已撤回。"), _("申请人已撤回，办理结束。")),
    S.TERMINATED: (_("已终止办理，请查看终止原因。"), _("已终止办理。")),
    S.REVOKED: (_("许可决定已撤销，请查看撤销原因。"), _("许可已撤销，办理结束。")),
}


def next_step(state: str, *, staff: bool) -> str:
    applicant_text, staff_text = NEXT_STEPS[state]
    return str(staff_text if staff else applicant_text)


# --- responses ----------------------------------------------------------------------------------
class ClockOut(Schema):
    name: str = Field(..., description="时限：pre_review 预审期限 | legal 法定时限 | "
                                       "promised 承诺时限")
    limit: int = Field(..., description="时限（工作日）")
    used: int = Field(..., description="已用工作日（首日不计，特别程序不计）")
    remaining: int = Field(..., description="剩余工作日")
    due: dt.date = Field(..., description="届满日期")
    colour: str = Field(..., description="green 正常 | yellow 临近期限 | red 已超期 | "
                                         "paused 计时暂停 | stopped 不计时")
    provisional: bool = Field(..., description="按暂定工作日历计算，国务院通知发布后重算")


class CaseStatusOut(Schema):
    number: str | None = Field(..., description="办件编号（提交后生成）")
    state: str = Field(..., description="状态代码")
    state_label: str = Field(..., description="状态")
    clocks: list[ClockOut]
    next_step: str = Field(..., description="下一步")


class CaseListOut(Schema):
    id: int
    number: str | None = Field(..., description="办件编号")
    title: str = Field(..., description="申请事项")
    item_id: int | None = Field(..., description="事项编号；一件事的主办件为空")
    item_name: str = Field("", description="事项名称；一件事的主办件为一件事名称")
    department: str = Field(..., alias="department.name", description="办理部门")
    enterprise_id: int | None
    state: str
    state_label: str = Field(..., alias="get_state_display")
    submitted_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_item_name(case) -> str:
        return case_display_name(case)


class RequirementOut(Schema):
    id: int = Field(..., description="材料编号（上传时用）")
    name: str
    required: bool
    file_types: list[str] = Field(..., description="可接受的文件类型")
    uploaded: bool = Field(..., description="是否已上传当前版本")


class MaterialOut(Schema):
    id: int
    requirement_id: int
    material: str = Field(..., description="材料名称")
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str = Field(..., description="文号")
    title: str
    issued_at: dt.datetime
    sha256: str
    verify_code: str = Field(..., description="核验码（二维码所指核验页）")
    revoked: bool
    url: str = Field(..., description="网页下载地址（登录会话）")
    api_url: str = Field(..., description="接口下载地址（令牌或会话）")


class CorrectionOut(Schema):
    requirement_id: int | None
    material: str
    reason: str = Field(..., description="需补正的内容")


class NoteOut(Schema):
    text: str
    internal: bool
    author: str
    at: dt.datetime


class EscalationOut(Schema):
    level: str = Field(..., description="warning 临期预警 | overdue 超期督办")
    clock: str
    due: dt.date
    at: dt.datetime


class CaseDetailOut(CaseListOut):
    query_code: str = Field(..., description="查询码：无账号者凭办件编号和查询码查询进度")
    form_data: dict
    received_on: dt.date | None
    pre_review_due: dt.date | None
    accepted_on: dt.date | None
    deemed_accepted: bool
    legal_limit_days: int | None
    promised_limit_days: int | None
    extension_days: int
    legal_due: dt.date | None
    promised_due: dt.date | None
    due_provisional: bool
    decision: str
    decision_reason: str
    remedy_text: str
    not_accepted_reason: str
    competent_agency: str
    delivery_method: str
    delivered_at: dt.datetime | None
    clocks: list[ClockOut]
    next_step: str
    requirements: list[RequirementOut]
    materials: list[MaterialOut] = Field(..., description="当前版本的材料")
    documents: list[DocumentOut]
    corrections: list[CorrectionOut] = Field(..., description="未完成的补正事项")
    notes: list[NoteOut] = Field(..., description="意见；内部意见仅工作人员可见")
    escalations: list[EscalationOut] = Field(..., description="预警督办（仅工作人员可见）")


# --- requests -----------------------------------------------------------------------------------
class CaseCreateIn(Schema):
    item_id: int = Field(..., description="事项编号")
    enterprise_id: int | None = Field(None, description="以该企业名义申请（须为其经办人）")
    form_data: dict = Field(default_factory=dict, description="申请表内容")


class CaseFilter(Schema):
    state: CaseState | None = Field(None, description="按状态筛选")


class NoteIn(Schema):
    note: str = Field("", max_length=TEXT, description="备注（记入审计）")


class SubmitIn(NoteIn):
    form_data: dict | None = Field(
        None, description="申请表内容：给出时先保存到草稿（同网页提交），再检查后提交")


class EmptyIn(Schema):
    pass


class WithdrawIn(Schema):
    reason: str = Field("", max_length=TEXT, description="撤回理由")


class ReturnItemIn(Schema):
    requirement_id: int | None = Field(None, description="材料编号；不针对某一材料时省略")
    reason: str = Field(..., max_length=TEXT, description="需补正的内容")


class ReturnIn(NoteIn):
    items: list[ReturnItemIn] = Field(..., min_length=1, description="一次告知全部补正事项")


class OfferHelpIn(Schema):
    reason_told: str = Field(..., max_length=TEXT, description="告知申请人的原因")
    help_offered: str = Field(..., max_length=TEXT, description="提供的帮助")
    channel: str = Field("电话", max_length=40, description="告知方式")
    applicant_response: str = Field("", max_length=TEXT, description="申请人意见")


class NotAcceptIn(Schema):
    reason: str = Field(..., max_length=TEXT, description="不予受理理由")
    competent_agency: str = Field("", max_length=200, description="有权机关（如已知）")


class ReviewStepIn(Schema):
    kind: ReviewStepKind = Field(..., description="review 审查 | approve 审批")
    outcome: ReviewOutcome = Field(..., description="agree 同意 | disagree 不同意")
    opinion: str = Field(..., max_length=TEXT, description="审查意见")


class SuspendIn(Schema):
    procedure: SpecialProcedure = Field(..., description="特别程序")
    reason: str = Field(..., max_length=TEXT, description="原因（书面告知申请人）")


class ExtendIn(Schema):
    days: int = Field(..., description="延长工作日（1至10，仅一次）")
    reason: str = Field(..., max_length=TEXT, description="延长理由")


class DecideIn(Schema):
    decision: Decision = Field(..., description="approved 准予许可 | denied 不予许可")
    reason: str = Field("", max_length=TEXT, description="理由（不予许可时必填）")
    remedy_text: str = Field("", max_length=TEXT,
                             description="救济途径（不予许可时默认为复议、诉讼告知）")


class DeliverIn(Schema):
    method: DeliveryMethod = Field(..., description="download 网上下载 | express 邮寄 | "
                                                    "pickup 窗口领取")
    address: str = Field("", max_length=300, description="邮寄地址")


class CaseNoteIn(Schema):
    text: str = Field(..., max_length=TEXT, description="意见内容")
    internal: bool = Field(True, description="内部意见（申请人不可见）")


# --- tolerance (容缺受理) and commitment (告知承诺) ---------------------------------------------
class TolerancePledgePaperIn(Schema):
    signer_name: str = Field(..., max_length=100, description="纸质容缺承诺书上的签字人")
    signed_on: dt.date = Field(..., description="签署日期")
    paper_reference: str = Field("", max_length=60, description="存档号")


class AcceptWithToleranceIn(NoteIn):
    missing: list[int] = Field(..., description="容缺的材料编号（须均为可容缺材料）")
    due: dt.date | None = Field(None, description="补交期限；省略为承诺办结期限，不能更晚")
    dues: dict[int, dt.date] | None = Field(
        None, description="个别材料的补交期限：材料编号 → 日期（同样不能晚于承诺办结期限）；"
                          "未列出的材料按 due")


class VerifyIn(Schema):
    passed: bool = Field(..., description="true 承诺属实 | false 承诺不实（撤销许可决定）")
    findings: str = Field(..., max_length=TEXT, description="核查情况")


class CommitmentIn(Schema):
    requirement_ids: list[int] | None = Field(
        None, description="以承诺代替的材料编号；省略为全部可告知承诺替代的材料")
