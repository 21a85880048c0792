"""The dry-run pages: sample inputs, replay against real cases, who may see them."""

import re

import pytest
from django.urls import reverse

from onewindow.cases.enums import CaseState
from onewindow.cases.services.instant import case_submit_and_try_instant
from onewindow.decisions import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def dry_run_url(version, **params):
    url = reverse("decisions:dry_run", args=[version.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def sample(filing, client, **inputs):
    client.force_login(filing.catalog_admin)
    return client.get(dry_run_url(filing.version), {"sample": "1", **inputs})


def test_dry_run_page_lists_rows_and_sample_form(filing, client):
    client.force_login(filing.catalog_admin)
    body = client.get(dry_run_url(filing.version)).content.decode()
    assert "试算：企业投资项目备案秒批规则 第 1 版" in body
    assert "信用状态 = blacklist" in body and "总投资 &gt; 100000" not in body
    assert "总投资 &gt; 0 且 &lt; 100000" in body
    assert 'name="input_3"' in body and "项目总投资（万元）" in body
    assert "试算结果" not in body


def test_dry_run_sample_shows_outcome_row_and_reason(filing, client):
    body = sample(filing, client, input_0="normal", input_1="false", input_2="鼓励类",
                  input_3="3200").content.decode()
    assert "试算结果" in body and "准予（秒批）</span>" in body
    assert "第 4 行" in body
    assert "项目不属于核准目录，符合国家产业政策，企业信用正常，予以备案。" in body


def test_dry_run_sample_missing_input_refers_naming_it(filing, client):
    body = sample(filing, client, input_0="normal", input_1="false",
                  input_2="鼓励类").content.decode()
    assert "缺少判断所需的信息：项目总投资（万元），转人工办理。" in body


def test_dry_run_sample_htmx_answers_with_the_result_partial(filing, client):
    client.force_login(filing.catalog_admin)
    response = client.get(dry_run_url(filing.version), {"sample": "1", "input_0": "blacklist"},
                          HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="sample-result"')
    assert "申请企业被列入失信黑名单，不适用秒批，转人工办理。" in body and "<html" not in body


def test_dry_run_sample_bad_number_shown_as_form_error(filing, client):
    response = sample(filing, client, input_3="abc")
    assert response.status_code == 200
    assert "请改正上面标出的输入后再试算。" in response.content.decode()


def test_dry_run_replay_counts_rows_and_lists_changed_cases(filing, draft, client):
    approved = case_submit_and_try_instant(actor=filing.applicant, case_id=draft().pk)
    referred = case_submit_and_try_instant(actor=filing.applicant,
                                           case_id=draft(total_investment=200000).pk)
    assert (approved.state, referred.state) == (CaseState.COMPLETED, CaseState.SUBMITTED)
    stricter = [dict(r) for r in filing.version.rows]
    stricter[3]["when"] = {**stricter[3]["when"], "总投资": [[">", 0], ["<", 1000]]}
    stricter[4]["when"] = {**stricter[4]["when"], "总投资": [">=", 1000]}
    draft_version = services.version_create(actor=None, table=filing.version.table,
                                            hit_policy="unique",
                                            inputs=filing.version.inputs, rows=stricter)
    client.force_login(filing.catalog_admin)
    body = client.get(dry_run_url(draft_version, replay=1)).content.decode()
    assert "共试算 2 件" in body
    assert re.search(r"<td>第 5 行</td>\s*<td>转人工办理</td>\s*<td>2</td>", body)
    assert "结果将改变的办件：1 件" in body
    assert approved.number in body and referred.number not in body
    assert "准予（秒批）（第 1 版第 4 行）" in body


def test_dry_run_invalid_draft_lists_problems(filing, client):
    rows = [{"when": {"总投资": ["<", "一百"]}, "outcome": "approve", "reason": "x"}]
    bad = services.version_create(actor=None, table=filing.version.table, hit_policy="unique",
                                  inputs=filing.version.inputs, rows=rows)
    client.force_login(filing.catalog_admin)
    body = client.get(dry_run_url(bad)).content.decode()
    assert "该版本有 1 处问题，不能发布，也不能试算" in body
    assert "第1行：字段“总投资”是数字，不能与 &quot;一百&quot; 比较" in body


def test_decisions_index_lists_tables_and_versions(filing, client):
    client.force_login(filing.catalog_admin)
    body = client.get(reverse("decisions:index")).content.decode()
    assert "企业投资项目备案秒批规则" in body and "现行" in body
    assert dry_run_url(filing.version) in body


@pytest.mark.parametrize("role", ["applicant", "window_clerk", "supervisor"])
def test_dry_run_refused_to_other_roles(filing, client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(dry_run_url(filing.version)).status_code == 403
    assert client.get(reverse("decisions:index")).status_code == 403


def test_dry_run_visitor_sent_to_sign_in(filing, client):
    response = client.get(dry_run_url(filing.version))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_dry_run_system_admin_allowed_and_missing_version_404(filing, client):
    client.force_login(UserFactory(role="system_admin"))
    assert client.get(dry_run_url(filing.version)).status_code == 200
    assert client.get(reverse("decisions:dry_run", args=[999999])).status_code == 404
