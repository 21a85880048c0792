"""Help agents (帮办代办): authorised by an enterprise within a scope and a period, they file
and follow its cases; every action is theirs in the audit; expired or revoked, they are refused."""

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.accounts import services as accounts
from onewindow.accounts.errors import AuthorisationError, AuthorisationForbidden
from onewindow.accounts.models import AgentAuthorisation
from onewindow.audit.models import AuditEvent
from onewindow.cases import services
from onewindow.cases.errors import CaseForbidden
from onewindow.cases.models import Case
from onewindow.cases.selectors import case_get_for_user, visible_cases
from tests.cases.conftest import upload_all
from tests.factories import ServiceItemFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role="help_agent", last_name="吴", first_name="磊")


def grant(zone, agent, *, scope="all", days=30, **kwargs):
    return accounts.authorisation_grant(actor=zone.applicant, enterprise=zone.enterprise,
                                        agent=agent, scope=scope,
                                        expires_on=TODAY() + dt.timedelta(days=days), **kwargs)


def expire(authorisation):
    """Move an authorisation's period into the past (as time passing would)."""
    AgentAuthorisation.objects.filter(pk=authorisation.pk).update(
        valid_from=TODAY() - dt.timedelta(days=40), expires_on=TODAY() - dt.timedelta(days=1))


def test_agent_files_for_enterprise_within_authorisation(zone, agent):
    grant(zone, agent)
    case = services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    upload_all(case, agent)
    case = services.case_submit(actor=agent, case_id=case.pk)
    assert case.state == "submitted"
    assert case.filed_by == agent and case.applicant == zone.applicant
    events = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    submit = events.get(action="case_submit")
    assert submit.actor == agent and submit.actor_role == "help_agent"
    # The enterprise's own people follow the case the agent filed.
    assert case_get_for_user(user=zone.applicant, pk=case.pk) == case


def test_agent_without_authorisation_is_refused(zone, agent):
    with pytest.raises(CaseForbidden, match="没有该企业办理此事项的有效代办授权"):
        services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    assert not Case.objects.exists()


def test_agent_must_apply_in_an_enterprise_name(zone, agent):
    grant(zone, agent)
    with pytest.raises(CaseForbidden, match="须以所代办企业的名义"):
        services.case_create_draft(actor=agent, item=zone.item, enterprise=None)


def test_agent_with_expired_authorisation_is_refused_everything(zone, agent):
    authorisation = grant(zone, agent)
    case = services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    upload_all(case, agent)
    expire(authorisation)
    with pytest.raises(CaseForbidden):
        services.case_submit(actor=agent, case_id=case.pk)
    with pytest.raises(CaseForbidden):
        services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    assert not visible_cases(agent).exists()
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_agent_with_revoked_authorisation_loses_sight_of_cases(client, zone, agent, submitted):
    authorisation = grant(zone, agent)
    assert case_get_for_user(user=agent, pk=submitted.pk) == submitted
    accounts.authorisation_revoke(actor=zone.applicant, authorisation_id=authorisation.pk,
                                  reason="项目已办结")
    client.force_login(agent)
    assert client.get(f"/cases/{submitted.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="authorisation_revoke",
                                     object_id=str(authorisation.pk)).exists()


def test_agent_scope_items_covers_only_those_items(zone, agent):
    other_item = ServiceItemFactory(name="建设工程消防验收", department=zone.dept)
    grant(zone, agent, scope="items", items=[other_item])
    with pytest.raises(CaseForbidden):
        services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    case = services.case_create_draft(actor=agent, item=other_item, enterprise=zone.enterprise)
    assert case.filed_by == agent


def test_agent_scope_departments_covers_that_department(zone, agent):
    grant(zone, agent, scope="departments", departments=[zone.other])
    with pytest.raises(CaseForbidden):
        services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)
    grant(zone, agent, scope="departments", departments=[zone.dept])
    assert services.case_create_draft(actor=agent, item=zone.item, enterprise=zone.enterprise)


def test_agent_sees_only_cases_in_scope(zone, agent, submitted):
    grant(zone, agent, scope="departments", departments=[zone.other])
    assert not visible_cases(agent).exists()
    grant(zone, agent, scope="departments", departments=[zone.dept])
    assert list(visible_cases(agent)) == [submitted]


