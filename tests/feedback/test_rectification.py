import datetime as dt

import pytest
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.cases.models import Notification
from onewindow.feedback import services
from onewindow.feedback.enums import RectificationState as R
from onewindow.feedback.errors import Forbidden, IllegalMove, RectificationError
from onewindow.workdays.selectors import add_working_days


def call(zone, task, user=None, outcome="understood"):
    return services.rectification_record_call(
        actor=user or zone.reviewer, task_id=task.pk, called_at=timezone.now(),
        outcome=outcome, note="已电话联系申请人，说明原因并致歉")


def report(zone, task, user=None):
    return services.rectification_submit_report(
        actor=user or zone.reviewer, task_id=task.pk, report="窗口一次性告知清单已更新")


def test_rectification_full_path_send_back_then_accept(zone, bad_task):
    record = call(zone, bad_task)
    assert (record.called_by, record.outcome) == (zone.reviewer, "understood")
    assert report(zone, bad_task).state == R.SUBMITTED
    returned = services.rectification_return(actor=zone.supervisor, task_id=bad_task.pk,
                                             reason="未说明如何避免再次发生")
    assert (returned.state, returned.return_count) == (R.RETURNED, 1)
    assert report(zone, bad_task).state == R.SUBMITTED
    accepted = services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)
    assert accepted.state == R.ACCEPTED and accepted.reviewed_by == zone.supervisor
    actions = list(AuditEvent.objects.filter(object_type="feedback.rectification")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["rectification.open", "rectification.record_call",
                       "rectification.report", "rectification.return",
                       "rectification.report", "rectification.accept"]


def test_rectification_report_requires_a_follow_up_call(zone, bad_task):
    with pytest.raises(RectificationError, match="回访"):
        report(zone, bad_task)
    bad_task.refresh_from_db()
    assert bad_task.state == R.OPEN and bad_task.report == ""


def test_rectification_other_department_and_applicant_refused(zone, bad_task):
    with pytest.raises(Forbidden):
        call(zone, bad_task, user=zone.other_reviewer)
    with pytest.raises(Forbidden):
        call(zone, bad_task, user=zone.applicant)
    call(zone, bad_task)
    report(zone, bad_task)
    with pytest.raises(Forbidden):
        services.rectification_accept(actor=zone.reviewer, task_id=bad_task.pk)


def test_rectification_return_without_reason_refused(zone, bad_task):
    call(zone, bad_task)
    report(zone, bad_task)
    with pytest.raises(RectificationError, match="理由"):
        services.rectification_return(actor=zone.supervisor, task_id=bad_task.pk, reason=" ")
    bad_task.refresh_from_db()
    assert bad_task.state == R.SUBMITTED


def test_rectification_accept_twice_is_illegal(zone, bad_task):
    call(zone, bad_task)
    report(zone, bad_task)
    services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)
    with pytest.raises(IllegalMove, match="整改通过"):
        services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)


def test_rectification_call_in_the_future_refused(zone, bad_task):
    with pytest.raises(RectificationError, match="晚于"):
        services.rectification_record_call(
            actor=zone.reviewer, task_id=bad_task.pk, outcome="satisfied", note="x",
            called_at=timezone.now() + dt.timedelta(days=1))


@pytest.fixture
def accepted(zone, bad_task):
    call(zone, bad_task)
    report(zone, bad_task)
    return services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)


def test_appeal_upheld_reopens_with_new_deadline(zone, accepted):
    appealed = services.rectification_appeal(actor=zone.applicant, task_id=accepted.pk,
                                             reason="问题依旧")
    assert appealed.state == R.APPEALED
    upheld = services.rectification_decide_appeal(actor=zone.supervisor, task_id=accepted.pk,
                                                  upheld=True, decision="请重新回访")
    assert upheld.state == R.RETURNED and upheld.appeal_upheld is True
    assert upheld.due_on == add_working_days(timezone.localdate(), 15).date


def test_appeal_dismissed_closes(zone, accepted):
    services.rectification_appeal(actor=zone.applicant, task_id=accepted.pk, reason="不服")
    closed = services.rectification_decide_appeal(actor=zone.supervisor, task_id=accepted.pk,
                                                  upheld=False, decision="整改已到位")
    assert closed.state == R.CLOSED and closed.appeal_upheld is False


def test_appeal_only_once(zone, accepted):
    services.rectification_appeal(actor=zone.applicant, task_id=accepted.pk, reason="不服")
    services.rectification_decide_appeal(actor=zone.supervisor, task_id=accepted.pk,
                                         upheld=True, decision="重新整改")
    call(zone, accepted)
    report(zone, accepted)
    services.rectification_accept(actor=zone.supervisor, task_id=accepted.pk)
    with pytest.raises(RectificationError, match="只能申诉一次"):
        services.rectification_appeal(actor=zone.applicant, task_id=accepted.pk, reason="再申诉")


def test_appeal_by_someone_else_or_before_outcome_refused(zone, bad_task, accepted):
    with pytest.raises(Forbidden):
        services.rectification_appeal(actor=zone.stranger, task_id=accepted.pk, reason="x")


def test_appeal_before_outcome_illegal(zone, bad_task):
    with pytest.raises(IllegalMove):
        services.rectification_appeal(actor=zone.applicant, task_id=bad_task.pk, reason="x")


def test_rectification_accept_tells_the_rater(zone, bad_task, django_capture_on_commit_callbacks):
    call(zone, bad_task)
    report(zone, bad_task)
    with django_capture_on_commit_callbacks(execute=True):
        services.rectification_accept(actor=zone.supervisor, task_id=bad_task.pk)
    assert Notification.objects.filter(user=zone.applicant,
                                       verb="rectification_accepted").exists()
