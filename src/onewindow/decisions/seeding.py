"""The demo zone's decision table: 企业投资项目备案, decided in seconds (秒批秒办).

Data only, written through the services (audited). `seed_demo_tables` is idempotent: when
the table's newest published version already says this, it writes nothing.
"""

from __future__ import annotations

from django.db import transaction

from onewindow.catalog.models import ServiceItem
from onewindow.decisions import services
from onewindow.decisions.enums import HitPolicy
from onewindow.decisions.models import DecisionTable

PROJECT_FILING_CODE = "001005002000"  # basic code of 企业投资项目备案 in core/demo_data
LARGE_PROJECT = 100000  # 万元: ten hundred-million yuan and more, a person looks again
NOT_BLACKLISTED = ["!=", "blacklist"]
ALLOWED_POLICY = ["in", ["鼓励类", "允许类"]]

PROJECT_FILING = {
    "name": "企业投资项目备案秒批规则",
    "description": "《青岛高新区企业投资项目“秒批秒办”实施方案》：收件、受理、审核、决定合并为一个"
                   "环节。系统比对核准目录、产业政策和企业信用，符合条件的即时备案并出具备案证明。",
    "hit_policy": HitPolicy.UNIQUE,
    "inputs": [
        {"name": "信用状态", "source": "enterprise.credit_status"},
        {"name": "属于核准目录", "label": "项目属于《政府核准的投资项目目录》范围",
         "type": "boolean", "source": "form:in_approval_catalogue"},
        {"name": "产业政策类别", "label": "《产业结构调整指导目录》类别", "type": "enum",
         "choices": ["鼓励类", "允许类", "限制类", "淘汰类"], "source": "form:industry_policy"},
        {"name": "总投资", "label": "项目总投资（万元）", "type": "number",
         "source": "form:total_investment"},
    ],
    "rows": [
        {"when": {"信用状态": "blacklist"}, "outcome": "refer",
         "reason": "申请企业被列入失信黑名单，不适用秒批，转人工办理。"},
        {"when": {"信用状态": NOT_BLACKLISTED, "属于核准目录": True}, "outcome": "refer",
         "reason": "项目属于《政府核准的投资项目目录》范围，应申请项目核准，不适用备案。"},
        {"when": {"信用状态": NOT_BLACKLISTED, "属于核准目录": False,
                  "产业政策类别": ["in", ["限制类", "淘汰类"]]}, "outcome": "refer",
         "reason": "项目属于《产业结构调整指导目录》限制类或淘汰类，须人工核对是否符合产业政策。"},
        {"when": {"信用状态": NOT_BLACKLISTED, "属于核准目录": False,
                  "产业政策类别": ALLOWED_POLICY, "总投资": [[">", 0], ["<", LARGE_PROJECT]]},
         "outcome": "approve",
         "reason": "项目不属于核准目录，符合国家产业政策，企业信用正常，予以备案。"},
        {"when": {"信用状态": NOT_BLACKLISTED, "属于核准目录": False,
                  "产业政策类别": ALLOWED_POLICY, "总投资": [">=", LARGE_PROJECT]},
         "outcome": "refer", "reason": "项目总投资 10 亿元及以上，转人工核对项目信息。"},
    ],
}


@transaction.atomic
def seed_demo_tables(*, actor=None) -> int:
    """Publish the demo table of 企业投资项目备案 unless it is in force already.

    Returns the number of versions published (0 or 1; 0 also when the item is not seeded)."""
    item = ServiceItem.objects.filter(basic_code=PROJECT_FILING_CODE).first()
    if item is None:
        return 0
    spec = PROJECT_FILING
    table = DecisionTable.objects.filter(item=item).first() or services.table_create(
        actor=actor, item=item, name=spec["name"], description=spec["description"])
    current = table.versions.filter(published_at__isnull=False).order_by("-number").first()
    if current is not None and (current.hit_policy, current.inputs, current.rows) == (
            spec["hit_policy"], spec["inputs"], spec["rows"]):
        return 0
    version = services.version_create(actor=actor, table=table, hit_policy=spec["hit_policy"],
                                      inputs=spec["inputs"], rows=spec["rows"],
                                      note="演示数据")
    services.version_publish(actor=actor, version_id=version.pk)
    return 1


def demo_form_data(*, total_investment=3200, industry_policy="鼓励类",
                   in_approval_catalogue=False, **extra) -> dict:
    """An application form of 企业投资项目备案 that the demo table approves."""
    return {"title": "智能装备产业园二期项目", "contact_name": "李娜",
            "contact_phone": "13800000000", "address": "青岛高新区创新大道 1 号",
            "total_investment": total_investment, "industry_policy": industry_policy,
            "in_approval_catalogue": in_approval_catalogue, **extra}
