import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.enums import AuthorisationScope, Role, VisitKind
from onewindow.accounts.models import Department, Enterprise, User
from onewindow.catalog.models import ServiceItem


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
    }


class AuthorisationForm(forms.Form):
    """An enterprise member authorises a help agent (授权委托)."""

    enterprise = forms.ModelChoiceField(label=_("授权企业"), queryset=Enterprise.objects.none(),
                                        empty_label=None)
    agent = forms.ModelChoiceField(label=_("帮办代办员"), queryset=User.objects.none())
    scope = forms.ChoiceField(label=_("授权范围"), choices=AuthorisationScope.choices,
                              widget=forms.RadioSelect, initial=AuthorisationScope.ALL)
    departments = forms.ModelMultipleChoiceField(
        label=_("授权部门"), queryset=Department.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("授权范围为“指定部门的事项”时选择"))
    items = forms.ModelMultipleChoiceField(
        label=_("授权事项"), queryset=ServiceItem.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("授权范围为“指定事项”时选择，可按住 Ctrl 多选"))
    expires_on = forms.DateField(label=_("截止日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("最长一年；到期后代办员不能再以企业名义办理"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = user.enterprises.order_by("name")
        self.fields["agent"].queryset = User.objects.filter(
            role=Role.HELP_AGENT, is_active=True).order_by("last_name", "first_name")
        self.fields["items"].queryset = ServiceItem.objects.filter(is_published=True) \
            .select_related("department").order_by("department__order", "name")
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=180)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200, required=False)


class AssignmentForm(forms.Form):
    """A supervisor assigns a help agent to an enterprise or a project (一企一策)."""

    agent = forms.ModelChoiceField(label=_("帮办代办员"), queryset=User.objects.filter(
        role=Role.HELP_AGENT, is_active=True).order_by("last_name", "first_name"))
    enterprise = forms.ModelChoiceField(label=_("企业"),
                                        queryset=Enterprise.objects.order_by("name"))
    project_name = forms.CharField(label=_("项目"), max_length=200, required=False,
                                   help_text=_("为某个重大项目指派时填写"))
    plan = forms.CharField(label=_("服务方案（一企一策）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    """One entry of a help agent's visit log."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none(),
                                        empty_label=None)
    kind = forms.ChoiceField(label=_("方式"), choices=VisitKind.choices)
    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=_("事由"), max_length=200)
    notes = forms.CharField(label=_("情况记录"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(label=_("后续跟进"), max_length=200, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            pk__in=[e.pk for e in enterprises]).order_by("name")
        self.fields["visited_on"].initial = timezone.localdate()