def test_grant_refused_to_non_member(zone, agent):
    with pytest.raises(AuthorisationForbidden):
        accounts.authorisation_grant(actor=zone.stranger, enterprise=zone.enterprise,
                                     agent=agent, scope="all",
                                     expires_on=TODAY() + dt.timedelta(days=3))
    assert not AgentAuthorisation.objects.exists()


@pytest.mark.parametrize("kwargs, message", [
    ({"days": -1}, "不能早于今天"),
    ({"days": 400}, "最长一年"),
    ({"scope": "items"}, "至少选择一个授权事项"),
    ({"scope": "departments"}, "至少选择一个授权部门"),
    ({"scope": "everything"}, "授权范围不正确"),
])
def test_grant_refuses_bad_period_or_scope(zone, agent, kwargs, message):
    with pytest.raises(AuthorisationError, match=message):
        grant(zone, agent, **kwargs)
    assert not AgentAuthorisation.objects.exists()


def test_grant_only_to_active_help_agent(zone):
    with pytest.raises(AuthorisationError, match="帮办代办员"):
        grant(zone, zone.clerk)


def test_revoke_twice_is_refused(zone, agent):
    authorisation = grant(zone, agent)
    accounts.authorisation_revoke(actor=zone.applicant, authorisation_id=authorisation.pk)
    with pytest.raises(AuthorisationError, match="已于"):
        accounts.authorisation_revoke(actor=zone.applicant, authorisation_id=authorisation.pk)


def test_revoke_by_stranger_is_refused(zone, agent):
    authorisation = grant(zone, agent)
    with pytest.raises(AuthorisationForbidden):
        accounts.authorisation_revoke(actor=zone.stranger, authorisation_id=authorisation.pk)
    assert AgentAuthorisation.objects.get(pk=authorisation.pk).revoked_at is None


def test_assign_needs_supervisor_and_is_unique(zone, agent):
    with pytest.raises(AuthorisationForbidden):
        accounts.agent_assign(actor=zone.clerk, agent=agent, enterprise=zone.enterprise)
    accounts.agent_assign(actor=zone.supervisor, agent=agent, enterprise=zone.enterprise,
                          plan="每月走访一次")
    with pytest.raises(AuthorisationError, match="已在为这家企业"):
        accounts.agent_assign(actor=zone.supervisor, agent=agent, enterprise=zone.enterprise)
    project = accounts.agent_assign(actor=zone.supervisor, agent=agent,
                                    enterprise=zone.enterprise, project_name="智能装备产业园")
    assert AuditEvent.objects.filter(action="agent_assign", object_id=str(project.pk)).exists()


def test_visit_only_for_served_enterprise(zone, agent):
    with pytest.raises(AuthorisationForbidden):
        accounts.agent_visit_record(actor=agent, enterprise=zone.enterprise,
                                    visited_on=TODAY(), subject="了解用地需求", kind="visit")
    accounts.agent_assign(actor=zone.supervisor, agent=agent, enterprise=zone.enterprise)
    visit = accounts.agent_visit_record(actor=agent, enterprise=zone.enterprise,
                                        visited_on=TODAY(), subject="了解用地需求",
                                        kind="visit")
    assert visit.agent == agent
    with pytest.raises(AuthorisationError, match="不能晚于今天"):
        accounts.agent_visit_record(actor=agent, enterprise=zone.enterprise,
                                    visited_on=TODAY() + dt.timedelta(days=1),
                                    subject="x", kind="visit")


