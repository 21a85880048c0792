"""Two requests at the same moment (PostgreSQL row locks and the unique constraint)."""

import pytest
from django.db import connection
from django.utils import timezone

from onewindow.audit.selectors import audit_verify
from onewindow.feedback import services
from onewindow.feedback.enums import RectificationState as R
from onewindow.feedback.errors import IllegalMove
from onewindow.feedback.models import Rating, Rectification
from tests.cases.conftest import race


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_rating_double_submit_makes_one_rating_and_one_task(postgres_only, zone, rate):
    outcomes = race(lambda: rate(2, "排队太久"), lambda: rate(2, "排队太久"))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Rating.objects.count() == 1 and Rectification.objects.count() == 1
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_rectification_accept_and_return_race_one_wins(postgres_only, zone, bad_task):
    services.rectification_record_call(actor=zone.reviewer, task_id=bad_task.pk,
                                       called_at=timezone.now(), outcome="satisfied", note="x")
    services.rectification_submit_report(actor=zone.reviewer, task_id=bad_task.pk, report="y")
    outcomes = race(
        lambda: services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk),
        lambda: services.rectification_return(actor=zone.supervisor, task_id=bad_task.pk,
                                              reason="不够"))
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(losers) == 1 and isinstance(losers[0], IllegalMove)
    task = Rectification.objects.get()
    assert task.state in (R.ACCEPTED, R.RETURNED)
    assert (task.return_count == 1) == (task.state == R.RETURNED)
