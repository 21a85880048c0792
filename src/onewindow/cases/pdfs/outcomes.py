"""The outcome of a case: the decision letter and the certificate."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from onewindow.cases.enums import Decision
from onewindow.cases.pdfs.base import (
    Content,
    Context,
    base_facts,
    cn_date,
    holder_name,
    received_text,
)

LAW = "《中华人民共和国行政许可法》"


def result_name(case) -> str:
    """What an approval of the case's item issues (审批结果名称), or the item itself."""
    return case.item.result_name or case.item.name


def decision_letter(case, ctx: Context) -> Content:
    approved = case.decision == Decision.APPROVED
    title = _("准予行政许可决定书") if approved else _("不予行政许可决定书")
    facts = base_facts(case) + [(_("受理日期"), cn_date(case.accepted_on)),
                                (_("决定"), str(Decision(case.decision).label)),
                                (_("决定日期"), cn_date(ctx.on))]
    if approved:
        paragraphs, closing = _approval_text(case, ctx), []
    else:
        paragraphs, closing = _denial_text(case, ctx), [case.remedy_text]
        facts.append((_("不予许可理由"), case.decision_reason))
    return Content(title=title, issued_what=title, addressee=holder_name(case),
                   paragraphs=paragraphs, facts=facts, closing=closing)


def _opening(case, ctx: Context) -> str:
    return _("您（单位）于%(day)s提出的“%(item)s”申请，本机关已于%(accepted)s受理。") % {
        "day": received_text(case, ctx.on), "item": case.item.name,
        "accepted": cn_date(case.accepted_on)}


def _approval_text(case, ctx: Context) -> list[str]:
    text = [_opening(case, ctx) + _(
        "经审查，该申请符合法定条件、标准。根据%(law)s第三十八条第一款的规定，本机关决定准予"
        "行政许可，颁发“%(result)s”。") % {"law": LAW, "result": result_name(case)}]
    if case.decision_reason:
        text.append(_("审查意见：%(reason)s") % {"reason": case.decision_reason})
    return text


def _denial_text(case, ctx: Context) -> list[str]:
    return [_opening(case, ctx) + _("经审查，本机关决定不予行政许可，理由如下："),
            case.decision_reason,
            _("根据%(law)s第三十八条第二款的规定，特此告知。") % {"law": LAW}]


def certificate(case, ctx: Context) -> Content:
    title = result_name(case)
    valid_until = certificate_valid_until(ctx.on)
    facts = [(_("证照名称"), title), (_("证照编号"), ctx.number),
             (_("持证主体"), holder_name(case))]
    if case.enterprise_id and case.enterprise.uscc:
        facts.append((_("统一社会信用代码"), case.enterprise.uscc))
    facts += [(_("许可事项"), case.item.name), (_("发证机关"), case.department.name),
              (_("发证日期"), cn_date(ctx.on)), (_("有效期限"), validity_text(valid_until)),
              (_("办件编号"), case.number or "—")]
    text = _("持证主体申请的“%(item)s”，经审查符合法定条件、标准，准予行政许可，特发此证。") % {
        "item": case.item.name}
    return Content(title=title, issued_what=title, paragraphs=[text], facts=facts,
                   valid_until=valid_until)


def certificate_valid_until(issued_on: dt.date) -> dt.date | None:
    """`ONEWINDOW_CERTIFICATE_VALID_YEARS` after issue; unset (the default): long-term."""
    years = getattr(settings, "ONEWINDOW_CERTIFICATE_VALID_YEARS", None)
    if not years:
        return None
    try:
        end = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February, into a common year
        end = issued_on.replace(year=issued_on.year + years, day=28)
    return end - dt.timedelta(days=1)


def validity_text(valid_until: dt.date | None) -> str:
    if valid_until is None:
        return _("长期")
    return _("至%(day)s") % {"day": cn_date(valid_until)}
