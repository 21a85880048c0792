"""Two attempts on one submitted case at the same moment: one decision, one certificate."""

import pytest
from django.db import connection

from onewindow.cases import services as case_services
from onewindow.cases.enums import CaseState, DocumentKind
from onewindow.cases.services.instant import case_try_instant
from onewindow.decisions.models import DecisionRecord
from tests.cases.conftest import race, reload


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing for a row lock: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_instant_race_decides_once(postgres_only, filing, draft):
    case = case_services.case_submit(actor=filing.applicant, case_id=draft().pk)
    outcomes = race(lambda: case_try_instant(case_id=case.pk),
                    lambda: case_try_instant(case_id=case.pk))
    assert not any(isinstance(o, Exception) for o in outcomes)
    assert sum(o is not None and o.approved for o in outcomes) == 1
    case = reload(case)
    assert case.state == CaseState.COMPLETED
    assert case.documents.filter(kind=DocumentKind.CERTIFICATE).count() == 1
    assert DecisionRecord.objects.filter(case=case).count() == 1
