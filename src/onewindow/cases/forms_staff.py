"""Forms of the staff workbench: the queue filter, and one form per action on a case.

An action form validates its input and `perform(actor=…)` makes the one service call; the
service decides whether the action is lawful now (state, permission, claim) and raises a
`CaseError` with a Chinese message when it is not.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases import services
from onewindow.cases.enums import (
    DEFAULT_REMEDY,
    CaseState,
    ClockColour,
    Decision,
    DeliveryMethod,
    ReviewOutcome,
    ReviewStepKind,
    SpecialProcedure,
)
from onewindow.cases.errors import CaseInputError
from onewindow.cases.selectors_staff import (
    NO_CLOCK_FILTER,
    OVERSEER,
    QUEUE_STATES,
    queue_departments,
    queue_items,
)
from onewindow.cases.services import commitment, tolerance
from onewindow.cases.services.review import MAX_EXTENSION_DAYS

TEXT_MAX = 2000


def _text(label, *, required=True, rows=3, help_text="", max_length=TEXT_MAX, initial=None):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           help_text=help_text, initial=initial,
                           widget=forms.Textarea(attrs={"rows": rows}))


# --- the queue filter ------------------------------------------------------------------------

class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False)
    item = forms.ModelChoiceField(label=_("事项"), required=False, queryset=None,
                                  empty_label=_("全部事项"))
    colour = forms.ChoiceField(label=_("时限"), required=False,
                               choices=[("", _("全部")), *ClockColour.choices,
                                        (NO_CLOCK_FILTER, _("在申请人处"))])
    department = forms.ModelChoiceField(label=_("部门"), required=False, queryset=None,
                                        empty_label=_("全部部门"))

    def __init__(self, data, *, user, kind: str):
        super().__init__(data, auto_id="queue-%s")
        states = [(s, CaseState(s).label) for s in QUEUE_STATES[kind]]
        self.fields["state"].choices = [("", _("全部状态")), *states]
        self.fields["item"].queryset = queue_items(user)
        if kind == OVERSEER:
            self.fields["department"].queryset = queue_departments(user)
        else:
            del self.fields["department"]

    def filters(self) -> dict:
        """The valid filters (an invalid one is reported on the form and not applied)."""
        self.is_valid()
        names = ("state", "item", "colour", "department")
        return {name: self.cleaned_data[name] for name in names
                if self.cleaned_data.get(name) not in (None, "")}


# --- actions on a case -----------------------------------------------------------------------

class CaseActionForm(forms.Form):
    slug = ""

    def __init__(self, data=None, *, case, user):
        super().__init__(data, auto_id=f"{self.slug}-%s")
        self.case = case
        self.user = user

    def perform(self, *, actor):
        raise NotImplementedError


class ClaimForm(CaseActionForm):
    slug = "claim"

    def perform(self, *, actor):
        return services.case_claim(actor=actor, case_id=self.case.pk)


class ReturnForm(CaseActionForm):
    """Every fix at once: each material of the item may be ticked with its reason, and other
    fixes follow as free text, one a line."""

    slug = "return"
    extra = _text(_("其他需补正的内容"), required=False, rows=3,
                  help_text=_("不属于上列材料的问题，每行写一项。"))
    note = _text(_("补充说明"), required=False, rows=2,
                 help_text=_("印在一次性告知书上，申请人可见。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(self.case.item.materials.all())
        for req in self.requirements:
            self.fields[f"fix_{req.pk}"] = forms.BooleanField(label=req.name, required=False)
            self.fields[f"reason_{req.pk}"] = forms.CharField(
                label=_("需补正的内容"), required=False, max_length=TEXT_MAX)
        self.order_fields([f for req in self.requirements
                           for f in (f"fix_{req.pk}", f"reason_{req.pk}")])

    def material_rows(self):
        return [(req, self[f"fix_{req.pk}"], self[f"reason_{req.pk}"])
                for req in self.requirements]

    def extra_fields(self):
        return [self["extra"], self["note"]]

    def clean(self):
        data = super().clean()
        items = []
        for req in self.requirements:
            reason = (data.get(f"reason_{req.pk}") or "").strip()
            if data.get(f"fix_{req.pk}") and not reason:
                self.add_error(f"reason_{req.pk}", _("请写明该材料需要补正的内容。"))
            elif reason:
                items.append((req, reason))
        items += [(None, line.strip()) for line in (data.get("extra") or "").splitlines()
                  if line.strip()]
        if not items and not self.errors:
            raise forms.ValidationError(_("请至少列出一项需补正的内容，并一次告知全部问题。"))
        data["items"] = items
        return data

    def perform(self, *, actor):
        return services.case_return(actor=actor, case_id=self.case.pk,
                                    items=self.cleaned_data["items"],
                                    note=self.cleaned_data["note"])


# Stored as written (the model's default is "电话"); shown through gettext.
CHANNELS = [("电话", _("电话")), ("当面", _("当面")), ("短信", _("短信")),
            ("站内消息", _("站内消息")), ("电子邮件", _("电子邮件"))]


class OfferHelpForm(CaseActionForm):
    slug = "offer_help"
    reason_told = _text(_("告知申请人的原因"))
    help_offered = _text(_("提供的帮助"), help_text=_("例如：告知有权机关及其地址、协助准备材料。"))
    channel = forms.ChoiceField(label=_("告知方式"), choices=CHANNELS)
    applicant_response = _text(_("申请人意见"), required=False, rows=2)

    def perform(self, *, actor):
        return services.case_offer_help(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class NotAcceptForm(CaseActionForm):
    slug = "not_accept"
    reason = _text(_("不予受理的理由"))
    competent_agency = forms.CharField(
        label=_("有权机关"), required=False, max_length=200,
        help_text=_("不属于本机关职权范围的，写明应向哪个机关申请（行政许可法第三十二条）。"))

    def perform(self, *, actor):
        return services.case_not_accept(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class AcceptForm(CaseActionForm):
    slug = "accept"
    note = _text(_("受理意见"), required=False, rows=2)

    def perform(self, *, actor):
        return services.case_accept(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class StartReviewForm(CaseActionForm):
    slug = "start_review"

    def perform(self, *, actor):
        return services.case_start_review(actor=actor, case_id=self.case.pk)


class ReviewStepForm(CaseActionForm):
    slug = "review_step"
    kind = forms.ChoiceField(label=_("环节"), choices=ReviewStepKind.choices)
    outcome = forms.ChoiceField(label=_("意见"), choices=ReviewOutcome.choices,
                                widget=forms.RadioSelect, initial=ReviewOutcome.AGREE)
    opinion = _text(_("审查意见"), help_text=_("内部意见，申请人不可见。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user.has_perm("cases.decide", self.case):
            self.fields["kind"].initial = ReviewStepKind.APPROVE
            self.fields["opinion"].label = _("审查、审批意见")  # whichever step is chosen
        else:
            self.fields["kind"].choices = [(ReviewStepKind.REVIEW, ReviewStepKind.REVIEW.label)]

    def perform(self, *, actor):
        return services.case_review_step(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class SuspendForm(CaseActionForm):
    slug = "suspend"
    procedure = forms.ChoiceField(label=_("特别程序"), choices=SpecialProcedure.choices)
    reason = _text(_("原因"), help_text=_("特别程序所需时间不计入办理期限，须书面告知申请人"
                                         "（行政许可法第四十五条）。"))

    def perform(self, *, actor):
        return services.case_suspend(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class ResumeForm(CaseActionForm):
    slug = "resume"
    note = _text(_("说明"), required=False, rows=2)

    def perform(self, *, actor):
        return services.case_resume(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class ExtendForm(CaseActionForm):
    slug = "extend"
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=MAX_EXTENSION_DAYS,
                              help_text=_("只能延长一次，最多10个工作日（行政许可法第四十二条）。"))
    reason = _text(_("延长理由"), help_text=_("理由将告知申请人。"))

    def perform(self, *, actor):
        return services.case_extend(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class DecideForm(CaseActionForm):
    slug = "decide"
    decision = forms.ChoiceField(label=_("决定"), choices=Decision.choices,
                                 widget=forms.RadioSelect)
    reason = _text(_("决定理由"), required=False,
                   help_text=_("不予许可的，必须说明理由（行政许可法第三十八条）。理由写入决定书，"
                               "送达申请人。最近一条审查意见为“不同意”而拟准予许可的，请先填写"
                               "审批意见。"))
    remedy_text = _text(_("救济途径"), required=False, rows=3,
                        help_text=_("不予许可时告知申请人依法申请行政复议或提起行政诉讼的权利。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remedy_text"].initial = DEFAULT_REMEDY

    def perform(self, *, actor):
        data = self.cleaned_data
        remedy = data["remedy_text"] if data["decision"] == Decision.DENIED else ""
        return services.case_decide(actor=actor, case_id=self.case.pk,
                                    decision=data["decision"], reason=data["reason"],
                                    remedy_text=remedy)


class CompleteForm(CaseActionForm):
    slug = "complete"
    note = _text(_("说明"), required=False, rows=2)

    def perform(self, *, actor):
        return services.case_complete(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class DeliverForm(CaseActionForm):
    slug = "deliver"
    method = forms.ChoiceField(label=_("送达方式"), choices=DeliveryMethod.choices)
    address = forms.CharField(label=_("送达地址"), required=False, max_length=300,
                              help_text=_("邮寄送达时必填。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The address the applicant gave on the form (its field says mail goes there), else
        # the enterprise's registered one.
        given = (self.case.form_data or {}).get("address", "")
        self.fields["address"].initial = given or (
            self.case.enterprise.address if self.case.enterprise_id else "")

    def perform(self, *, actor):
        return services.case_deliver(actor=actor, case_id=self.case.pk, **self.cleaned_data)


class NoteForm(CaseActionForm):
    slug = "note"
    text = _text(_("内容"))
    internal = forms.BooleanField(label=_("内部意见（申请人不可见）"), required=False,
                                  initial=True)

    def perform(self, *, actor):
        return services.case_note_add(actor=actor, case_id=self.case.pk, **self.cleaned_data)


# --- tolerance (容缺受理) and commitment (告知承诺) ---------------------------------------------

class TolerancePledgePaperForm(CaseActionForm):
    """The clerk enters a tolerance pledge the applicant signed on paper at the counter."""

    slug = "tolerance_pledge"
    signer_name = forms.CharField(label=_("签字人"), max_length=100,
                                  help_text=_("在纸质容缺承诺书上签字的人员姓名（法定代表人或经办人）。"))
    signed_on = forms.DateField(label=_("签署日期"), widget=forms.DateInput(attrs={"type": "date"}))
    paper_reference = forms.CharField(label=_("存档号"), max_length=60, required=False)

    def perform(self, *, actor):
        return tolerance.tolerance_pledge_record(actor=actor, case_id=self.case.pk,
                                                 **self.cleaned_data)


class AcceptWithToleranceForm(CaseActionForm):
    """Tick the materials that may follow; only tolerable ones are accepted by the service,
    which names any other."""

    slug = "accept_with_tolerance"
    missing = forms.TypedMultipleChoiceField(label=_("容缺的材料"), coerce=int,
                                             widget=forms.CheckboxSelectMultiple)
    due = forms.DateField(label=_("补交期限"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}),
                          help_text=_("不填则为承诺办结期限；不能晚于承诺办结期限。"))
    note = _text(_("受理意见"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = [m for m in self.case.item.materials.all() if m.required]
        self.fields["missing"].choices = [
            (m.pk, f"{m.name}（{_('可容缺') if m.tolerance_allowed else _('不可容缺')}）")
            for m in required]
        # A date of its own for each tolerable material; blank: the date above.
        self.tolerable = [m for m in required if m.tolerance_allowed]
        for m in self.tolerable:
            self.fields[f"due_{m.pk}"] = forms.DateField(
                label=_("“%(name)s”的补交期限") % {"name": m.name}, required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text=_("不填则按上面的补交期限。"))
        self.order_fields(["missing", "due", *(f"due_{m.pk}" for m in self.tolerable), "note"])

    def perform(self, *, actor):
        data = self.cleaned_data
        dues = {m.pk: data[f"due_{m.pk}"] for m in self.tolerable if data.get(f"due_{m.pk}")}
        return tolerance.case_accept_with_tolerance(actor=actor, case_id=self.case.pk,
                                                    missing=data["missing"], due=data["due"],
                                                    dues=dues, note=data["note"])


class VerificationForm(CaseActionForm):
    """The department's check of a commitment after the approval."""

    slug = "verify"
    passed = forms.TypedChoiceField(
        label=_("核查结论"), widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", _("承诺属实")), ("no", _("承诺不实（撤销许可决定）"))])
    findings = _text(_("核查情况"), help_text=_("核查的方式、对象和结果。承诺不实的，许可决定及"
                                              "证照将被撤销，须由审批人记录。"))

    def perform(self, *, actor):
        task = commitment.open_verification_task(self.case)
        if task is None:
            raise CaseInputError(_("该办件没有待核查的告知承诺。"))
        return commitment.verification_complete(actor=actor, task_id=task.pk,
                                                **self.cleaned_data)
