"""The notices of 容缺受理 and 告知承诺: what is missing and by when; what the commitment replaced
and when the department will check it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from onewindow.cases.enums import DocumentKind, PledgeChannel
from onewindow.cases.pdfs.base import (
    Content,
    Context,
    base_facts,
    cn_date,
    holder_name,
    received_text,
    working_days,
)
from onewindow.core.context_processors import site_name


def tolerance_notice(case, ctx: Context) -> Content:
    """容缺受理告知书. `ctx.source` is the `TolerancePledge` the acceptance rests on."""
    pledge = ctx.source
    owed = list(pledge.materials.select_related("requirement").order_by("requirement__order",
                                                                         "id"))
    due = max(m.due for m in owed)
    values = {"day": received_text(case, ctx.on), "item": case.item.name,
              "signed": cn_date(pledge.signed_at), "n": len(owed)}
    paragraphs = [_("您（单位）于%(day)s提交的“%(item)s”申请，经审查，基本条件具备、主要申请材料"
                    "齐全，尚缺次要材料。根据您（单位）于%(signed)s签署的容缺受理承诺，本机关决定予以"
                    "容缺受理，并一次性告知需要补交的全部材料（共%(n)s项）、补交形式和期限如下：")
                  % values]
    facts = base_facts(case) + [
        (_("受理日期"), cn_date(case.accepted_on)),
        (_("补交期限"), cn_date(due)),
        (_("承诺办结期限"), cn_date(case.promised_due)),
        (_("法定办结期限"), cn_date(case.legal_due)),
        (_("容缺承诺"), _pledge_fact(pledge)),
    ]
    items = [(m.requirement.name, _("%(form)s；最迟于%(due)s补交")
              % {"form": m.form_text, "due": cn_date(m.due)}) for m in owed]
    closing = [
        _("补交方式：登录%(site)s（%(url)s），在“我的办件”中打开本办件逐项上传；需要提交纸质原件"
          "的，请携带原件到政务服务大厅窗口提交。")
        % {"site": site_name(), "url": settings.SITE_URL + reverse("cases:mine")},
        _("补齐全部材料前，本机关继续审查，但不作出行政许可决定。逾期未补交的后果：期限届满仍未"
          "补交全部材料的，本机关将按照您（单位）的承诺%(then)s；已作出行政许可决定的，"
          "依法撤销该决定。") % {"then": case.item.tolerance_lapse_consequence()},
    ]
    return Content(title=str(DocumentKind.TOLERANCE_NOTICE.label),
                   issued_what=_("容缺受理，限期补交材料%(n)s项") % {"n": len(owed)},
                   addressee=holder_name(case), paragraphs=paragraphs, facts=facts,
                   item_headers=(_("需补交的材料"), _("补交形式及期限")), items=items,
                   closing=closing)


def _pledge_fact(pledge) -> str:
    text = _("%(name)s于%(day)s签署（%(channel)s）") % {
        "name": pledge.signer_name, "day": cn_date(pledge.signed_at),
        "channel": PledgeChannel(pledge.channel).label}
    if pledge.paper_reference:
        text += _("，存档号%(ref)s") % {"ref": pledge.paper_reference}
    return text


def commitment(case, ctx: Context) -> Content:
    """告知承诺书, issued with an approval decided on the commitment. `ctx.source` is the
    `VerificationTask` that follows the approval."""
    task = ctx.source
    signed = task.commitment
    replaced = list(signed.replaced.order_by("order", "id"))
    values = {"item": case.item.name, "n": len(replaced), "due": cn_date(task.due),
              "days": working_days(task.limit_days)}
    paragraphs = [
        _("一、本机关告知：申请“%(item)s”，下列%(n)s项材料可以由申请人书面承诺代替提交。申请人承诺"
          "符合法定条件、标准的，本机关依据承诺作出行政许可决定，并在决定之日起%(days)s内"
          "（%(due)s前）对承诺内容进行核查。经核查承诺内容不属实的，本机关依法撤销行政许可"
          "决定，由此产生的后果由申请人承担。") % values,
        _("二、申请人承诺：") + signed.text,
    ]
    facts = base_facts(case) + [
        (_("承诺人"), holder_name(case)),
        (_("签署人"), str(signed.signed_by)),
        (_("签署时间"), cn_date(signed.signed_at)),
        (_("决定日期"), cn_date(ctx.on)),
        (_("核查期限"), cn_date(task.due)),
    ]
    items = [(r.name, _("以承诺代替提交，待核查")) for r in replaced]
    return Content(title=str(DocumentKind.COMMITMENT.label),
                   issued_what=_("以告知承诺方式准予许可，承诺内容待核查（%(due)s前）") % values,
                   addressee=holder_name(case), paragraphs=paragraphs, facts=facts,
                   item_headers=(_("以承诺代替的材料"), _("说明")), items=items)

