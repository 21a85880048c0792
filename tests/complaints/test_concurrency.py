"""Two people act on one request at the same moment: exactly one wins (PostgreSQL row locks)."""

import pytest
from django.db import connection

from onewindow.audit.selectors import audit_verify
from onewindow.complaints import services
from onewindow.complaints.enums import RequestState
from onewindow.complaints.errors import IllegalTransition
from onewindow.complaints.models import ProgressNote
from tests.cases.conftest import race
from tests.complaints.conftest import reload
from tests.factories import UserFactory


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing for a row lock: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_request_accept_race_exactly_one_wins(postgres_only, zone, dispatched):
    colleague = UserFactory(username="colleague", role="approver", department=zone.lead)
    outcomes = race(
        lambda: services.request_accept(actor=zone.lead_staff, request_id=dispatched.pk),
        lambda: services.request_accept(actor=colleague, request_id=dispatched.pk))
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(losers) == 1 and isinstance(losers[0], IllegalTransition)
    assert reload(dispatched).state == RequestState.ACCEPTED
    assert ProgressNote.objects.filter(request=dispatched, action="accept").count() == 1
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_request_answer_and_send_back_race_one_outcome(postgres_only, zone, dispatched):
    outcomes = race(
        lambda: services.request_answer(actor=zone.lead_staff, request_id=dispatched.pk,
                                        text="已处理"),
        lambda: services.request_send_back(actor=zone.lead_staff, request_id=dispatched.pk,
                                           reason="非本局职责"))
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(winners) == 1
    request = reload(dispatched)
    assert request.state == winners[0].state
    assert (request.answer != "") == (request.state == RequestState.ANSWERED)


@pytest.mark.django_db(transaction=True)
def test_request_dispatch_race_one_round(postgres_only, zone, filed):
    other = UserFactory(username="dispatcher2", role="supervisor")
    outcomes = race(
        lambda: services.request_dispatch(actor=zone.dispatcher, request_id=filed.pk,
                                          lead=zone.lead),
        lambda: services.request_dispatch(actor=other, request_id=filed.pk, lead=zone.helper))
    assert sum(isinstance(o, IllegalTransition) for o in outcomes) == 1
    request = reload(filed)
    assert request.cycle == 1 and request.assignments.count() == 1
