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
    Link(_("按部门"), "catalog:departments"),
    Link(_("一件事"), "catalog:bundles"),
    Link(_("办件查询"), "cases:track"),
]
WORKBENCH_ROLES = frozenset({Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR,
                             Role.HELP_AGENT, Role.SYSTEM_ADMIN})


def links_for(user) -> list[Link]:
    """The menu: the public links, then the user's own place to work."""
    if not user.is_authenticated:
        return PUBLIC_LINKS
    if user.role == Role.APPLICANT:
        return [*PUBLIC_LINKS, Link(_("我的办件"), "cases:mine")]
    if user.role in WORKBENCH_ROLES:
        return [*PUBLIC_LINKS, Link(_("工作台"), "cases:workbench")]
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
    Role.HELP_AGENT: Link(_("代办工作台"), "cases:workbench", _("代办和跟进的办件")),
    Role.SYSTEM_ADMIN: Link(_("督查工作台"), "cases:workbench", _("全部在办件，超期的排在最前")),
}

ROLE_TILES: dict[str, list[Link]] = {
    Role.APPLICANT: [
        Link(_("查找事项"), "catalog:index", _("按部门、主题或名称查找要办的事")),
        Link(_("一件事一次办"), "catalog:bundles", _("多个事项一表申请")),
        Link(_("个人信息"), "profile", _("账号与所属企业")),
    ],
    Role.CATALOG_ADMIN: [
        Link(_("事项管理"), "admin:catalog_serviceitem_changelist", _("维护事项、材料、一件事")),
        Link(_("Excel 导入"), "catalog:import", _("按模板批量导入事项")),
        Link(_("Excel 导出"), "catalog:export", _("导出全部事项")),
        Link(_("工作日历"), "admin:workdays_calendaryear_changelist", _("录入节假日安排")),
        Link(_("决策表"), "decisions:index", _("秒批规则：编辑、试算、发布")),
    ],
    Role.SYSTEM_ADMIN: [
        Link(_("后台管理"), "admin:index", _("用户、部门、大厅、窗口")),
        Link(_("审计日志"), "admin:audit_auditevent_changelist", _("全部操作留痕")),
        Link(_("工作日历"), "admin:workdays_calendaryear_changelist", _("录入节假日安排")),
    ],
}


def tiles_for(user) -> list[Link]:
    if not user.is_authenticated:
        return []
    tiles = ROLE_TILES.get(user.role, STAFF_DEFAULT_TILES if user.is_staff_role else [])
    workbench = WORKBENCH_TILES.get(user.role)
    return [workbench, *tiles] if workbench else tiles
