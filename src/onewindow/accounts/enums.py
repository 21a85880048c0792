from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    WINDOW_CLERK = "window_clerk", _("窗口人员")
    REVIEWER = "reviewer", _("部门审查人员")
    APPROVER = "approver", _("审批人")
    HELP_AGENT = "help_agent", _("帮办代办员")
    SUPERVISOR = "supervisor", _("督查人员")
    CATALOG_ADMIN = "catalog_admin", _("事项管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    EXPERT = "expert", _("评标专家")
    VENUE_OPERATOR = "venue_operator", _("评标场地管理员")


STAFF_ROLES = frozenset(
    {
        Role.WINDOW_CLERK,
        Role.REVIEWER,
        Role.APPROVER,
        Role.HELP_AGENT,
        Role.SUPERVISOR,
        Role.CATALOG_ADMIN,
        Role.SYSTEM_ADMIN,
        Role.VENUE_OPERATOR,
    }
)
# Roles that see a resident ID number in full (to check identity at the counter, to review).
RIC_FULL_VIEW_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SYSTEM_ADMIN}
)


class CreditStatus(models.TextChoices):
    GOOD = "good", _("守信")
    NORMAL = "normal", _("正常")
    WATCH = "watch", _("重点关注")
    BLACKLIST = "blacklist", _("失信黑名单")


class HallLevel(models.TextChoices):
    CENTER = "center", _("政务服务中心")
    HALL = "hall", _("一站式服务大厅")
    HELP_POINT = "help_point", _("帮办服务点")


class WindowKind(models.TextChoices):
    GENERAL = "general", _("综合受理窗口")
    SPECIALIST = "specialist", _("专业窗口")
    HELP = "help", _("一对一帮办窗口")
    SELF_SERVICE = "self_service", _("自助办理区")


class AuthorisationScope(models.TextChoices):
    ALL = "all", _("全部事项")
    DEPARTMENTS = "departments", _("指定部门的事项")
    ITEMS = "items", _("指定事项")


class VisitKind(models.TextChoices):
    VISIT = "visit", _("上门走访")
    PHONE = "phone", _("电话沟通")
    ONLINE = "online", _("线上沟通")
    HALL = "hall", _("大厅接待")


# Who files applications: an enterprise's people, and help agents for them (staff do not).
APPLICANT_ROLES = frozenset({Role.APPLICANT, Role.HELP_AGENT})
