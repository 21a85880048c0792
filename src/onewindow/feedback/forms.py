from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.feedback.enums import CallOutcome, Level
from onewindow.feedback.services.ratings import COMMENT_MAX


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(label=_("您对本次服务的评价"), coerce=int,
                                   choices=Level.choices, widget=forms.RadioSelect,
                                   error_messages={"required": _("请选择评价等级。")})
    comment = forms.CharField(label=_("意见或建议"), required=False, max_length=COMMENT_MAX,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("选择“不满意”或“非常不满意”时请写明原因，"
                                          "责任部门将回访并整改。"))


class CallForm(forms.Form):
    called_at = forms.DateTimeField(label=_("回访时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                    initial=lambda: timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    outcome = forms.ChoiceField(label=_("回访结果"), choices=CallOutcome.choices)
    note = forms.CharField(label=_("回访记录"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("整改报告"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("写明问题原因、整改措施和整改结果。"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_("处理结果"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("申诉成立，退回责任部门重新整改")),
                                             ("no", _("申诉不成立，办结"))],
                                    widget=forms.RadioSelect)
    decision = forms.CharField(label=_("处理意见"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}))


class SurveyImportForm(forms.Form):
    month = forms.DateField(label=_("测评月份"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            error_messages={"invalid": _("请按“年-月”填写测评月份，如 2026-11。")})
    agency = forms.CharField(label=_("测评机构"), max_length=200)
    file = forms.FileField(label=_("测评结果文件（.xlsx）"))
