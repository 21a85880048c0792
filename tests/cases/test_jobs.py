"""The clock job (`onewindow cases tick`): deemed acceptance, warnings, escalations.

March 2026 has no holidays: Monday the 2nd plus N working days is simple to check by hand.
"""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from onewindow.audit.selectors import audit_verify, events_for
from onewindow.cases import jobs, services
from onewindow.cases.enums import CaseState
from onewindow.cases.models import Escalation, Notification
from onewindow.config import Config
from tests.cases.conftest import reload, upload_all
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submitted_monday(zone, freeze_today):
    """Submitted Mon 2 March: pre-review due Mon 9 March (5 working days, first not counted)."""
    freeze_today(MON)
    case = services.case_create_draft(actor=zone.applicant, item=zone.item)
    upload_all(case, zone.applicant)
    return services.case_submit(actor=zone.applicant, case_id=case.pk)


@pytest.fixture
def accepted_monday(zone, submitted_monday):
    """Accepted Mon 2 March: promised (2) due Wed 4 March, legal (7) due Wed 11 March."""
    return services.case_accept(actor=zone.clerk, case_id=submitted_monday.pk)


def escalations(case):
    return sorted((e.level, e.clock, e.due) for e in Escalation.objects.filter(case=case))


def test_tick_deems_accepted_only_after_five_working_days(zone, submitted_monday,
                                                          freeze_today):
    assert submitted_monday.pre_review_due == day(7)
    freeze_today(day(7))
    assert jobs.tick().deemed == []
    assert reload(submitted_monday).state == CaseState.SUBMITTED
    freeze_today(day(8))
    summary = jobs.tick()
    assert summary.deemed == [submitted_monday.number]
    case = reload(submitted_monday)
    assert case.state == CaseState.ACCEPTED and case.deemed_accepted
    assert case.accepted_on == MON  # counted as accepted from receipt (Art. 32(4))
    event = events_for(case).filter(action="case_deem_accepted").get()
    assert event.actor_id is None
    assert audit_verify()[1] is None


def test_tick_deemed_case_escalates_lapsed_pre_review_and_scans_new_clocks(
        zone, submitted_monday, freeze_today, django_capture_on_commit_callbacks):
    freeze_today(day(8))  # Tue 10 March
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.deemed == [submitted_monday.number]
    n = submitted_monday.number
    assert summary.escalations == [f"{n} pre_review", f"{n} promised"]
    assert summary.warnings == [f"{n} legal"]  # 6 of 7 days used
    assert escalations(submitted_monday) == [
        ("overdue", "pre_review", day(7)), ("overdue", "promised", day(2)),
        ("warning", "legal", day(9))]
    told = set(Notification.objects.filter(user=zone.supervisor, verb="clock_overdue")
               .values_list("body", flat=True))
    assert told == {"预审期限已于 2026-03-09 届满，办件已超期，请督办。",
                    "承诺时限已于 2026-03-04 届满，办件已超期，请督办。"}


def test_tick_warns_at_eighty_percent_of_a_clock(zone, accepted_monday, freeze_today,
                                                 django_capture_on_commit_callbacks):
    freeze_today(day(1))  # promised: 1 of 2 used
    assert jobs.tick().warnings == []
    freeze_today(day(2))  # promised: 2 of 2 used, due today
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.warnings == [f"{accepted_monday.number} promised"]
    assert escalations(accepted_monday) == [("warning", "promised", day(2))]
    case = reload(accepted_monday)
    assert case.warned_at is not None and case.escalated_at is None
    told = dict(Notification.objects.filter(verb="clock_warning")
                .values_list("user__username", "body"))
    assert set(told) == {"reviewer", "approver"}  # the handling department, not the applicant
    assert told["reviewer"] == "承诺时限将于 2026-03-04 届满，请抓紧办理。"
    assert events_for(case).filter(action="case_clock_warning").count() == 1


def test_tick_yellow_share_is_configurable(zone, accepted_monday, freeze_today, settings):
    settings.ONEWINDOW_CLOCK_YELLOW_SHARE = 0.5
    freeze_today(day(1))  # promised: 1 of 2 used = 50%
    assert jobs.tick().warnings == [f"{accepted_monday.number} promised"]


def test_tick_escalates_overdue_clock_to_supervisors(zone, accepted_monday, freeze_today,
                                                     django_capture_on_commit_callbacks):
    elsewhere = UserFactory(username="sup-other", role="supervisor",
                            department=DepartmentFactory(code="fgw"))
    freeze_today(day(3))  # Thu 5 March: promised (due the 4th) is overdue
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.tick()
    assert summary.escalations == [f"{accepted_monday.number} promised"]
    case = reload(accepted_monday)
    assert case.escalated_at is not None
    assert escalations(case) == [("overdue", "promised", day(2))]
    event = events_for(case).filter(action="case_clock_overdue").get()
    assert event.new_value["clock"] == "promised" and event.actor_id is None
    told = dict(Notification.objects.filter(verb="clock_overdue")
                .values_list("user__username", "body"))
    assert told["supervisor"] == "承诺时限已于 2026-03-04 届满，办件已超期，请督办。"
    assert "reviewer" in told and elsewhere.username not in told
    assert "applicant" not in told


