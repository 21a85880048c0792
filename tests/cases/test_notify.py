"""Notifications: in-app with the change, external backends after commit (they may fail), and
the inbox page."""

import datetime as dt
import io
import logging
import os
import signal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from onewindow.cases import jobs, notify, services
from onewindow.cases.enums import CaseState
from onewindow.cases.errors import IllegalTransition
from onewindow.cases.models import Notification, NotificationDelivery
from onewindow.cases.notify_backends import NotifyBackend
from onewindow.core.retry import claim
from tests.cases.conftest import reload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted(submitted):
    """The shared submitted case with its submission's notice cleared: each test here counts
    what one change tells."""
    Notification.objects.all().delete()
    return submitted


class BrokenBackend(NotifyBackend):
    """An SMS gateway that is down."""

    def send(self, notification):
        raise ConnectionError("gateway unreachable")


class RecordingBackend(NotifyBackend):
    sent = []

    def send(self, notification):
        self.sent.append(notification.pk)


def test_notify_in_app_with_the_change_external_only_after_commit(
        zone, submitted, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["tests.cases.test_notify.RecordingBackend"]
    RecordingBackend.sent = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
        # Written in the transaction of the change; nothing external before the commit.
        assert Notification.objects.filter(case=submitted).count() == 3
        assert RecordingBackend.sent == []
    assert len(callbacks) == 1
    assert sorted(RecordingBackend.sent) == sorted(
        Notification.objects.filter(case=submitted).values_list("pk", flat=True))
    mine = Notification.objects.get(user=zone.applicant)
    assert (mine.verb, mine.case_id) == ("accept", submitted.pk)
    assert mine.body == "您的申请已受理，请查看受理通知书。"
    assert mine.title == f"{submitted.number} 建筑工程施工许可证核发"


def test_notify_nothing_when_transition_refused(zone, submitted,
                                                django_capture_on_commit_callbacks):
    services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    told = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, \
            pytest.raises(IllegalTransition):
        services.case_accept(actor=zone.clerk2, case_id=submitted.pk)
    assert callbacks == []
    assert Notification.objects.count() == told


def test_notify_accept_tells_applicant_and_own_department_reviewers(
        zone, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    told = dict(Notification.objects.values_list("user__username", "body"))
    assert set(told) == {"applicant", "reviewer", "approver"}
    assert told["reviewer"] == "新受理的办件，请及时审查。"


def test_notify_deem_accepted_tells_reviewers_and_applicant(zone, submitted, freeze_today,
                                                            django_capture_on_commit_callbacks):
    import datetime as dt

    freeze_today(submitted.pre_review_due + dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.case_deem_accepted(case_id=submitted.pk)
    told = dict(Notification.objects.values_list("user__username", "body"))
    assert told["applicant"] == "您的申请已依法视为受理。"
    assert "预审逾期" in told["reviewer"] and "other" not in told


def test_notify_resubmission_tells_the_clerk_who_returned_it(
        zone, submitted, django_capture_on_commit_callbacks):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    services.case_return(actor=zone.clerk, case_id=submitted.pk, items=[(None, "缺少签章")])
    with django_capture_on_commit_callbacks(execute=True):
        services.case_submit(actor=zone.applicant, case_id=submitted.pk)
    told = dict(Notification.objects.filter(verb="submit").values_list("user__username", "body"))
    assert told == {"applicant": "您的申请已提交，等待窗口预审。",
                    "clerk": "申请人已补正并重新提交，请继续预审。"}


def test_notify_internal_events_tell_the_applicant_nothing(zone, submitted,
                                                           django_capture_on_commit_callbacks):
    services.case_claim(actor=zone.clerk, case_id=submitted.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_offer_help(actor=zone.clerk, case_id=submitted.pk,
                                 reason_told="不属于本机关", help_offered="告知市级窗口")
    assert not Notification.objects.exists()


def test_notify_failing_backend_does_not_break_transition(zone, submitted, settings, caplog,
                                                          django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["tests.cases.test_notify.BrokenBackend",
                                          "onewindow.cases.notify_backends.ConsoleBackend"]
    with caplog.at_level(logging.INFO, logger="onewindow.notify"), \
            django_capture_on_commit_callbacks(execute=True):
        case = services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert case.state == CaseState.ACCEPTED and reload(case).state == CaseState.ACCEPTED
    assert Notification.objects.filter(case=case).count() == 3  # in-app still created
    failures = [r for r in caplog.records if "BrokenBackend failed" in r.getMessage()]
    assert len(failures) == 3 and failures[0].exc_info[0] is ConnectionError
    console = [r for r in caplog.records if r.getMessage().startswith("notify user=")]
    assert len(console) == 3  # the backend after the broken one still ran


def test_notify_unknown_backend_is_logged_not_raised(zone, submitted, settings, caplog,
                                                     django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["onewindow.cases.notify_backends.NoSuchBackend"]
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert "backends could not be loaded" in caplog.text
    assert Notification.objects.filter(user=zone.applicant).exists()


def test_notify_email_backend_mails_users_with_an_address(zone, submitted, settings, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["onewindow.cases.notify_backends.EmailBackend"]
    zone.applicant.email = "qiming@example.cn"
    zone.applicant.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    [mail] = mailoutbox  # the reviewers have no address
    assert mail.to == ["qiming@example.cn"]
    assert mail.subject == f"{submitted.number} 建筑工程施工许可证核发"
    assert "您的申请已受理" in mail.body and reverse("cases:notifications") in mail.body


def test_notify_console_sms_backend_masks_the_number(zone, submitted, settings, caplog,
                                                     django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["onewindow.cases.notify_backends.ConsoleSmsBackend"]
    zone.applicant.phone = "13912345678"
    zone.applicant.save()
    with caplog.at_level(logging.INFO, logger="onewindow.notify"), \
            django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("sms to")]
    assert line.startswith("sms to 139****5678: 【高新区政务服务】")
    assert "13912345678" not in caplog.text


# --- what a backend failed to send is sent again by the clock job ------------------------------
class FlakyBackend(NotifyBackend):
    """A gateway that is down while `down` is true, and records what went out."""

    down = True
    sent: list = []

    def send(self, notification):
        if FlakyBackend.down:
            raise ConnectionError("gateway unreachable")
        FlakyBackend.sent.append(notification.pk)


FLAKY = "tests.cases.test_notify.FlakyBackend"


@pytest.fixture
def flaky(settings):
    settings.ONEWINDOW_NOTIFY_BACKENDS = [FLAKY]
    FlakyBackend.down, FlakyBackend.sent = True, []
    return FlakyBackend


def _due_now():
    NotificationDelivery.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_notify_failed_message_is_kept_and_sent_again_by_the_clock_job(
        zone, submitted, flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    told = set(Notification.objects.filter(case=submitted).values_list("pk", flat=True))
    kept = NotificationDelivery.objects.all()
    assert {d.notification_id for d in kept} == told and len(kept) == 3
    first = kept[0]
    assert (first.state, first.attempts, first.backend) == ("pending", 1, FLAKY)
    assert first.last_error == "ConnectionError: gateway unreachable"
    assert first.next_attempt_at > timezone.now()  # a minute later, not at once

    assert jobs.tick().deliveries.sent == 0  # not due yet: nothing tried
    assert flaky.sent == []
    _due_now()
    flaky.down = False
    summary = jobs.tick()
    assert (summary.deliveries.sent, summary.deliveries.given_up) == (3, 0)
    assert "messages sent 3, to retry 0, given up 0" in str(summary)
    assert set(flaky.sent) == told
    assert set(NotificationDelivery.objects.values_list("state", "attempts")) == {("sent", 2)}
    _due_now()
    assert jobs.tick().deliveries.sent == 0 and len(flaky.sent) == 3  # sent once only


def test_notify_retry_waits_longer_each_time_then_gives_up(
        zone, submitted, flaky, settings, caplog, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    delivery = NotificationDelivery.objects.get(notification__user=zone.applicant)
    _due_now()
    before = timezone.now()
    assert jobs.tick().deliveries.retrying == 3
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 2)
    assert round((delivery.next_attempt_at - before).total_seconds() / 60) == 2  # 1, then 2
    _due_now()
    assert jobs.tick().deliveries.given_up == 3
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert f"notification {delivery.notification_id} given up" in caplog.text
    assert "after 3 attempts: ConnectionError: gateway unreachable" in caplog.text
    _due_now()
    assert jobs.tick().deliveries == notify.DeliverySummary()  # a given-up one is left alone
    delivery.refresh_from_db()
    assert delivery.attempts == 3


def test_notify_retry_of_a_backend_no_longer_configured_is_given_up(
        zone, submitted, flaky, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["tests.cases.test_notify.RecordingBackend"]
    RecordingBackend.sent = []
    _due_now()
    assert jobs.tick().deliveries.given_up == 3
    assert RecordingBackend.sent == []  # not sent through another channel by mistake
    assert set(NotificationDelivery.objects.values_list("state", flat=True)) == {"failed"}


def test_notify_retry_to_a_user_closed_meanwhile_is_given_up(
        zone, submitted, flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    zone.applicant.is_active = False
    zone.applicant.save()
    _due_now()
    flaky.down = False
    summary = jobs.tick().deliveries
    assert (summary.sent, summary.given_up) == (2, 1)  # the two reviewers, not the applicant
    closed = NotificationDelivery.objects.get(notification__user=zone.applicant)
    assert (closed.state, closed.last_error) == ("failed", "user no longer active")
    assert closed.notification_id not in flaky.sent


def test_notify_a_single_attempt_configured_keeps_the_failure_without_retrying(
        zone, submitted, flaky, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert set(NotificationDelivery.objects.values_list("state", "attempts")) == {("failed", 1)}
    _due_now()
    assert jobs.tick().deliveries == notify.DeliverySummary()


def test_notify_retries_that_cannot_start_fail_the_clock_job(
        zone, submitted, flaky, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    _due_now()
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["tests.cases.test_notify.NoSuchBackend"]
    summary = jobs.tick()
    assert summary.failures == ["message delivery start"]  # `cases tick` exits non-zero
    assert set(NotificationDelivery.objects.values_list("state", "attempts")) == {
        ("pending", 1)}  # left for a later run


def test_notify_retry_claimed_by_another_run_is_not_sent_twice(
        zone, submitted, flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    _due_now()
    flaky.down = False
    delivery = NotificationDelivery.objects.first()
    waiting = NotificationDelivery.objects.filter(pk=delivery.pk, state="pending")
    assert claim(waiting, timezone.now())  # another run of the job took it first
    assert notify.send_delivery(delivery.pk, {FLAKY: FlakyBackend()}) is None
    assert flaky.sent == []
    _due_now()  # that run's claim ran out (it died): the message is due again
    assert notify.send_delivery(delivery.pk, {FLAKY: FlakyBackend()}) == "sent"
    assert notify.send_delivery(delivery.pk, {FLAKY: FlakyBackend()}) is None
    assert flaky.sent == [delivery.notification_id]


def test_notify_retries_listed_in_the_admin_for_a_superuser_to_cancel_not_edit(
        client, zone, submitted, flaky, make_user, django_capture_on_commit_callbacks):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    admin_user = make_user(role="system_admin", is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:cases_notificationdelivery_changelist") + "?state=pending")
    assert page.status_code == 200 and page.context["cl"].result_count == 3
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[NotificationDelivery]
    delivery = NotificationDelivery.objects.first()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, delivery)
    assert model_admin.has_delete_permission(request, delivery)  # a pending one is cancelled


def test_notify_message_sent_at_once_leaves_no_retry_row(
        zone, submitted, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = ["tests.cases.test_notify.RecordingBackend"]
    RecordingBackend.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert len(RecordingBackend.sent) == 3  # sent, in the request
    assert not NotificationDelivery.objects.exists()


# --- queued for the delivery worker (ONEWINDOW_NOTIFY_QUEUE) -----------------------------------
RECORDING = "tests.cases.test_notify.RecordingBackend"


@pytest.fixture
def queued(settings, flaky):
    settings.ONEWINDOW_NOTIFY_QUEUE = True
    flaky.down = False
    return flaky


def _deliver(*args):
    out = io.StringIO()
    call_command("cases", "deliver", *args, stdout=out)
    return out.getvalue()


def test_notify_queued_messages_are_written_with_the_change_and_sent_by_the_worker(
        zone, submitted, queued, settings, django_capture_on_commit_callbacks):
    settings.ONEWINDOW_NOTIFY_BACKENDS = [FLAKY, RECORDING]
    RecordingBackend.sent = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
        # In the change's own transaction: a process that dies after the commit loses nothing.
        assert NotificationDelivery.objects.count() == 6  # 3 messages, 2 backends each
    assert callbacks == [] and queued.sent == [] == RecordingBackend.sent  # the request sent none
    told = set(Notification.objects.filter(case=submitted).values_list("pk", flat=True))
    rows = NotificationDelivery.objects.all()
    assert {(d.notification_id, d.backend) for d in rows} == {
        (pk, backend) for pk in told for backend in (FLAKY, RECORDING)}
    assert {(d.state, d.attempts) for d in rows} == {("pending", 0)}
    assert all(d.next_attempt_at <= timezone.now() for d in rows)  # due at once

    assert _deliver("--once").strip() == "messages sent 6, to retry 0, given up 0, errors 0"
    assert set(queued.sent) == told == set(RecordingBackend.sent)
    assert set(NotificationDelivery.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert _deliver("--once") == "" and len(queued.sent) == 3  # each sent once only


def test_notify_queued_rows_go_with_a_change_rolled_back(zone, submitted, queued):
    with transaction.atomic():
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
        assert NotificationDelivery.objects.count() == 3
        transaction.set_rollback(True)
    assert not NotificationDelivery.objects.exists()  # nobody told of what did not happen


def test_notify_other_modules_messages_are_queued_too(zone, queued,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_users([zone.applicant], verb="booking", title="预约成功")
    [delivery] = NotificationDelivery.objects.all()
    assert (delivery.notification.title, delivery.state) == ("预约成功", "pending")
    assert queued.sent == []
    _deliver("--once")
    assert queued.sent == [delivery.notification_id]


def test_notify_queued_message_that_fails_is_tried_again_later(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    queued.down = True
    assert "to retry 3" in _deliver("--once")
    delivery = NotificationDelivery.objects.first()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at > timezone.now()  # a minute later
    assert _deliver("--once") == ""  # not due yet
    _due_now()
    queued.down = False
    assert "messages sent 3" in _deliver("--once")


def test_notify_queued_message_for_a_backend_the_worker_lacks_is_tried_again(
        zone, submitted, queued, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    settings.ONEWINDOW_NOTIFY_BACKENDS = [RECORDING]  # a worker not restarted since FLAKY came
    assert "to retry 3" in _deliver("--once")  # not given up: never tried through it
    assert set(NotificationDelivery.objects.values_list("state", "attempts", "last_error")) == {
        ("pending", 1, f"LookupError: backend not configured here: {FLAKY}")}
    settings.ONEWINDOW_NOTIFY_BACKENDS = [FLAKY]  # restarted
    _due_now()
    assert "messages sent 3" in _deliver("--once")


def test_notify_run_told_to_stop_ends_after_the_message_in_hand(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    summary = notify.send_due_deliveries(stop=lambda: len(queued.sent) == 1)
    assert (summary.sent, len(queued.sent)) == (1, 1)
    assert NotificationDelivery.objects.filter(state="pending").count() == 2  # for the next


def test_notify_send_that_outlasts_its_claim_leaves_the_row_to_the_run_that_took_it(
        zone, submitted, queued, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    delivery = NotificationDelivery.objects.first()

    class Slow(NotifyBackend):
        def send(self, notification):
            # Meanwhile the claim ran out and another run claimed the message.
            later = timezone.now() + dt.timedelta(minutes=5)
            NotificationDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=later)
            raise TimeoutError("mail server too slow")

    assert notify.send_delivery(delivery.pk, {FLAKY: Slow()}) is None
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("pending", 0, "")
    assert f"message delivery {delivery.pk} outlasted its claim" in caplog.text


def _worker(monkeypatch, rounds, *, stop_after):
    """Run the worker on `rounds` (summaries to return in turn, or None for the real
    round) until `stop_after` rounds, the operator sending SIGTERM then; its waits."""
    done, waits = [], []
    real = notify.send_due_deliveries

    def one_round(**kwargs):
        planned = rounds[len(done)] if len(done) < len(rounds) else notify.DeliverySummary()
        done.append(real(**kwargs) if planned is None else planned)
        if len(done) == stop_after:
            os.kill(os.getpid(), signal.SIGTERM)
        return done[-1]

    monkeypatch.setattr(notify, "send_due_deliveries", one_round)
    monkeypatch.setattr("onewindow.cases.management.commands.cases.close_old_connections",
                        lambda: None)  # the test's transaction is not a stale connection
    monkeypatch.setattr("onewindow.cases.management.commands.cases.Command.pause",
                        lambda command, seconds: waits.append(seconds))
    return _deliver("--every", "2"), done, waits


def test_notify_worker_runs_until_stopped(zone, submitted, queued, monkeypatch,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    before = signal.getsignal(signal.SIGTERM)
    out, done, waits = _worker(monkeypatch, [None, None, None], stop_after=3)
    assert [r.sent for r in done] == [3, 0, 0]
    assert waits == [2, 2]  # on at once after a busy round; the set wait after an idle one
    assert "messages sent 3" in out and out.strip().endswith("delivery worker stopped")
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is given back
    assert len(queued.sent) == 3


def test_notify_worker_waits_longer_while_it_cannot_start(monkeypatch):
    away = notify.DeliverySummary(errors=["start"])  # the database is away
    _out, done, waits = _worker(monkeypatch, [away] * 6 + [notify.DeliverySummary()],
                                stop_after=7)
    assert waits == [4, 8, 16, 32, 60, 60, 2]  # doubled up to a minute; back once it is up


@pytest.mark.parametrize("every", ["0", "-1", "nan", "inf", "61"])
def test_notify_worker_refuses_a_wait_out_of_range(every):
    with pytest.raises(CommandError, match="--every must be more than 0 and at most 60"):
        _deliver("--every", every)


def test_notify_clock_job_deletes_rows_of_messages_sent_long_ago(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    _deliver("--once")
    old, recent, failed = NotificationDelivery.objects.order_by("pk")[:3]
    long_ago = timezone.now() - notify.SENT_KEEP - dt.timedelta(hours=1)
    NotificationDelivery.objects.filter(pk=old.pk).update(
        sent_at=long_ago, next_attempt_at=long_ago - dt.timedelta(seconds=5))
    NotificationDelivery.objects.filter(pk=failed.pk).update(
        state="failed", sent_at=None, next_attempt_at=long_ago, created_at=long_ago)
    summary = jobs.tick()
    assert summary.failures == []
    assert set(NotificationDelivery.objects.values_list("pk", flat=True)) == {
        recent.pk, failed.pk}  # a message given up stays, for someone to tell another way


def test_notify_clock_job_that_cannot_prune_says_so(zone, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(notify, "prune_sent_deliveries", broken)
    assert jobs.tick().failures == ["message delivery prune"]  # `cases tick` exits non-zero


# --- the inbox page ----------------------------------------------------------------------------
def _note(user, case, body, read=False):
    from django.utils import timezone

    return Notification.objects.create(user=user, case=case, verb="accept", title=case.number,
                                       body=body, read_at=timezone.now() if read else None)


def test_inbox_lists_unread_first_with_link_to_case(client, zone, submitted):
    _note(zone.applicant, submitted, "旧消息-已读", read=True)
    _note(zone.applicant, submitted, "新消息-未读")
    _note(zone.stranger, submitted, "别人的消息")
    client.force_login(zone.applicant)
    html = client.get(reverse("cases:notifications")).content.decode()
    assert html.index("新消息-未读") < html.index("旧消息-已读")
    assert "别人的消息" not in html
    assert reverse("cases:detail", kwargs={"pk": submitted.pk}) in html
    assert "1 条未读消息" in html


def test_inbox_links_staff_to_the_workbench_case_page(client, zone, submitted):
    _note(zone.clerk, submitted, "有新办件")
    client.force_login(zone.clerk)
    html = client.get(reverse("cases:notifications")).content.decode()
    assert reverse("cases:staff_detail", kwargs={"pk": submitted.pk}) in html


def test_inbox_mark_one_read_only_touches_my_own(client, zone, submitted):
    mine = _note(zone.applicant, submitted, "我的")
    theirs = _note(zone.stranger, submitted, "别人的")
    client.force_login(zone.applicant)
    url = reverse("cases:notifications")
    client.post(url, {"notification": theirs.pk})
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    response = client.post(url, {"notification": mine.pk}, headers={"HX-Request": "true"})
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    partial = response.content.decode()
    assert partial.lstrip().startswith(f'<li class="card" id="notification-{mine.pk}"')
    assert "标为已读" not in partial and "<html" not in partial


def test_inbox_mark_one_read_updates_the_counts_on_the_page(client, zone, submitted):
    first, second = (_note(zone.applicant, submitted, body) for body in ("一", "二"))
    client.force_login(zone.applicant)
    page = client.get(reverse("cases:notifications")).content.decode()
    assert 'id="nav-unread"' in page and 'id="unread-summary"' in page
    response = client.post(reverse("cases:notifications"), {"notification": first.pk},
                           headers={"HX-Request": "true"})
    partial = response.content.decode()
    summary = partial[partial.index('<div id="unread-summary" hx-swap-oob="true">'):]
    assert "1 条未读消息" in summary[:summary.index("</div>")]
    badge = partial[partial.index('<span id="nav-unread" hx-swap-oob="true">'):]
    assert ">1<" in badge  # the header's count, out of band
    client.post(reverse("cases:notifications"), {"notification": second.pk},
                headers={"HX-Request": "true"})
    assert notify.unread_count(zone.applicant) == 0


def test_inbox_mark_all_read(client, zone, submitted):
    for body in ("一", "二"):
        _note(zone.applicant, submitted, body)
    client.force_login(zone.applicant)
    response = client.post(reverse("cases:notifications"), {"notification": "all"}, follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert notify.unread_count(zone.applicant) == 0


def test_inbox_requires_login(client):
    response = client.get(reverse("cases:notifications"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_nav_shows_unread_badge(client, zone, submitted):
    _note(zone.applicant, submitted, "一")
    _note(zone.applicant, submitted, "二")
    client.force_login(zone.applicant)
    html = client.get(reverse("cases:notifications")).content.decode()
    assert '<span class="badge badge-bad">2<span class="visually-hidden">条未读</span>' in html
    client.force_login(UserFactory())
    html = client.get(reverse("cases:notifications")).content.decode()
    assert "badge-bad" not in html and "暂时没有消息" in html
