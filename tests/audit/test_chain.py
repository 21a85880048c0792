import pytest
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from onewindow.audit.models import AppendOnlyError, AuditEvent
from onewindow.audit.selectors import audit_verify
from onewindow.audit.services import audit_record
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(make_user):
    clerk = make_user(role="window_clerk")
    dept = DepartmentFactory()
    other = DepartmentFactory()
    return [
        audit_record(actor=clerk, action="create", obj=dept, new={"name": dept.name}),
        audit_record(actor=clerk, action="rename", obj=other, old={"name": "a"}, new={"name": "b"}),
        audit_record(actor=None, action="rename", obj=dept, old={"name": dept.name},
                     new={"name": "新名"}, note="系统任务"),
    ]


def test_audit_record_links_object_and_global_chains(events):
    first, second, third = events
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert third.prev_object_hash == first.hash  # same department, skipping the other one
    assert first.actor_role == "window_clerk"
    assert third.actor is None and third.actor_name == ""
    assert audit_verify() == (3, None)


def test_audit_event_change_through_orm_is_refused(events):
    event = events[0]
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3


def test_audit_event_change_through_sql_is_refused_by_trigger(events):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert audit_verify() == (3, None)


def _tamper(sql, params):
    """Simulate someone with database access who first drops the guard triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch user triggers off for the session.
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_audit_verify_names_first_edited_event(events):
    _tamper("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["改过", events[1].pk])
    checked, broken = audit_verify()
    assert checked == 1
    assert broken.event_id == events[1].pk
    assert "内容被修改" in broken.reason


def test_audit_verify_detects_deleted_event(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    _, broken = audit_verify()
    assert broken.event_id == events[2].pk


def test_audit_verify_detects_deleted_last_event(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    _, broken = audit_verify()
    assert broken.event_id == 0


def test_audit_verify_command_exits_nonzero_naming_event(events, capsys):
    call_command("audit", "verify")
    assert "3 events verified" in capsys.readouterr().out
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", events[0].pk])
    with pytest.raises(CommandError, match=f"event #{events[0].pk}"):
        call_command("audit", "verify")


def test_audit_admin_refuses_add_change_delete(events, make_user):
    request = RequestFactory().get("/")
    request.user = make_user(role="system_admin", is_superuser=True, is_staff=True)
    model_admin = site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, events[0])
    assert not model_admin.has_delete_permission(request, events[0])
