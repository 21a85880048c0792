"""The status endpoint's lean read decides who may see a case on the row; `visible_cases`
decides it in the query. They must never disagree: checked for every kind of user against
drafts and submitted cases, own and others', in and out of each department."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from onewindow.accounts import services as accounts
from onewindow.cases import services
from onewindow.cases.models import ClockPause
from onewindow.cases.selectors import case_status_get_for_user, visible_cases
from tests.cases.conftest import upload_all
from tests.factories import EnterpriseFactory, ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def _may_see_by_row(user, case) -> bool:
    try:
        case_status_get_for_user(user=user, pk=case.pk)
    except Http404:
        return False
    return True


def test_status_read_agrees_with_visible_cases_for_everyone(zone):
    other_enterprise = EnterpriseFactory(name="青岛别家科技有限公司")
    zone.stranger.memberships.create(enterprise=other_enterprise)
    other_item = ServiceItemFactory(name="食品经营许可", department=zone.other)
    agent = UserFactory(username="agent", role="help_agent")
    accounts.authorisation_grant(actor=zone.applicant, enterprise=zone.enterprise, agent=agent,
                                 scope="all",
                                 expires_on=timezone.localdate() + dt.timedelta(days=30))
    lapsed_agent = UserFactory(username="agent2", role="help_agent")
    admin = UserFactory(username="admin", role="system_admin")

    cases = []
    for applicant, enterprise, item in [(zone.applicant, zone.enterprise, zone.item),
                                        (zone.stranger, other_enterprise, zone.item),
                                        (zone.stranger, other_enterprise, other_item)]:
        draft = services.case_create_draft(actor=applicant, item=item, enterprise=enterprise)
        cases.append(draft)
        submitted = services.case_create_draft(actor=applicant, item=item,
                                               enterprise=enterprise)
        upload_all(submitted, applicant)
        cases.append(services.case_submit(actor=applicant, case_id=submitted.pk))

    users = [zone.applicant, zone.stranger, zone.clerk, zone.reviewer, zone.approver,
             zone.other_reviewer, zone.supervisor, agent, lapsed_agent, admin]
    for user in users:
        by_query = set(visible_cases(user).filter(pk__in=[c.pk for c in cases])
                       .values_list("pk", flat=True))
        by_row = {c.pk for c in cases if _may_see_by_row(user, c)}
        assert by_row == by_query, user.username
    # Not vacuous: some see drafts, some see only what was submitted, some see nothing.
    assert _may_see_by_row(zone.applicant, cases[0]) and not _may_see_by_row(zone.clerk, cases[0])
    assert _may_see_by_row(zone.clerk, cases[1]) and not _may_see_by_row(zone.stranger, cases[1])
    assert not _may_see_by_row(lapsed_agent, cases[1]) and _may_see_by_row(agent, cases[1])


def test_status_read_missing_case_is_404(zone):
    with pytest.raises(Http404):
        case_status_get_for_user(user=zone.applicant, pk=987654)


def test_status_read_loads_pauses_only_when_there_are_some(zone, submitted,
                                                           django_assert_num_queries):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    with django_assert_num_queries(1):
        case = case_status_get_for_user(user=zone.applicant, pk=submitted.pk)
        assert list(case.pauses.all()) == []
    ClockPause.objects.create(case=submitted, kind="special_procedure", procedure="expert_review",
                              started_on=timezone.localdate(), reason="专家评审")
    with django_assert_num_queries(2):
        case = case_status_get_for_user(user=zone.applicant, pk=submitted.pk)
        assert len(case.pauses.all()) == 1
