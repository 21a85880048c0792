"""The applicant's forms for a bundle (一件事): whom to apply as, and the one form."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.cases.forms import ApplyForm
from onewindow.cases.selectors_bundles import OPTIONAL_FIELD, BundleFormSpec
from onewindow.catalog.enums import Audience


@dataclass(frozen=True)
class _Audience:
    audience: str


class BundleStartForm(ApplyForm):
    """As which enterprise (or as oneself); a person may apply only when no item of the
    bundle is for enterprises alone."""

    def __init__(self, *args, user, entries, **kwargs):
        enterprise_only = any(e.item.audience == Audience.ENTERPRISE for e in entries)
        audience = Audience.ENTERPRISE if enterprise_only else Audience.PERSON
        super().__init__(*args, user=user, item=_Audience(audience), **kwargs)


class BundleApplicationForm(forms.Form):
    """The one form: each field once, and the optional items to apply for as well. A draft may
    be saved incomplete; a submission may not."""

    def __init__(self, *args, spec: BundleFormSpec, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in spec.fields:
            field = copy.deepcopy(form_field.field)
            field.required = not draft and form_field.field.required
            self.fields[form_field.name] = field
        if spec.optional:
            self.fields[OPTIONAL_FIELD] = forms.TypedMultipleChoiceField(
                label=_("按需办理的事项"), required=False, coerce=int,
                widget=forms.CheckboxSelectMultiple,
                choices=[(e.item_id, e.item.name) for e in spec.optional],
                help_text=_("勾选需要一并办理的事项；保存草稿后，材料清单随之更新。"))
        self.spec = spec

    @property
    def field_rows(self) -> list[tuple]:
        """(bound field, how many of the chosen items ask it) for each application field."""
        return [(self[f.name], len(f.items)) for f in self.spec.fields]
