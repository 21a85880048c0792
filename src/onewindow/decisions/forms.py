"""The dry-run form: one field per input of the table, every field optional (blank: the fact
is missing, as when a case lacks it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.decisions.engine import CompiledTable, InputSpec
from onewindow.decisions.engine.facts import FORM_PREFIX, FactInvalid, coerce, is_form_source
from onewindow.decisions.enums import InputType

NOT_GIVEN = ("", _("（不提供）"))


def _field(spec: InputSpec) -> forms.Field:
    label, help_text = spec.label, _("来源：%(source)s") % {"source": spec.source}
    common = {"label": label, "help_text": help_text, "required": False}
    if spec.type == InputType.NUMBER:
        return forms.DecimalField(**common)
    if spec.type == InputType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type == InputType.BOOLEAN:
        return forms.ChoiceField(choices=[NOT_GIVEN, ("true", _("是")), ("false", _("否"))],
                                 **common)
    if spec.type == InputType.ENUM:
        return forms.ChoiceField(choices=[NOT_GIVEN, *spec.choice_labels], **common)
    return forms.CharField(max_length=200, **common)


class SampleForm(forms.Form):
    def __init__(self, *args, table: CompiledTable, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = table
        for i, spec in enumerate(table.inputs):
            self.fields[f"input_{i}"] = _field(spec)

    def facts(self) -> dict[str, Any]:
        """Input name → typed value, read the way a case's values are read."""
        facts = {}
        for i, spec in enumerate(self.table.inputs):
            try:
                facts[spec.name] = coerce(self.cleaned_data.get(f"input_{i}"), spec.type,
                                          spec.choices)
            except FactInvalid:  # the form's own fields already refused what cannot be read
                facts[spec.name] = None
        return facts


# --- the applicant's side: what the table asks of the application form ---------------------
class _IsoDateField(forms.DateField):
    """A date kept in `form_data` (JSON) as ISO text."""

    def clean(self, value):
        day = super().clean(value)
        return day.isoformat() if day else None


class _YesNoField(forms.TypedChoiceField):
    """是/否 kept as a JSON boolean; a saved True/False shows as the radio it came from."""

    def prepare_value(self, value):
        return {True: "true", False: "false"}.get(value, value)


def _application_field(spec: InputSpec) -> forms.Field:
    common = {"label": spec.label, "required": True}
    if spec.type == InputType.NUMBER:
        # What an applicant states (an amount, an area, a count) is never below nothing.
        return forms.FloatField(min_value=0, **common)
    if spec.type == InputType.DATE:
        return _IsoDateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.type == InputType.BOOLEAN:
        return _YesNoField(choices=[("true", _("是")), ("false", _("否"))],
                           coerce=lambda v: v == "true", widget=forms.RadioSelect, **common)
    if spec.type == InputType.ENUM:
        return forms.ChoiceField(choices=[NOT_GIVEN, *spec.choice_labels], **common)
    return forms.CharField(max_length=200, **common)


def application_fields(table: CompiledTable | None) -> dict[str, forms.Field]:
    """The application-form fields that `table` reads (its ``form:`` inputs), by form key, with
    JSON-friendly cleaned values. An item's form adds them so that the applicant is asked
    exactly what the instant decision needs."""
    if table is None:
        return {}
    return {spec.source.removeprefix(FORM_PREFIX): _application_field(spec)
            for spec in table.inputs if is_form_source(spec.source)}