def test_tick_twice_creates_nothing_new(zone, accepted_monday, freeze_today,
                                        django_capture_on_commit_callbacks):
    freeze_today(day(8))  # legal yellow, promised red
    first = jobs.tick()
    assert len(first.warnings) == 1 and len(first.escalations) == 1
    events = events_for(accepted_monday).count()
    told = Notification.objects.count()
    assert told > 0  # the first run told the handlers and the supervisor
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = jobs.tick()
    assert (second.deemed, second.warnings, second.escalations) == ([], [], [])
    assert (second.skipped, second.failures) == (0, [])
    assert callbacks == [] and Notification.objects.count() == told
    assert Escalation.objects.filter(case=accepted_monday).count() == 2
    assert events_for(accepted_monday).count() == events


def test_tick_new_due_after_extension_may_be_warned_again(zone, accepted_monday, freeze_today):
    services.case_start_review(actor=zone.reviewer, case_id=accepted_monday.pk)
    freeze_today(day(8))  # legal: 6 of 7
    jobs.tick()
    services.case_extend(actor=zone.approver, case_id=accepted_monday.pk, days=3, reason="核查")
    freeze_today(day(11))  # legal now 10, due Mon 16 March: 9 of 10 used
    assert jobs.tick().warnings == [f"{accepted_monday.number} legal"]
    legal = [e for e in escalations(accepted_monday) if e[1] == "legal"]
    assert legal == [("warning", "legal", day(9)), ("warning", "legal", day(14))]


def test_escalation_survives_return_and_resubmission(zone, submitted_monday, freeze_today,
                                                      client):
    freeze_today(day(4))  # Fri 6 March: 4 of 5 pre-review days used
    assert jobs.tick().warnings == [f"{submitted_monday.number} pre_review"]
    services.case_claim(actor=zone.clerk, case_id=submitted_monday.pk)
    services.case_return(actor=zone.clerk, case_id=submitted_monday.pk,
                         items=[(None, "申请表未盖章")])
    freeze_today(day(8))  # Tue 10 March: resubmitted, a new 5-day pre-review (due the 17th)
    case = services.case_submit(actor=zone.applicant, case_id=submitted_monday.pk)
    assert case.pre_review_due == day(15)
    assert jobs.tick().warnings == []
    case = reload(case)
    assert escalations(case) == [("warning", "pre_review", day(7))]
    assert case.warned_at is not None
    client.force_login(zone.clerk)  # the staff see it on the case
    body = client.get(f"/api/cases/{case.pk}").json()
    assert [(e["level"], e["clock"]) for e in body["escalations"]] == [("warning", "pre_review")]
    freeze_today(day(14))  # Mon 16 March: 4 of the new 5 days used
    jobs.tick()
    assert escalations(case) == [("warning", "pre_review", day(7)),
                                 ("warning", "pre_review", day(15))]


def test_tick_leaves_suspended_and_closed_cases_alone(zone, accepted_monday, freeze_today):
    services.case_start_review(actor=zone.reviewer, case_id=accepted_monday.pk)
    services.case_suspend(actor=zone.reviewer, case_id=accepted_monday.pk,
                          procedure="expert_review", reason="专家评审")
    freeze_today(day(15))
    summary = jobs.tick()
    assert (summary.warnings, summary.escalations) == ([], [])
    assert not Escalation.objects.exists()


def test_cases_tick_command_prints_summary(zone, submitted_monday, freeze_today):
    freeze_today(day(8))
    out = StringIO()
    call_command("cases", "tick", stdout=out)
    text = out.getvalue()
    assert f"deemed accepted: {submitted_monday.number}" in text
    assert "clock tick 2026-03-10: 1 deemed accepted, 1 warnings, 2 escalations, 0 skipped, " \
           "0 failures" in text


# --- settings -----------------------------------------------------------------------------------
@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("ONEWINDOW_VAR_DIR", str(tmp_path))
    for name in ("ONEWINDOW_CLOCK_YELLOW_SHARE", "ONEWINDOW_NOTIFY_BACKENDS", "SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_config_yellow_share_read_and_checked(env):
    assert Config.from_environ().clock_yellow_share == 0.8
    env.setenv("ONEWINDOW_CLOCK_YELLOW_SHARE", "0.75")
    assert Config.from_environ().clock_yellow_share == 0.75
    for bad in ("1.5", "0", "八成"):
        env.setenv("ONEWINDOW_CLOCK_YELLOW_SHARE", bad)
        with pytest.raises(ImproperlyConfigured, match="ONEWINDOW_CLOCK_YELLOW_SHARE"):
            Config.from_environ()


def test_config_notify_backends_read_and_checked(env):
    assert Config.from_environ().notify_backends == [
        "onewindow.cases.notify_backends.ConsoleBackend"]
    env.setenv("ONEWINDOW_NOTIFY_BACKENDS", "onewindow.cases.notify_backends.EmailBackend, "
                                            "onewindow.cases.notify_backends.ConsoleSmsBackend")
    assert len(Config.from_environ().notify_backends) == 2
    env.setenv("ONEWINDOW_NOTIFY_BACKENDS", "email")
    with pytest.raises(ImproperlyConfigured, match="dotted path"):
        Config.from_environ()
