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
from django.db import DatabaseError
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
    assert "messages sent 3, failed 0, given up 0" in str(summary)
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
    assert jobs.tick().deliveries.failed == 3
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
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert not NotificationDelivery.objects.exists()


# --- queued for the delivery worker (ONEWINDOW_NOTIFY_QUEUE) -----------------------------------
@pytest.fixture
def queued(settings, flaky):
    settings.ONEWINDOW_NOTIFY_QUEUE = True
    flaky.down = False
    return flaky


def _deliver(*args):
    out = io.StringIO()
    call_command("cases", "deliver", *args, stdout=out)
    return out.getvalue()


def test_notify_queued_messages_leave_the_request_and_go_out_by_the_worker(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert queued.sent == []  # the request sent nothing itself
    told = set(Notification.objects.filter(case=submitted).values_list("pk", flat=True))
    rows = NotificationDelivery.objects.all()
    assert {d.notification_id for d in rows} == told and len(rows) == 3
    assert {(d.state, d.attempts, d.backend) for d in rows} == {("pending", 0, FLAKY)}
    assert all(d.next_attempt_at <= timezone.now() for d in rows)  # due at once

    assert _deliver("--once").strip() == "messages sent 3, failed 0, given up 0, errors 0"
    assert set(queued.sent) == told
    assert set(NotificationDelivery.objects.values_list("state", "attempts")) == {("sent", 1)}
    assert _deliver("--once") == "" and len(queued.sent) == 3  # each sent once only


def test_notify_queued_message_that_fails_is_tried_again_later(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    queued.down = True
    assert "failed 3" in _deliver("--once")
    delivery = NotificationDelivery.objects.first()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at > timezone.now()  # a minute later
    assert _deliver("--once") == ""  # not due yet
    _due_now()
    queued.down = False
    assert "messages sent 3" in _deliver("--once")


def test_notify_messages_that_cannot_be_queued_are_sent_at_once(
        zone, submitted, queued, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(NotificationDelivery.objects, "bulk_create", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    assert len(queued.sent) == 3  # in the request, as without the queue
    assert "could not be queued: sent now instead" in caplog.text


def test_notify_worker_runs_until_stopped(zone, submitted, queued, monkeypatch,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    rounds = []
    send_due = notify.send_due_deliveries

    def one_round():
        rounds.append(send_due())
        if len(rounds) == 2:  # the operator stops the worker while it waits
            os.kill(os.getpid(), signal.SIGTERM)
        return rounds[-1]

    monkeypatch.setattr(notify, "send_due_deliveries", one_round)
    monkeypatch.setattr("onewindow.cases.management.commands.cases.close_old_connections",
                        lambda: None)  # the test's transaction is not a stale connection
    before = signal.getsignal(signal.SIGTERM)
    out = _deliver("--every", "0.05")
    assert [r.sent for r in rounds] == [3, 0]  # on at once after a busy round; then it waits
    assert "messages sent 3" in out and out.strip().endswith("delivery worker stopped")
    assert signal.getsignal(signal.SIGTERM) is before  # the handler is given back
    assert len(queued.sent) == 3


def test_notify_worker_refuses_a_wait_of_no_time():
    with pytest.raises(CommandError, match="--every must be more than 0 seconds"):
        _deliver("--every", "0")


def test_notify_clock_job_deletes_rows_of_messages_sent_long_ago(
        zone, submitted, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(actor=zone.clerk, case_id=submitted.pk)
    _deliver("--once")
    old, recent, pending = NotificationDelivery.objects.order_by("pk")[:3]
    NotificationDelivery.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - notify.SENT_KEPT - dt.timedelta(hours=1))
    NotificationDelivery.objects.filter(pk=pending.pk).update(
        state="pending", sent_at=None, next_attempt_at=timezone.now() + dt.timedelta(hours=1),
        created_at=timezone.now() - notify.SENT_KEPT - dt.timedelta(days=1))
    summary = jobs.tick()
    assert summary.failures == []
    assert set(NotificationDelivery.objects.values_list("pk", flat=True)) == {
        recent.pk, pending.pk}


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
