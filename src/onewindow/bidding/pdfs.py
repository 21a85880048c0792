"""The evaluation report as a PDF (评标报告): the tender, the committee, the compliance review,
the scores and ranking, the recommended candidates, each member's signature or dissent, the
main venue's countersignature, and a QR code of the public verification page.

Everything printed comes from the report's signed payload, so the PDF shows what was signed.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from onewindow.bidding.enums import Method
from onewindow.core.pdf import CONTENT_WIDTH, base_styles, build_pdf, grid_table, para, qr_image


def verify_url(report) -> str:
    return settings.SITE_URL + reverse("bidding:verify", kwargs={"code": report.code})


def report_pdf(report, *, verification: dict) -> bytes:
    tender = report.tender
    payload = json.loads(report.payload)
    s = base_styles()
    story = [para(_("评标报告"), s["title"]),
             para(f"{tender.number}　{tender.title}", s["body"]), Spacer(1, 4 * mm)]
    story += _facts(tender, report, s)
    story += _members(payload, s)
    for lot in payload["lots"]:
        story += _lot(tender, lot, s)
    story += _signatures(report, verification, s)
    story += _verification(report, s)
    return build_pdf(story, title=_("评标报告 %(number)s") % {"number": tender.number},
                     subject=tender.title, author=tender.main_venue.name,
                     footer=f"{tender.number} {_('评标报告')}")


def _facts(tender, report, s) -> list:
    rows = [
        (_("采购人"), tender.buyer),
        (_("采购类别 / 评标方法"), f"{tender.get_kind_display()} / {tender.get_method_display()}"),
        (_("预算金额"), _("%(amount)s 元") % {"amount": tender.budget}),
        (_("评标日期"), tender.evaluation_date.strftime("%Y-%m-%d")),
        (_("评标场地"), "、".join(
            [f"{tender.main_venue.name}（{_('主场')}）"]
            + [f"{v.name}（{_('副场')}）" for v in tender.sub_venues.all()])),
        (_("计分规则"), _rules(tender)),
        (_("报告摘要 SHA-256"), report.digest),
    ]
    table = grid_table([[para(k, s["cell"]), para(v, s["cell"])] for k, v in rows],
                       [40 * mm, CONTENT_WIDTH - 40 * mm], header=False)
    return [table, Spacer(1, 3 * mm)]


def _rules(tender) -> str:
    if tender.method == Method.LOWEST_PRICE:
        return _("通过符合性审查的投标按报价由低到高排序，报价相同者并列。")
    rule = _("价格分 = 评标基准价 / 投标报价 × %(weight)s；其余得分取各专家评分的算术平均值，"
             "保留两位小数（四舍五入）") % {"weight": tender.price_weight}
    if tender.trimmed_mean:
        rule += _("，去掉一个最高分和一个最低分")
    return rule + _("；总分相同时报价低者优先。")


def _members(payload, s) -> list:
    rows = [[para(h, s["cell"]) for h in (_("序号"), _("姓名"), _("身份"), _("评标场地"))]]
    kinds = {"expert": _("评审专家"), "buyer_rep": _("采购人代表")}
    for i, m in enumerate(payload["members"], start=1):
        rows.append([para(str(i), s["cell"]), para(m["name"], s["cell"]),
                     para(kinds.get(m["kind"], m["kind"]), s["cell"]),
                     para(m["venue"], s["cell"])])
    return [para(_("一、评标委员会"), s["h2"]),
            grid_table(rows, [14 * mm, 45 * mm, 35 * mm, CONTENT_WIDTH - 94 * mm], header=True)]


def _lot(tender, lot, s) -> list:
    head = [_("排名"), _("投标人"), _("投标报价（元）"), _("价格分"), _("其他得分"), _("总分"),
            _("符合性审查")]
    rows = [[para(h, s["cell"]) for h in head]]
    for r in lot["results"]:
        rank = "—" if r["rank"] is None else str(r["rank"]) + (_("（并列）") if r["tied"] else "")
        compliance = _("通过") if r["compliant"] else _("未通过：") + (r["reason"] or "")
        rows.append([para(x if x is not None else "—", s["cell"]) for x in (
            rank, r["bidder"], r["price"], r["price_score"], r["technical_score"], r["total"],
            compliance)])
    widths = [16 * mm, 42 * mm, 26 * mm, 16 * mm, 18 * mm, 16 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    by_id = {r["bid"]: r["bidder"] for r in lot["results"]}
    recommended = "；".join(f"{i}. {by_id[b]}" for i, b in enumerate(lot["recommended"], 1))
    return [para(_("二、评审结果：%(lot)s包 %(name)s") % {"lot": lot["lot"], "name": lot["name"]},
                 s["h2"]), grid_table(rows, widths, header=True), Spacer(1, 2 * mm),
            para(_("推荐中标候选人（按顺序）：%(list)s") % {
                "list": recommended or _("无（没有通过符合性审查的投标）")}, s["body"])]


def _signatures(report, verification, s) -> list:
    rows = [[para(h, s["cell"]) for h in (_("成员"), _("意见"), _("签名核验"), _("理由"))]]
    for sig in verification["signatures"]:
        rows.append([para(sig["member"], s["cell"]), para(sig["kind_label"], s["cell"]),
                     para(_("有效") if sig["valid"] else _("无效"), s["cell"]),
                     para(sig["reasons"] or "—", s["cell"])])
    story = [para(_("三、评标委员会成员签署"), s["h2"]),
             grid_table(rows, [40 * mm, 32 * mm, 22 * mm, CONTENT_WIDTH - 94 * mm], header=True),
             para(_("未签署也未写明不同意见及理由的成员，视为同意评标结论。"), s["small"])]
    if report.countersigned_at:
        story.append(para(_("主场确认：%(who)s，%(when)s，签名%(ok)s。") % {
            "who": report.countersigned_by, "when": report.countersigned_at.strftime(
                "%Y-%m-%d %H:%M"),
            "ok": _("有效") if verification["countersign_ok"] else _("无效")}, s["body"]))
    else:
        story.append(para(_("主场尚未确认。"), s["body"]))
    return story


def _verification(report, s) -> list:
    url = verify_url(report)
    text = [para(_("四、核验"), s["h2"]),
            para(_("扫描二维码或访问下列地址，可核验本报告全部签名及评分数据是否被改动："),
                 s["body"]),
            para(url, s["small"]), para(_("核验码：%(code)s") % {"code": report.code}, s["body"])]
    table = Table([[qr_image(url), text]], colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm])
    return [table]
