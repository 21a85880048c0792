from django import forms
from django.utils.translation import gettext_lazy as _


class SlotChoiceForm(forms.Form):
    slot = forms.IntegerField(min_value=1, error_messages={
        "required": _("请选择一个预约时段。"), "invalid": _("请选择一个预约时段。")})


class BookingIdForm(forms.Form):
    booking = forms.IntegerField(min_value=1, error_messages={
        "required": _("缺少预约编号。"), "invalid": _("预约编号有误。")})


class QueueActionForm(forms.Form):
    ACTIONS = [("check_in", _("签到取号")), ("call_next", _("叫号")), ("serve", _("办结")),
               ("miss", _("过号"))]
    action = forms.ChoiceField(choices=ACTIONS, error_messages={
        "required": _("缺少操作。"), "invalid_choice": _("未知的操作。")})
    booking = forms.IntegerField(min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") not in (None, "call_next") and not data.get("booking"):
            raise forms.ValidationError(_("缺少预约编号。"))
        return data
