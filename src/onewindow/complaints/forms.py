"""Forms of the request pages. They validate input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.accounts.models import Department, Window
from onewindow.cases.selectors import visible_cases
from onewindow.catalog.models import ServiceItem
from onewindow.complaints.enums import Kind, LimitUnit, RequestState
from onewindow.complaints.models import Category
from onewindow.complaints.selectors import active_categories
from onewindow.feedback.selectors import ratings_of_user


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("诉求类型"), choices=Kind.choices)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none(),
                                      empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(label=_("诉求内容"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("请写明时间、地点、经过和您的诉求，不超过 4000 字。"))
    address = forms.CharField(label=_("地点"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)
    case = forms.ModelChoiceField(label=_("相关办件"), queryset=None, required=False,
                                  empty_label=_("（无）"))
    item = forms.ModelChoiceField(label=_("相关事项"), required=False, empty_label=_("（无）"),
                                  queryset=ServiceItem.objects.none())
    window = forms.ModelChoiceField(label=_("相关窗口"), required=False, empty_label=_("（无）"),
                                    queryset=Window.objects.none())
    rating = forms.ModelChoiceField(label=_("相关评价"), required=False, empty_label=_("（无）"),
                                    queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
        self.fields["item"].queryset = ServiceItem.objects.order_by("name").only("name")
        self.fields["window"].queryset = Window.objects.filter(is_active=True) \
            .select_related("hall")
        if user.is_authenticated and not user.is_staff_role:
            self.fields["case"].queryset = visible_cases(user, related=("item",)) \
                .exclude(state="draft").order_by("-pk")
            self.fields["rating"].queryset = ratings_of_user(user)
            for name in ("contact_name", "contact_phone"):
                self.fields[name].help_text = _("选填，默认使用账号中的联系方式。")
        else:
            del self.fields["case"]
            del self.fields["rating"]
            for name in ("contact_name", "contact_phone"):
                self.fields[name].required = True


class TrackForm(forms.Form):
    number = forms.CharField(label=_("诉求编号"), max_length=20)
    query_code = forms.CharField(label=_("查询码"), max_length=8)


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=4000, widget=forms.Textarea(
        attrs={"rows": 3}))


class DispatchForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("主办部门"), queryset=Department.objects.none())
    helpers = forms.ModelMultipleChoiceField(label=_("协办部门"), required=False,
                                             queryset=Department.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("派单说明"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        self.fields["lead"].queryset = departments
        self.fields["helpers"].queryset = departments


class ExtensionForm(forms.Form):
    amount = forms.IntegerField(label=_("延长时长"), min_value=1, max_value=60)
    unit = forms.ChoiceField(label=_("单位"), choices=LimitUnit.choices)
    reason = forms.CharField(label=_("理由"), max_length=1000)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审批"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("批准")), ("no", _("不批准"))])
    note = forms.CharField(label=_("意见"), required=False, max_length=1000)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("编号或标题"), required=False, max_length=50)
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部")), *RequestState.choices])
    kind = forms.ChoiceField(label=_("诉求类型"), required=False,
                             choices=[("", _("全部")), *Kind.choices])
    category = forms.ModelChoiceField(label=_("类别"), required=False, empty_label=_("全部"),
                                      queryset=Category.objects.all())
    overdue = forms.BooleanField(label=_("只看超期"), required=False)


class DispatcherFilterForm(QueueFilterForm):
    department = forms.ModelChoiceField(label=_("主办部门"), required=False,
                                        empty_label=_("全部"),
                                        queryset=Department.objects.filter(is_active=True))


class MetricsFilterForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
