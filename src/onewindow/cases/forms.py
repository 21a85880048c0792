"""The applicant's forms: whom to apply as, the application form, one upload, withdrawal,
and tracking by query code."""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.enums import Role
from onewindow.accounts.selectors import active_authorisations, authorisation_scope_covers
from onewindow.catalog.enums import Audience
from onewindow.decisions.forms import application_fields
from onewindow.decisions.selectors import table_in_force

AS_PERSON = "person"
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MOBILE = RegexValidator(r"^1[3-9]\d{9}$", _("请填写 11 位中国大陆手机号码，例如 13812345678。"))


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


def applicable_enterprises(user, item) -> list:
    """The enterprises `user` may apply for: a member's own; for a help agent, those whose
    authorisation in force covers `item` (a bundle — no `pk` — needs one for all items)."""
    if user.role != Role.HELP_AGENT:
        return list(user.enterprises.order_by("name"))
    scope_item = item if getattr(item, "pk", None) else None
    found = {a.enterprise_id: a.enterprise for a in active_authorisations(agent=user)
             if authorisation_scope_covers(a, scope_item)}
    return sorted(found.values(), key=lambda e: e.name)


class ApplyForm(forms.Form):
    """Start an application: as which enterprise (or as oneself). The hidden key is made when
    the form is rendered, so that a double click or a resubmitted POST makes one draft."""

    applicant_as = forms.ChoiceField(label=_("申请主体"), widget=forms.RadioSelect)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, user, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprises = {str(e.pk): e for e in applicable_enterprises(user, item)}
        choices = [(pk, e.name) for pk, e in self.enterprises.items()]
        if item.audience != Audience.ENTERPRISE and user.role != Role.HELP_AGENT:
            choices.append((AS_PERSON, _("以个人身份申请")))
        self.fields["applicant_as"].choices = choices
        if len(choices) == 1:
            self.fields["applicant_as"].initial = choices[0][0]
        self.fields["idempotency_key"].initial = new_idempotency_key()

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["applicant_as"].choices)

    def clean_idempotency_key(self) -> str:
        key = self.cleaned_data["idempotency_key"]
        if not KEY_RE.match(key):
            raise forms.ValidationError(_("页面已过期，请刷新后重新提交。"))
        return key

    @property
    def enterprise(self):
        return self.enterprises.get(self.cleaned_data["applicant_as"])


class ApplicationForm(forms.Form):
    """The application form every item has (per-item forms come later). Its cleaned data is
    the case's `form_data`. A draft may be saved incomplete; a submission may not."""

    title = forms.CharField(label=_("项目名称/申请事由"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=11, validators=[MOBILE],
                                    help_text=_("手机号码，用于接收办理进度短信"))
    address = forms.CharField(label=_("地址"), max_length=200,
                              help_text=_("企业住所或项目地址，邮寄送达时也寄往此地址"))

    def __init__(self, *args, draft: bool = False, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            # What the item's instant-approval table reads is asked on the form (秒批).
            self.fields.update(application_fields(table_in_force(item.pk)))
        for field in self.fields.values():
            field.required = not draft


class UploadForm(forms.Form):
    file = forms.FileField(label=_("选择文件"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class TrackForm(forms.Form):
    number = forms.CharField(label=_("办件编号"), max_length=20,
                             help_text=_("例如 GX2026000123，见提交成功页面或短信"))
    query_code = forms.CharField(label=_("查询码"), max_length=8,
                                 help_text=_("6 位字母和数字，随办件编号一同告知"))


class CommitmentForm(forms.Form):
    """告知承诺: which of the replaceable materials the commitment stands in for, and the
    applicant's confirmation that they have read what they sign."""

    replaced = forms.TypedMultipleChoiceField(label=_("以承诺代替的材料"), coerce=int,
                                              widget=forms.CheckboxSelectMultiple)
    confirm = forms.BooleanField(label=_("本人已阅读并理解上述告知内容，自愿作出上述承诺。"))

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced"].choices = [(m.pk, m.name) for m in requirements]
        self.fields["replaced"].initial = [m.pk for m in requirements]


def application_form_problems(case) -> list[str]:
    """What the submit page would refuse in `case`'s saved form data (for the API's submit,
    which has no page): each field with its errors, "label（error）"."""
    data = {key: _as_posted(value) for key, value in (case.form_data or {}).items()}
    form = ApplicationForm(data=data, item=case.item)
    if form.is_valid():
        return []
    return [f"{form.fields[name].label if name in form.fields else name}（{'；'.join(errors)}）"
            for name, errors in form.errors.items()]


def _as_posted(value):
    # A yes/no answer is saved as true/false (its coerced value) and posted as "true"/"false".
    return ("true" if value else "false") if isinstance(value, bool) else value

