"""The menu and the home page's tiles for each role."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.enums import Role


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    hint: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


PUBLIC_LINKS = [
    Link(_("首页"), "home"),
    Link(_("办事指南"), "catalog:index"),
    Link(_("智能导办"), "guide:index"),
    Link(_("按部门"), "catalog:departments"),
    Link(_("一件事"), "catalog:bundles"),
    Link(_("办件查询"), "cases:track"),
    Link(_("我要诉求"), "complaints:new"),
    Link(_("标杆窗口"), "feedback:ranking"),
]
WORKBENCH_ROLES = frozenset({Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR,
                             Role.HELP_AGENT, Role.SYSTEM_ADMIN})


def links_for(user) -> list[Link]:
    """The menu: the public links, then the user's own place to work."""
    if not user.is_authenticated:
        return PUBLIC_LINKS
    if user.role == Role.APPLICANT:
        return [*PUBLIC_LINKS, Link(_("我的办件"), "cases:mine"),
                Link(_("我的预约"), "appointments:mine")]
    if user.role == Role.HELP_AGENT:
        return [*PUBLIC_LINKS, Link(_("代办工作台"), "cases:agent_workbench")]
    if user.role in WORKBENCH_ROLES:
        return [*PUBLIC_LINKS, Link(_("工作台"), "cases:workbench")]
    if user.role in (Role.EXPERT, Role.VENUE_OPERATOR):
        return [*PUBLIC_LINKS, Link(_("评标室"), "bidding:session_list")]
    return PUBLIC_LINKS

STAFF_DEFAULT_TILES = [
    Link(_("办事指南"), "catalog:index", _("事项的受理条件、材料和时限")),
    Link(_("个人信息"), "profile", _("账号与所属部门")),
]
WORKBENCH_TILES: dict[str, Link] = {
    Role.WINDOW_CLERK: Link(_("受理工作台"), "cases:workbench",
                            _("待预审、预审中、退回补正和已受理的办件")),
    Role.REVIEWER: Link(_("审查工作台"), "cases:workbench", _("流转到本部门的办件")),
    Role.APPROVER: Link(_("审批工作台"), "cases:workbench",
                        _("流转到本部门的办件：审批、延期、决定")),
    Role.SUPERVISOR: Link(_("督查工作台"), "cases:workbench", _("全部在办件，超期的排在最前")),
    Role.HELP_AGENT: Link(_("代办工作台"), "cases:agent_workbench",
                          _("服务企业的授权、在办件和时限、走访记录")),
    Role.SYSTEM_ADMIN: Link(_("督查工作台"), "cases:workbench", _("全部在办件，超期的排在最前")),
}

ROLE_TILES: dict[str, list[Link]] = {
    Role.REVIEWER: [Link(_("部门诉求"), "complaints:department",
                         _("派给本部门的诉求：签收、答复、退回")),
                    Link(_("差评整改"), "feedback:queue", _("本部门差评的回访和整改")),
                    *STAFF_DEFAULT_TILES],
    Role.APPROVER: [Link(_("部门诉求"), "complaints:department",
                         _("派给本部门的诉求：签收、答复、退回")),
                    Link(_("差评整改"), "feedback:queue", _("本部门差评的回访和整改")),
                    *STAFF_DEFAULT_TILES],
    Role.WINDOW_CLERK: [
        Link(_("叫号屏"), "appointments:queue", _("今日预约签到、叫号、办结")),
        Link(_("差评整改"), "feedback:queue", _("本部门差评的回访和整改")),
        *STAFF_DEFAULT_TILES,
    ],
    Role.SUPERVISOR: [
        Link(_("诉求派单"), "complaints:dispatch", _("有诉即办：派单、催办、延期审批、超期督办")),
        Link(_("诉求指标"), "complaints:metrics", _("各部门、各类别的响应率、按时办结率、满意率")),
        Link(_("帮办指派"), "agent_assignments", _("为企业和重大项目指派帮办代办员")),
        Link(_("差评整改审核"), "feedback:review", _("审核整改报告、处理申诉、督办超期")),
        Link(_("第三方测评"), "feedback:survey_import", _("导入测评结果，与标杆窗口排名并列")),
        *STAFF_DEFAULT_TILES,
    ],
    Role.APPLICANT: [
        Link(_("查找事项"), "catalog:index", _("按部门、主题或名称查找要办的事")),
        Link(_("智能导办"), "guide:index", _("用日常说法问要办什么事")),
        Link(_("一件事一次办"), "catalog:bundles", _("多个事项一表申请")),
        Link(_("我的预约"), "appointments:mine", _("预约到大厅窗口办理，当天签到取号")),
        Link(_("我的诉求"), "complaints:mine", _("咨询、投诉、建议的办理进度和答复")),
        Link(_("我的评价"), "feedback:mine", _("评价办件和服务，查看差评整改结果")),
        Link(_("代办授权"), "authorisations", _("授权帮办代办员以企业名义办理")),
        Link(_("个人信息"), "profile", _("账号与所属企业")),
    ],
    Role.CATALOG_ADMIN: [
        Link(_("事项管理"), "admin:catalog_serviceitem_changelist", _("维护事项、材料、一件事")),
        Link(_("Excel 导入"), "catalog:import", _("按模板批量导入事项")),
        Link(_("Excel 导出"), "catalog:export", _("导出全部事项")),
        Link(_("工作日历"), "admin:workdays_calendaryear_changelist", _("录入节假日安排")),
        Link(_("决策表"), "decisions:index", _("秒批规则：编辑、试算、发布")),
        Link(_("导办待改进问题"), "guide:review", _("没找到、没点击或差评的提问，补充同义词")),
    ],
    Role.EXPERT: [
        Link(_("评标室"), "bidding:session_list",
             _("远程异地评标：推选主任、符合性审查、打分、讨论、签署评标报告")),
        Link(_("评标邀请"), "bidding:invitations", _("确认是否参加评标，或申请回避")),
        Link(_("个人信息"), "profile", _("账号与所属单位")),
    ],
    Role.VENUE_OPERATOR: [
        Link(_("招标项目"), "bidding:tender_list",
             _("设置项目、登记投标、抽取专家、登记录音录像、处理投诉与复核")),
        Link(_("评标室"), "bidding:session_list", _("主场与副场的评标会场")),
        *STAFF_DEFAULT_TILES,
    ],
    Role.SYSTEM_ADMIN: [
        Link(_("后台管理"), "admin:index", _("用户、部门、大厅、窗口")),
        Link(_("审计日志"), "admin:audit_auditevent_changelist", _("全部操作留痕")),
        Link(_("远程异地评标"), "bidding:tender_list", _("招标项目、专家抽取、评标报告")),
        Link(_("工作日历"), "admin:workdays_calendaryear_changelist", _("录入节假日安排")),
    ],
}


def tiles_for(user) -> list[Link]:
    if not user.is_authenticated:
        return []
    tiles = ROLE_TILES.get(user.role, STAFF_DEFAULT_TILES if user.is_staff_role else [])
    workbench = WORKBENCH_TILES.get(user.role)
    return [workbench, *tiles] if workbench else tiles
