"""`audit_deferred`: a block's events are appended together as it ends, and only those of
changes that stay in the transaction."""

import pytest
from django.db import IntegrityError, transaction

from onewindow.audit.models import GENESIS, AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.audit.services import audit_deferred, audit_record
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _actions(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


def test_audit_deferred_appends_the_block_in_order_as_it_ends():
    dept, other = DepartmentFactory(), DepartmentFactory()
    audit_record(actor=None, action="before", obj=dept)
    before = AuditEvent.objects.count()
    with transaction.atomic(), audit_deferred():
        audit_record(actor=None, action="one", obj=dept)
        audit_record(actor=None, action="two", obj=other)
        audit_record(actor=None, action="three", obj=dept)
        assert AuditEvent.objects.count() == before  # held back until the block ends
    assert _actions(dept) == ["before", "one", "three"]
    assert _actions(other) == ["two"]
    one, two, three = AuditEvent.objects.order_by("id")[before:]
    assert (two.prev_hash, three.prev_hash) == (one.hash, two.hash)
    assert three.prev_object_hash == one.hash and two.prev_object_hash == GENESIS
    assert audit_verify() == (before + 3, None)


def test_audit_deferred_drops_the_events_of_a_rolled_back_savepoint():
    dept = DepartmentFactory()
    with transaction.atomic(), audit_deferred():
        audit_record(actor=None, action="kept", obj=dept)
        try:
            with transaction.atomic():
                audit_record(actor=None, action="undone", obj=dept)
                raise IntegrityError("refused")
        except IntegrityError:
            pass
        audit_record(actor=None, action="after", obj=dept)
    assert _actions(dept) == ["kept", "after"]
    assert audit_verify()[1] is None


def test_audit_deferred_appends_when_a_caller_catches_the_error_and_commits():
    dept = DepartmentFactory()
    with transaction.atomic(), pytest.raises(ValueError), audit_deferred():
        audit_record(actor=None, action="done", obj=dept)
        raise ValueError("the block failed after its change")
    assert _actions(dept) == ["done"]


def test_audit_deferred_nested_blocks_append_when_the_outermost_ends():
    dept = DepartmentFactory()
    with transaction.atomic(), audit_deferred():
        with audit_deferred():
            audit_record(actor=None, action="inner", obj=dept)
        assert _actions(dept) == []
        audit_record(actor=None, action="outer", obj=dept)
    assert _actions(dept) == ["inner", "outer"]
    assert audit_verify()[1] is None


def test_audit_deferred_leaves_no_callback_behind(django_capture_on_commit_callbacks):
    dept = DepartmentFactory()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic(), \
            audit_deferred():
        audit_record(actor=None, action="one", obj=dept)
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_audit_deferred_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError), audit_deferred():
        pass
