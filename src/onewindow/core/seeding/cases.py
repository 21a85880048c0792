"""A few demo cases, so that each workbench has something on it the first time it opens.

Made once, through the real services (so each is audited and numbered like any other), and
only when the demo users exist and no case exists yet: a second seed writes nothing, and a
zone that has real cases never gets demo ones.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from onewindow.accounts.models import User
from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.catalog.models import ServiceItem

FORM = {"title": "青岛启明智能科技产业园一期", "contact_name": "李明",
        "contact_phone": "13800000000", "address": "青岛高新区汇智桥路1号"}
# (item name, how far the demo takes it)
PLAN = [
    ("城镇污水排入排水管网许可证核发", "submitted"),
    ("城市建筑垃圾处置核准", "returned"),
    ("建筑工程施工许可证核发", "in_review"),
    ("建设工程消防设计审查", "delivered"),
]


def seed_demo_cases() -> int:
    """Returns how many cases were made (0 when there were cases already or no demo users)."""
    users = {u.username: u for u in User.objects.filter(
        username__in=["applicant", "clerk", "reviewer", "approver"])}
    if len(users) < 4 or Case.objects.exists():
        return 0
    made = 0
    for name, goal in PLAN:
        item = ServiceItem.objects.filter(name=name, is_published=True).first()
        if item is None:
            continue
        _advance(_submitted(item, users), goal, users)
        made += 1
    return made


def _submitted(item, users) -> Case:
    applicant = users["applicant"]
    enterprise = applicant.enterprises.first()
    case = services.case_create_draft(actor=applicant, item=item, enterprise=enterprise,
                                      form_data=FORM)
    for requirement in item.materials.filter(required=True):
        content = f"%PDF-1.4\n% demo: {requirement.name}\n".encode()
        digest = hashlib.sha256(content).hexdigest()
        services.material_record(actor=applicant, case=case, requirement=requirement, stored={
            "file": ContentFile(content, name=f"{digest}.pdf"), "original_name": "示例.pdf",
            "content_type": "application/pdf", "extension": "pdf", "size": len(content),
            "sha256": digest})
    return services.case_submit(actor=applicant, case_id=case.pk)


def _advance(case, goal: str, users) -> None:
    clerk, reviewer, approver = users["clerk"], users["reviewer"], users["approver"]
    if goal == "submitted":
        return
    services.case_claim(actor=clerk, case_id=case.pk)
    if goal == "returned":
        requirement = case.item.materials.filter(required=True).first()
        services.case_return(actor=clerk, case_id=case.pk,
                             items=[(requirement, "请加盖单位公章后重新上传")])
        return
    services.case_accept(actor=clerk, case_id=case.pk)
    if case.department_id != reviewer.department_id:
        return
    services.case_start_review(actor=reviewer, case_id=case.pk)
    if goal == "in_review":
        return
    services.case_review_step(actor=reviewer, case_id=case.pk, kind="review", outcome="agree",
                              opinion="材料齐全，符合法定条件，建议准予许可。")
    services.case_decide(actor=approver, case_id=case.pk, decision="approved")
    services.case_complete(actor=clerk, case_id=case.pk)
    services.case_deliver(actor=clerk, case_id=case.pk, method="download")
