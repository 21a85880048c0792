import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from onewindow.cases.models import Notification
from onewindow.feedback import jobs, services
from onewindow.feedback.enums import RectificationState as R
from onewindow.feedback.models import RatingInvitation, Rectification
from tests.feedback.factories import CompletedCaseFactory


def run(captured, **kwargs):
    with captured(execute=True):
        return jobs.tick(**kwargs)


def test_tick_invites_completed_case_once(zone, django_capture_on_commit_callbacks):
    summary = run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks)
    assert (summary.invited, again.invited) == (1, 0)
    note = Notification.objects.get(user=zone.applicant, verb="rating_invite")
    assert zone.case.number in note.title and note.link == f"/feedback/rate/case/{zone.case.pk}/"


def test_tick_skips_old_and_open_cases(zone, django_capture_on_commit_callbacks):
    RatingInvitation.objects.all().delete()
    CompletedCaseFactory(completed_at=timezone.now() - dt.timedelta(days=31))
    CompletedCaseFactory(state="in_review", completed_at=None)
    assert run(django_capture_on_commit_callbacks).invited == 1  # zone.case only


def test_tick_reminds_once_after_three_days(zone, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=2, hours=23)
    assert run(django_capture_on_commit_callbacks, now=later).reminded == 0
    later = timezone.now() + dt.timedelta(days=3, minutes=1)
    assert run(django_capture_on_commit_callbacks, now=later).reminded == 1
    assert run(django_capture_on_commit_callbacks, now=later).reminded == 0
    assert Notification.objects.filter(user=zone.applicant, verb="rating_reminder").count() == 1


def test_tick_does_not_remind_who_rated(zone, rate, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    rate(5)
    later = timezone.now() + dt.timedelta(days=4)
    assert run(django_capture_on_commit_callbacks, now=later).reminded == 0
    assert RatingInvitation.objects.get().rated_at is not None


def test_tick_reminder_delay_is_a_setting(zone, feedback_config,
                                          django_capture_on_commit_callbacks):
    feedback_config(rating_reminder_days=1)
    run(django_capture_on_commit_callbacks)
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    assert run(django_capture_on_commit_callbacks, now=later).reminded == 1


def test_rating_invite_other_kinds_once_per_user(zone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        n = services.rating_invite(kind="request", object_id=42,
                                   users=[zone.applicant, zone.applicant, None], title="诉求 42")
        again = services.rating_invite(kind="request", object_id=42, users=[zone.applicant],
                                       title="诉求 42")
    assert (n, again) == (1, 0)
    assert Notification.objects.get(verb="rating_invite").link == "/feedback/rate/request/42/"


def test_tick_escalates_overdue_once(zone, bad_task, django_capture_on_commit_callbacks):
    Rectification.objects.filter(pk=bad_task.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1))
    assert run(django_capture_on_commit_callbacks).escalated == [bad_task.pk]
    assert run(django_capture_on_commit_callbacks).escalated == []
    bad_task.refresh_from_db()
    assert bad_task.escalated_at is not None and bad_task.state == R.OPEN
    assert Notification.objects.filter(user=zone.supervisor,
                                       verb="rectification_overdue").count() == 1
    assert Notification.objects.filter(user=zone.reviewer,
                                       verb="rectification_overdue").count() == 1


def test_tick_does_not_escalate_submitted_or_in_time(zone, bad_task,
                                                     django_capture_on_commit_callbacks):
    assert run(django_capture_on_commit_callbacks).escalated == []
    services.rectification_record_call(actor=zone.reviewer, task_id=bad_task.pk,
                                       called_at=timezone.now(), outcome="satisfied", note="x")
    services.rectification_submit_report(actor=zone.reviewer, task_id=bad_task.pk, report="y")
    Rectification.objects.filter(pk=bad_task.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=1))
    assert run(django_capture_on_commit_callbacks).escalated == []


def test_tick_command_prints_summary(zone, capsys):
    call_command("feedback", "tick")
    assert "feedback tick: 1 invited, 0 reminded, 0 escalated, 0 failed" in capsys.readouterr().out
