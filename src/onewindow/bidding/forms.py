"""Forms of the staff pages. Each validates its input; `perform(actor=…, tender=…)` makes the
one service call, which decides whether the action is allowed now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.bidding import services
from onewindow.bidding.enums import Method, ProcurementKind, RecheckKind
from onewindow.bidding.models import Speciality, Tender, Venue

TEXT_MAX = 2000
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _text(label, *, required=True, rows=3):
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": rows}))


class TenderForm(forms.ModelForm):
    sub_venues = forms.ModelMultipleChoiceField(
        label=_("副场"), queryset=Venue.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    lots = forms.CharField(label=_("标包"), required=False,
                           help_text=_("每行一个标包名称；不分包可留空。"),
                           widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Tender
        fields = ["number", "title", "buyer", "kind", "method", "price_weight", "budget",
                  "is_complex", "committee_size", "buyer_reps", "recommend_count",
                  "trimmed_mean", "tie_on_exact", "main_venue", "evaluation_date"]
        widgets = {"evaluation_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.all()
        if not (user.is_superuser or user.role == "system_admin"):
            venues = venues.filter(operators=user)
        self.fields["main_venue"].queryset = venues
        self.fields["kind"].choices = ProcurementKind.choices
        self.fields["method"].choices = Method.choices
        self.initial.setdefault("evaluation_date", dt.date.today())

    def perform(self, *, actor) -> Tender:
        data = dict(self.cleaned_data)
        sub_venues = data.pop("sub_venues")
        lots = [line.strip() for line in data.pop("lots").splitlines() if line.strip()]
        main_venue = data.pop("main_venue")
        return services.tender_create(actor=actor, main_venue=main_venue,
                                      sub_venues=sub_venues, lots=lots, **data)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("评分因素"), max_length=100)
    min_points = forms.DecimalField(label=_("最低分"), max_digits=6, decimal_places=2,
                                    min_value=0, initial=Decimal("0"))
    max_points = forms.DecimalField(label=_("满分"), max_digits=6, decimal_places=2,
                                    min_value=0)
    description = _text(_("评分标准"), required=False, rows=2)

    def perform(self, *, actor, tender):
        return services.criterion_add(actor=actor, tender=tender, **self.cleaned_data)


class BidForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("标包"), queryset=None, empty_label=None)
    bidder = forms.CharField(label=_("投标人"), max_length=200)
    bidder_uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    price = forms.DecimalField(label=_("投标报价（元）"), max_digits=16, decimal_places=2,
                               min_value=Decimal("0.01"))
    document = forms.FileField(label=_("投标文件"), required=False,
                               help_text=_("登记时计算并保存文件的 SHA-256 值。"))

    def __init__(self, *args, tender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = tender.lots.all()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is not None and document.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("文件不能超过20MB。"))
        return document

    def perform(self, *, actor, tender):
        data = dict(self.cleaned_data)
        document = data.pop("document")
        documents = [(document.name, document.read())] if document is not None else []
        return services.bid_register(actor=actor, tender=tender, documents=documents, **data)


class DrawForm(forms.Form):
    """One count field per speciality, plus the reason (required for a second draw)."""

    reason = _text(_("重新抽取理由"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.specialities = list(Speciality.objects.order_by("code"))
        for speciality in self.specialities:
            self.fields[f"need_{speciality.code}"] = forms.IntegerField(
                label=speciality.name, min_value=0, max_value=99, initial=0, required=False)

    def needs(self) -> dict[str, int]:
        return {s.code: self.cleaned_data.get(f"need_{s.code}") or 0 for s in self.specialities}

    def perform(self, *, actor, tender):
        return services.committee_draw(actor=actor, tender=tender, needs=self.needs(),
                                       reason=self.cleaned_data["reason"])


class ReasonForm(forms.Form):
    reason = _text(_("理由"), rows=2)


class RecordingForm(forms.Form):
    venue = forms.ModelChoiceField(label=_("场地"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("文件名称"), max_length=200)
    file = forms.FileField(label=_("录音录像文件"), required=False)
    sha256 = forms.CharField(label=_("或填写 SHA-256"), required=False, max_length=64)
    size = forms.IntegerField(label=_("文件大小（字节）"), required=False, min_value=0)

    def __init__(self, *args, tender, user, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.filter(pk__in=[tender.main_venue_id,
                                              *tender.sub_venues.values_list("pk", flat=True)])
        self.fields["venue"].queryset = venues.filter(operators=user)

    def perform(self, *, actor, tender):
        data = self.cleaned_data
        upload = data.get("file")
        return services.recording_register(
            actor=actor, tender=tender, venue=data["venue"], name=data["name"],
            content=upload.read() if upload is not None else None,
            sha256=data.get("sha256") or "", size=data.get("size") or 0)


class RecheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=RecheckKind.choices)
    text = _text(_("内容"))

    def perform(self, *, actor, tender):
        return services.recheck_file(actor=actor, tender=tender, **self.cleaned_data)


class AnswerForm(forms.Form):
    answer = _text(_("处理结果"), rows=2)


class MemberAnswerForm(forms.Form):
    CHOICES = [("accept", _("确认参加，并声明与投标人无利害关系")), ("decline", _("不能参加")),
               ("conflict", _("申请回避（与投标人存在利害关系）"))]
    answer = forms.ChoiceField(label=_("答复"), choices=CHOICES, widget=forms.RadioSelect)
    reason = _text(_("理由"), required=False, rows=2)
