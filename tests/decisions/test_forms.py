"""The application-form fields a table asks for, and the form data they give, decided."""

import json

import pytest
from django import forms

from onewindow.cases import services
from onewindow.cases.enums import CaseState
from onewindow.cases.services.instant import case_submit_and_try_instant
from onewindow.decisions import selectors
from onewindow.decisions.forms import application_fields
from tests.cases.conftest import upload_all

pytestmark = pytest.mark.django_db


def form_for(table, data):
    form = forms.Form(data)
    form.fields.update(application_fields(table))
    return form


def test_application_fields_ask_what_the_table_reads_from_the_form(filing):
    fields = application_fields(selectors.table_in_force(filing.item.pk))
    assert list(fields) == ["in_approval_catalogue", "industry_policy", "total_investment"]
    assert fields["total_investment"].label == "项目总投资（万元）"
    assert [c for c, _label in fields["industry_policy"].choices][1:] == [
        "鼓励类", "允许类", "限制类", "淘汰类"]
    assert application_fields(None) == {}


def test_application_fields_refuse_unreadable_answers(filing):
    form = form_for(selectors.table_in_force(filing.item.pk),
                    {"in_approval_catalogue": "maybe", "industry_policy": "鼓励类",
                     "total_investment": "三千"})
    assert not form.is_valid()
    assert set(form.errors) == {"in_approval_catalogue", "total_investment"}


@pytest.mark.parametrize("saved, checked", [(False, "false"), (True, "true")])
def test_application_fields_show_a_saved_yes_or_no_as_answered(filing, saved, checked):
    form = forms.Form(initial={"in_approval_catalogue": saved})
    form.fields.update(application_fields(selectors.table_in_force(filing.item.pk)))
    html = str(form["in_approval_catalogue"])
    assert f'value="{checked}" ' in html and "checked" in html
    chosen = html[html.index("checked") - 120:html.index("checked")]
    assert f'value="{checked}"' in chosen  # the saved answer is the one checked


def test_application_fields_refuse_a_negative_amount(filing):
    form = form_for(selectors.table_in_force(filing.item.pk),
                    {"in_approval_catalogue": "false", "industry_policy": "允许类",
                     "total_investment": "-5000"})
    assert not form.is_valid() and list(form.errors) == ["total_investment"]
    assert "0" in form.errors["total_investment"][0]


def test_application_fields_answers_approved_instantly(filing):
    form = form_for(selectors.table_in_force(filing.item.pk),
                    {"in_approval_catalogue": "false", "industry_policy": "允许类",
                     "total_investment": "880.5"})
    assert form.is_valid(), form.errors
    json.dumps(form.cleaned_data)  # form_data is JSON
    case = services.case_create_draft(actor=filing.applicant, item=filing.item,
                                      enterprise=filing.enterprise, form_data=form.cleaned_data)
    upload_all(case, filing.applicant)
    case = case_submit_and_try_instant(actor=filing.applicant, case_id=case.pk)
    assert case.state == CaseState.COMPLETED
