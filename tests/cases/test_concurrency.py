"""Two clerks act on one case at the same moment: exactly one wins (PostgreSQL row locks)."""

import pytest
from django.db import connection

from onewindow.audit.selectors import audit_verify
from onewindow.cases import services
from onewindow.cases.enums import CaseState
from onewindow.cases.errors import IllegalTransition
from tests.cases.conftest import race, reload, upload_all


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("two real connections racing for a row lock: run on PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_case_accept_race_exactly_one_clerk_wins(postgres_only, zone, submitted):
    outcomes = race(
        lambda: services.case_accept(actor=zone.clerk, case_id=submitted.pk),
        lambda: services.case_accept(actor=zone.clerk2, case_id=submitted.pk),
    )
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], IllegalTransition)
    assert "已受理" in losers[0].message
    case = reload(submitted)
    assert case.state == CaseState.ACCEPTED
    assert case.documents.count() == 1  # one acceptance notice, not two
    assert audit_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_case_return_and_accept_race_leave_one_consistent_outcome(postgres_only, zone,
                                                                   submitted):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    requirement = zone.item.materials.first()
    outcomes = race(
        lambda: services.case_accept(actor=zone.clerk, case_id=submitted.pk),
        lambda: services.case_return(actor=zone.clerk, case_id=submitted.pk,
                                     items=[(requirement, "不清晰")]),
    )
    assert sum(isinstance(o, Exception) for o in outcomes) == 1
    case = reload(submitted)
    if case.state == CaseState.ACCEPTED:
        assert not case.corrections.exists() and not case.pauses.exists()
    else:
        assert case.state == CaseState.RETURNED and case.accepted_on is None


@pytest.mark.django_db(transaction=True)
def test_submissions_at_the_same_moment_get_distinct_numbers(postgres_only, zone):
    drafts = [services.case_create_draft(actor=zone.applicant, item=zone.item) for _ in range(4)]
    for draft in drafts:
        upload_all(draft, zone.applicant)
    outcomes = race(*(lambda pk=d.pk: services.case_submit(actor=zone.applicant, case_id=pk)
                      for d in drafts))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    numbers = sorted(reload(d).number for d in drafts)
    assert len(set(numbers)) == 4
    assert [int(n[-6:]) for n in numbers] == list(range(int(numbers[0][-6:]),
                                                         int(numbers[0][-6:]) + 4))


@pytest.fixture
def year_without_sequence(postgres_only):
    """A year whose numbers no submission has taken yet, its sequence dropped after."""
    from onewindow.cases.models import CaseNumberSequence
    from onewindow.cases.services.applying import number_sequence_name

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SEQUENCE IF EXISTS {number_sequence_name(2031)}")
        CaseNumberSequence.objects.filter(year=2031).delete()

    drop()
    yield 2031
    drop()


@pytest.mark.django_db(transaction=True)
def test_first_numbers_of_a_year_taken_at_once_make_one_sequence(year_without_sequence):
    from django.db import transaction

    from onewindow.cases.services.applying import _next_number

    def take():
        with transaction.atomic():
            return _next_number(year_without_sequence)

    outcomes = race(*(take for _ in range(3)))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == ["GX2031000001", "GX2031000002", "GX2031000003"]


@pytest.mark.django_db(transaction=True)
def test_a_years_sequence_starts_after_the_numbers_its_row_gave(year_without_sequence):
    from django.db import transaction

    from onewindow.cases.models import CaseNumberSequence
    from onewindow.cases.services.applying import _next_number

    CaseNumberSequence.objects.create(year=year_without_sequence, last=41)  # before sequences
    with transaction.atomic():
        assert _next_number(year_without_sequence) == "GX2031000042"
    with transaction.atomic():  # rolled back: the number is not handed out again
        assert _next_number(year_without_sequence) == "GX2031000043"
        transaction.set_rollback(True)
    with transaction.atomic():
        assert _next_number(year_without_sequence) == "GX2031000044"


@pytest.mark.django_db(transaction=True)
def test_a_years_sequence_starts_after_the_years_highest_case_number(year_without_sequence,
                                                                    zone):
    """Cases loaded without their sequence (or a sequence dropped): numbering goes on after
    them, never into them."""
    from django.db import transaction

    from onewindow.cases.models import Case, CaseNumberSequence
    from onewindow.cases.services.applying import _next_number

    CaseNumberSequence.objects.create(year=year_without_sequence, last=3)  # stale
    Case.objects.create(item=zone.item, department=zone.item.department,
                        applicant=zone.applicant, filed_by=zone.applicant,
                        number="GX2031000057", state="submitted")
    Case.objects.create(item=zone.item, department=zone.item.department,
                        applicant=zone.applicant, filed_by=zone.applicant,
                        number="GX2030000999", state="submitted")  # another year
    with transaction.atomic():
        assert _next_number(year_without_sequence) == "GX2031000058"
