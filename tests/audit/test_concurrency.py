import threading

import pytest
from django.db import connection, connections, transaction

from onewindow.audit.models import AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.audit.services import audit_deferred, audit_record
from tests.factories import DepartmentFactory


@pytest.mark.django_db(transaction=True)
def test_audit_record_concurrent_appends_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL")
    departments = [DepartmentFactory() for _ in range(4)]
    before = AuditEvent.objects.count()
    errors = []

    def append(dept):
        try:
            for i in range(10):
                audit_record(actor=None, action=f"touch{i}", obj=dept)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(d,)) for d in departments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit_verify() == (before + 40, None)


@pytest.mark.django_db(transaction=True)
def test_audit_deferred_concurrent_batches_keep_one_chain():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL")
    departments = [DepartmentFactory() for _ in range(4)]
    before = AuditEvent.objects.count()
    errors = []

    def append(dept, other):
        try:
            for i in range(5):
                with transaction.atomic(), audit_deferred():
                    audit_record(actor=None, action=f"first{i}", obj=dept)
                    audit_record(actor=None, action=f"shared{i}", obj=other)
                    audit_record(actor=None, action=f"second{i}", obj=dept)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    # Each batch also touches a department another thread batches: object chains interleave.
    threads = [threading.Thread(target=append, args=(d, departments[i - 1]))
               for i, d in enumerate(departments)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert audit_verify() == (before + 60, None)
