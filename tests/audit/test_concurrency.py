import threading

import pytest
from django.db import connection, connections, transaction

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.audit.services import audit_deferred, audit_record
from tests.factories import DepartmentFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="row-lock concurrency is exercised on PostgreSQL"),
]


def race(append, departments) -> int:
    """Run `append(dept, the previous dept)` in a thread per department at once, each with its
    own connection; returns the number of events the chain gained, after checking it."""
    before = AuditEvent.objects.count()
    errors = []

    def run(*args):
        try:
            append(*args)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(d, departments[i - 1]))
               for i, d in enumerate(departments)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    checked, broken = audit_verify()
    assert broken is None
    return checked - before


def test_audit_record_concurrent_appends_keep_one_chain():
    def append(dept, _other):
        for i in range(10):
            audit_record(actor=None, action=f"touch{i}", obj=dept)

    assert race(append, [DepartmentFactory() for _ in range(4)]) == 40


def test_audit_deferred_concurrent_batches_keep_one_chain():
    # Each batch also touches a department another thread batches: object chains interleave.
    def append(dept, other):
        for i in range(5):
            with transaction.atomic(), audit_deferred():
                audit_record(actor=None, action=f"first{i}", obj=dept)
                audit_record(actor=None, action=f"shared{i}", obj=other)
                audit_record(actor=None, action=f"second{i}", obj=dept)

    assert race(append, [DepartmentFactory() for _ in range(4)]) == 60
