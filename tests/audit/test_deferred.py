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


# --- rows written with the events (`insert_with_events`) -------------------------------------
def _messages(user, *texts):
    from onewindow.cases.models import Notification

    return [Notification(user=user, verb="test", title=text) for text in texts]


def test_insert_with_events_writes_the_rows_in_the_events_statement(make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onewindow.audit.services import insert_with_events
    from onewindow.cases.models import Notification

    dept, user = DepartmentFactory(), make_user()
    with CaptureQueriesContext(connection) as sent, transaction.atomic(), audit_deferred():
        audit_record(actor=None, action="told", obj=dept)
        first, second = _messages(user, "one", "two"), _messages(user, "three")
        insert_with_events(first)
        insert_with_events(second)
        if connection.vendor == "postgresql":  # held back with the event
            assert first[0].pk is None and not Notification.objects.exists()
    rows = first + second
    assert [n.pk for n in rows] == sorted(n.pk for n in rows) and None not in [n.pk for n in rows]
    assert list(Notification.objects.order_by("pk").values_list("pk", "title")) == [
        (n.pk, n.title) for n in rows]
    assert _actions(dept) == ["told"] and audit_verify()[1] is None
    inserts = [q["sql"] for q in sent.captured_queries
               if "INSERT INTO \"cases_notification\"" in q["sql"]]
    if connection.vendor == "postgresql":  # one statement for the event, the head and the rows
        [statement] = inserts
        assert statement.startswith("WITH e AS (INSERT INTO \"audit_auditevent\"")
    else:
        assert len(inserts) == 2


def test_insert_with_events_drops_the_rows_of_a_rolled_back_savepoint(make_user):
    from onewindow.audit.services import insert_with_events
    from onewindow.cases.models import Notification

    dept, user = DepartmentFactory(), make_user()
    with transaction.atomic(), audit_deferred():
        audit_record(actor=None, action="kept", obj=dept)
        insert_with_events(_messages(user, "kept"))
        try:
            with transaction.atomic():
                audit_record(actor=None, action="undone", obj=dept)
                insert_with_events(_messages(user, "undone"))
                raise IntegrityError("refused")
        except IntegrityError:
            pass
    assert list(Notification.objects.values_list("title", flat=True)) == ["kept"]
    assert _actions(dept) == ["kept"]


def test_insert_with_events_without_events_or_outside_a_block_writes_at_once(make_user):
    from onewindow.audit.services import insert_with_events
    from onewindow.cases.models import Notification

    user = make_user()
    alone = _messages(user, "alone")
    insert_with_events(alone)
    assert alone[0].pk is not None
    with transaction.atomic(), audit_deferred():
        no_event = _messages(user, "no event")
        insert_with_events(no_event)
    assert no_event[0].pk is not None
    assert Notification.objects.count() == 2
