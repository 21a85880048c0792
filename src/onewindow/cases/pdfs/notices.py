"""Notices before the decision: receipt, correction, (not) accepted, extension, suspension."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.cases.enums import DocumentKind, PauseKind, SpecialProcedure
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

NOT_ACCEPTED_REMEDY = gettext_lazy(
    "申请人对本不予受理决定不服的，可以自收到本通知书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。")
CLOCK_NOTE = gettext_lazy(
    "上述期限按工作日计算，不含法定节假日；申请人补正材料的时间，以及依法需要听证、"
    "检验、检测、鉴定和专家评审的时间，不计算在内。")


def _notice(case, kind: str, **kwargs) -> Content:
    label = str(DocumentKind(kind).label)
    return Content(title=label, issued_what=label, addressee=holder_name(case), **kwargs)


def _track_text(case) -> str:
    return _("可登录%(site)s（%(url)s）在“我的办件”中，或凭办件编号和查询码在“办件查询”中，"
             "随时查看办理进度。") % {"site": site_name(), "url": settings.SITE_URL}


def receipt(case, ctx: Context) -> Content:
    materials = case.materials.filter(superseded_at__isnull=True).select_related("requirement")
    return _notice(
        case, DocumentKind.RECEIPT,
        paragraphs=[_("您（单位）于%(day)s提交的“%(item)s”申请材料，本机关已收到。本机关将于"
                      "%(due)s前完成审查：材料齐全、符合法定形式的，予以受理；需要补正的，一次性"
                      "告知需要补正的全部内容。逾期不告知的，自收到申请材料之日起即为受理。")
                    % {"day": received_text(case, ctx.on), "item": case.item.name,
                       "due": cn_date(case.pre_review_due)}],
        facts=base_facts(case) + [(_("收件日期"), received_text(case, ctx.on)),
                                  (_("预审期限"), cn_date(case.pre_review_due)),
                                  (_("查询码"), case.query_code or "—")],
        item_headers=(_("材料名称"), _("文件")),
        items=[(m.requirement.name, m.original_name) for m in materials],
        closing=[_track_text(case)],
    )


def correction_notice(case, ctx: Context) -> Content:
    request = ctx.source
    items = [(i.subject, i.reason)
             for i in request.items.select_related("requirement").order_by("id")]
    paragraphs = [_("您（单位）于%(day)s提交的“%(item)s”申请，经审查，申请材料不齐全或者不符合"
                    "法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知需要"
                    "补正的全部内容（共%(n)s项）如下：")
                  % {"day": received_text(case, ctx.on), "item": case.item.name,
                     "n": len(items)}]
    closing = [_("说明：%(note)s") % {"note": request.note}] if request.note.strip() else []
    closing += [
        _("请按上述事项一次补正全部材料后重新提交：登录%(site)s（%(url)s），在“我的办件”中打开"
          "本办件（办件编号%(number)s），逐项更正或重新上传后点击“重新提交”；也可以携带补正材料到"
          "政务服务大厅窗口提交。补正后仍为同一办件，无需重新申请。")
        % {"site": site_name(), "url": settings.SITE_URL + reverse("cases:mine"),
           "number": case.number},
        _("自本告知书送达之日起至本机关收到全部补正材料之日止，为申请人补正材料的时间，"
          "不计算在本机关的办理时限内。"),
    ]
    return _notice(case, DocumentKind.CORRECTION_NOTICE, paragraphs=paragraphs,
                   facts=base_facts(case) + [(_("收件日期"), received_text(case, ctx.on)),
                                             (_("补正事项"), _("共%(n)s项") % {"n": len(items)})],
                   item_headers=(_("材料名称"), _("需要补正的内容及原因")), items=items,
                   closing=closing)


def acceptance_notice(case, ctx: Context) -> Content:
    facts = base_facts(case) + [
        (_("收件日期"), received_text(case, ctx.on)),
        (_("受理日期"), cn_date(case.accepted_on)),
        (_("法定办结时限"), working_days(case.legal_limit_days)),
        (_("法定办结期限"), cn_date(case.legal_due)),
        (_("承诺办结时限"), working_days(case.promised_limit_days)),
        (_("承诺办结期限"), cn_date(case.promised_due)),
    ]
    closing = [str(CLOCK_NOTE)]
    if case.due_provisional:
        closing.append(_("办结期限按暂定工作日历计算；国务院公布该年度节假日安排后，将重新计算并"
                         "告知。"))
    return _notice(case, DocumentKind.ACCEPTANCE_NOTICE, paragraphs=[_acceptance_text(case, ctx)],
                   facts=facts, closing=closing + [_track_text(case)])


def _acceptance_text(case, ctx: Context) -> str:
    values = {"day": received_text(case, ctx.on), "item": case.item.name}
    if case.deemed_accepted:
        return _("您（单位）于%(day)s提交的“%(item)s”申请，本机关未在收到申请材料之日起五个工作日"
                 "内告知需要补正的内容。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项"
                 "的规定，该申请自收到申请材料之日（%(day)s）起视为受理。") % values
    return _("您（单位）于%(day)s提交的“%(item)s”申请，申请材料齐全、符合法定形式。根据《中华人民"
             "共和国行政许可法》第三十二条的规定，本机关决定予以受理。") % values


def not_accepted_notice(case, ctx: Context) -> Content:
    paragraphs = [_("您（单位）于%(day)s提交的“%(item)s”申请，经审查，本机关决定不予受理，"
                    "理由如下：") % {"day": received_text(case, ctx.on), "item": case.item.name},
                  case.not_accepted_reason]
    facts = base_facts(case) + [(_("不予受理理由"), case.not_accepted_reason)]
    if case.competent_agency:
        paragraphs.append(_("根据《中华人民共和国行政许可法》第三十二条第一款第（二）项的规定，"
                            "请向有权机关“%(agency)s”提出申请。")
                          % {"agency": case.competent_agency})
        facts.append((_("有权机关"), case.competent_agency))
    return _notice(case, DocumentKind.NOT_ACCEPTED_NOTICE, paragraphs=paragraphs, facts=facts,
                   closing=[case.remedy_text or str(NOT_ACCEPTED_REMEDY)])


def extension_notice(case, ctx: Context) -> Content:
    values = {"item": case.item.name, "accepted": cn_date(case.accepted_on),
              "reason": case.extension_reason, "n": case.extension_days}
    paragraphs = [_("您（单位）申请的“%(item)s”，本机关已于%(accepted)s受理。因%(reason)s，不能在"
                    "法定期限内作出决定。根据《中华人民共和国行政许可法》第四十二条的规定，经本机关"
                    "负责人批准，办理期限延长%(n)s个工作日。") % values]
    facts = base_facts(case) + [
        (_("受理日期"), cn_date(case.accepted_on)),
        (_("延长理由"), case.extension_reason),
        (_("延长期限"), working_days(case.extension_days)),
        (_("延长后的法定办结时限"), working_days(case.limit_with_extension)),
        (_("延长后的法定办结期限"), cn_date(case.legal_due)),
    ]
    return _notice(case, DocumentKind.EXTENSION_NOTICE, paragraphs=paragraphs, facts=facts,
                   closing=[str(CLOCK_NOTE)])


def suspension_notice(case, ctx: Context) -> Content:
    pause = (case.pauses.filter(kind=PauseKind.SPECIAL_PROCEDURE)
             .order_by("-started_on", "-id").first())
    procedure = SpecialProcedure(pause.procedure).label if pause and pause.procedure else \
        SpecialProcedure.OTHER.label
    started = pause.started_on if pause else ctx.on
    reason = pause.reason if pause else ""
    values = {"item": case.item.name, "procedure": procedure, "day": cn_date(started)}
    paragraphs = [_("您（单位）申请的“%(item)s”，依法需要进行%(procedure)s。根据《中华人民共和国"
                    "行政许可法》第四十五条的规定，%(procedure)s所需时间不计算在办理期限内。办理期限"
                    "自%(day)s起暂停计算，%(procedure)s结束后恢复计算，本机关将告知调整后的办结"
                    "期限。") % values]
    facts = base_facts(case) + [(_("特别程序"), str(procedure)), (_("原因"), reason),
                                (_("暂停计时日期"), cn_date(started))]
    return _notice(case, DocumentKind.SUSPENSION_NOTICE, paragraphs=paragraphs, facts=facts,
                   closing=[_track_text(case)])
