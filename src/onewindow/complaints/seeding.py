"""The demo zone's complaints data; idempotent, called by `onewindow seed`.

Four requests through the real services, so each has its clocks, progress and audit trail:
one waiting for dispatch, one dispatched to housing (market helping), one answered (the
applicant can rate it and, if unsatisfied, reopen it), and one taken by phone by the clerk.
Each is marked by `external_id` ("demo-…") so a second run creates nothing.
"""

from __future__ import annotations

from onewindow.accounts.models import Department, User
from onewindow.complaints import services
from onewindow.complaints.enums import Channel, Kind
from onewindow.complaints.models import Category, ServiceRequest

DEMO = [
    ("demo-1", "applicant", Channel.WEB, Kind.COMPLAINT, "ordinary", "园区道路夜间施工噪音扰民",
     "火炬路东段夜间 22 点后仍在施工，噪音影响企业员工休息，请协调处理。", None),
    ("demo-2", "applicant", Channel.WEB, Kind.HELP, "complex", "厂房消防验收需多部门协调",
     "新建厂房的消防验收涉及住建和市场监管两个部门，希望协调一次性现场核查。", "dispatched"),
    ("demo-3", "applicant", Channel.WEB, Kind.CONSULTATION, "consultation",
     "施工许可需要提交哪些材料", "想了解建筑工程施工许可证核发需要的材料和办理时限。", "answered"),
    ("demo-4", "clerk", Channel.PHONE, Kind.SUGGESTION, "ordinary", "建议延长大厅周六服务时间",
     "来电建议周六延时服务延长到下午五点。", None),
]


def seed_demo_complaints() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["applicant", "clerk", "supervisor", "reviewer"])}
    departments = {d.code: d for d in Department.objects.filter(code__in=["housing", "market"])}
    if len(users) < 4 or len(departments) < 2:
        return 0
    made = 0
    for marker, filer, channel, kind, code, title, text, goal in DEMO:
        if ServiceRequest.objects.filter(external_id=marker).exists():
            continue
        category = Category.objects.filter(code=code).first()
        if category is None:
            continue
        contact = {"contact_name": "刘女士", "contact_phone": "13912345678"} \
            if channel == Channel.PHONE else {}
        request = services.request_file(actor=users[filer], category=category, kind=kind,
                                        title=title, description=text, channel=channel,
                                        external_id=marker, **contact)
        made += 1
        if goal:
            _advance(request, goal, users, departments)
    return made


def _advance(request, goal, users, departments) -> None:
    services.request_dispatch(actor=users["supervisor"], request_id=request.pk,
                              lead=departments["housing"], helpers=[departments["market"]])
    if goal == "answered":
        services.request_accept(actor=users["reviewer"], request_id=request.pk)
        services.request_answer(
            actor=users["reviewer"], request_id=request.pk,
            text="需提交：施工许可申请表、建设工程规划许可证、施工合同、安全施工措施资料。"
                 "承诺办理时限 2 个工作日，可在本平台“办事指南”在线申请。")