# --- pages -----------------------------------------------------------------------------------
def test_agent_workbench_shows_enterprises_cases_and_visits(client, zone, agent, submitted):
    grant(zone, agent)
    accounts.agent_assign(actor=zone.supervisor, agent=agent, enterprise=zone.enterprise,
                          project_name="智能装备产业园", plan="一企一策：每月走访")
    client.force_login(agent)
    body = client.get("/agent/").content.decode()
    assert "代办工作台" in body and zone.enterprise.name in body
    assert "智能装备产业园" in body and "一企一策：每月走访" in body
    assert submitted.number in body and "有效" in body
    response = client.post("/agent/visits/", {
        "enterprise": zone.enterprise.pk, "kind": "phone", "visited_on": TODAY().isoformat(),
        "subject": "电话了解施工许可进度", "notes": "", "follow_up": "下周上门"},
        HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "电话了解施工许可进度" in response.content.decode()


def test_agent_workbench_refuses_other_roles(client, zone):
    client.force_login(zone.applicant)
    assert client.get("/agent/").status_code == 404


def test_agent_visit_form_errors_are_422(client, zone, agent):
    grant(zone, agent)
    client.force_login(agent)
    response = client.post("/agent/visits/", {"enterprise": zone.enterprise.pk, "kind": "visit",
                                              "visited_on": "", "subject": ""})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()


def test_authorisation_page_grants_and_revokes(client, zone, agent):
    client.force_login(zone.applicant)
    body = client.get("/accounts/authorisations/").content.decode()
    assert "还没有授权任何代办员" in body and "吴磊" in body
    expires = (TODAY() + dt.timedelta(days=90)).isoformat()
    response = client.post("/accounts/authorisations/", {
        "enterprise": zone.enterprise.pk, "agent": agent.pk, "scope": "all",
        "expires_on": expires})
    assert response.status_code == 302
    authorisation = AgentAuthorisation.objects.get()
    body = client.get("/accounts/authorisations/").content.decode()
    assert "有效" in body and expires in body
    client.post(f"/accounts/authorisations/{authorisation.pk}/revoke/", {"reason": "换人"})
    body = client.get("/accounts/authorisations/").content.decode()
    assert "已撤销" in body and "换人" in body


def test_authorisation_page_shows_refusal_in_chinese(client, zone, agent):
    client.force_login(zone.applicant)
    response = client.post("/accounts/authorisations/", {
        "enterprise": zone.enterprise.pk, "agent": agent.pk, "scope": "all",
        "expires_on": (TODAY() + dt.timedelta(days=500)).isoformat()})
    assert response.status_code == 422 and "一次授权最长一年" in response.content.decode()
    assert not AgentAuthorisation.objects.exists()


def test_apply_page_offers_authorised_enterprises_to_agent(client, zone, agent):
    client.force_login(agent)
    body = client.get(f"/cases/apply/{zone.item.pk}/").content.decode()
    assert zone.enterprise.name not in body
    grant(zone, agent)
    body = client.get(f"/cases/apply/{zone.item.pk}/").content.decode()
    assert zone.enterprise.name in body and "以个人身份申请" not in body


def test_assignments_page_for_supervisor_only(client, zone, agent):
    client.force_login(zone.clerk)
    assert client.get("/accounts/agents/").status_code == 404
    client.force_login(zone.supervisor)
    response = client.post("/accounts/agents/", {"agent": agent.pk,
                                                 "enterprise": zone.enterprise.pk,
                                                 "project_name": "", "plan": "季度走访"})
    assert response.status_code == 302
    body = client.get("/accounts/agents/").content.decode()
    assert "季度走访" in body and zone.enterprise.name in body


# --- API -------------------------------------------------------------------------------------
def test_api_agent_files_under_authorisation_and_is_refused_after_expiry(client, zone, agent):
    _token, key = accounts.api_token_create(actor=None, owner=agent, name="代办")
    headers = {"Authorization": f"Bearer {key}"}
    body = {"item_id": zone.item.pk, "enterprise_id": zone.enterprise.pk}
    refused = client.post("/api/cases/", body, content_type="application/json", headers=headers)
    assert refused.status_code == 403 and "代办授权" in refused.json()["detail"]
    authorisation = grant(zone, agent)
    created = client.post("/api/cases/", body, content_type="application/json",
                          headers=headers)
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert client.get(f"/api/cases/{case_id}/status", headers=headers).status_code == 200
    expire(authorisation)
    assert client.get(f"/api/cases/{case_id}/status", headers=headers).status_code == 404


def test_agent_without_authorisation_is_told_so_on_the_apply_page(client, zone, agent):
    from django.urls import reverse

    zone.item.online_depth = 4
    zone.item.save(update_fields=["online_depth"])
    client.force_login(agent)
    page = client.get(reverse("cases:apply", args=[zone.item.pk])).content.decode()
    assert "没有覆盖此事项的有效代办授权" in page and "还没有关联企业" not in page
