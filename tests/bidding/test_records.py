"""Venue recordings (hash, venue, hand-over within N working days) and complaints/re-checks
routed to the main venue."""

import datetime as dt
import hashlib

import pytest
from django.test import override_settings

from onewindow.audit.models import AuditEvent
from onewindow.bidding import services
from onewindow.bidding.errors import BiddingForbidden, BiddingInputError, BiddingStateError
from onewindow.bidding.models import Recheck, Recording
from onewindow.cases.models import Notification
from onewindow.workdays.selectors import add_working_days, working_days_between
from tests.factories import UserFactory


def test_recording_register_hashes_and_sets_due(evaluation):
    content = b"\x00\x00\x00 ftypmp42 yantai video"
    recording = services.recording_register(
        actor=evaluation.operators["yantai"], tender=evaluation.tender,
        venue=evaluation.venues["yantai"], name="烟台副场评标录像.mp4", content=content)
    assert recording.sha256 == hashlib.sha256(content).hexdigest()
    assert recording.size == len(content) and recording.handed_over_on is None
    assert working_days_between(evaluation.tender.evaluation_date, recording.due_on) == 5
    event = AuditEvent.objects.for_object(recording).get()
    assert event.new_value["sha256"] == recording.sha256


def test_recording_due_skips_holidays(evaluation):
    evaluation.tender.evaluation_date = dt.date(2026, 9, 30)
    evaluation.tender.save()
    recording = services.recording_register(
        actor=evaluation.operators["laoshan"], tender=evaluation.tender,
        venue=evaluation.venues["laoshan"], name="崂山.mp4", sha256="a" * 64, size=10)
    assert recording.due_on == add_working_days(dt.date(2026, 9, 30), 5).date
    assert (recording.due_on - dt.date(2026, 9, 30)).days > 7  # the National Day week is off


@override_settings(ONEWINDOW_BIDDING_HANDOVER_DAYS=3)
def test_recording_handover_days_is_a_setting(evaluation):
    recording = services.recording_register(
        actor=evaluation.operators["yantai"], tender=evaluation.tender,
        venue=evaluation.venues["yantai"], name="v.mp4", sha256="b" * 64)
    assert working_days_between(evaluation.tender.evaluation_date, recording.due_on) == 3


def test_recording_by_other_venue_operator_refused(evaluation):
    with pytest.raises(BiddingForbidden):
        services.recording_register(actor=evaluation.operators["yantai"],
                                    tender=evaluation.tender, venue=evaluation.venues["laoshan"],
                                    name="x.mp4", sha256="c" * 64)
    assert not Recording.objects.exists()


def test_recording_bad_hash_and_duplicate_refused(evaluation):
    op, venue = evaluation.operators["yantai"], evaluation.venues["yantai"]
    with pytest.raises(BiddingInputError, match="SHA-256"):
        services.recording_register(actor=op, tender=evaluation.tender, venue=venue,
                                    name="x.mp4", sha256="xyz")
    services.recording_register(actor=op, tender=evaluation.tender, venue=venue, name="x.mp4",
                                sha256="d" * 64)
    with pytest.raises(BiddingInputError, match="已登记"):
        services.recording_register(actor=op, tender=evaluation.tender, venue=venue,
                                    name="y.mp4", sha256="D" * 64)


def test_recording_main_venue_receives_late_recorded(evaluation):
    recording = services.recording_register(
        actor=evaluation.operators["yantai"], tender=evaluation.tender,
        venue=evaluation.venues["yantai"], name="v.mp4", sha256="e" * 64)
    with pytest.raises(BiddingForbidden):
        services.recording_receive(actor=evaluation.operators["yantai"], recording=recording)
    late = recording.due_on + dt.timedelta(days=1)
    services.recording_receive(actor=evaluation.main_op, recording=recording, on=late)
    recording.refresh_from_db()
    assert recording.handed_over_on == late and recording.received_by == evaluation.main_op
    assert AuditEvent.objects.for_object(recording).last().new_value["late"] is True
    with pytest.raises(BiddingStateError):
        services.recording_receive(actor=evaluation.main_op, recording=recording)


def test_main_venue_recording_is_received_at_once(evaluation):
    recording = services.recording_register(
        actor=evaluation.main_op, tender=evaluation.tender, venue=evaluation.venues["main"],
        name="主场.mp4", sha256="f" * 64)
    assert recording.handed_over_on is not None


def test_recheck_routed_to_main_venue_and_answered(evaluation,
                                                   django_capture_on_commit_callbacks):
    bidder = UserFactory(role="applicant")
    with django_capture_on_commit_callbacks(execute=True):
        recheck = services.recheck_file(actor=bidder, tender=evaluation.tender,
                                        kind="complaint", text="对评分结果有异议")
    assert recheck.routed_to == evaluation.venues["main"]
    assert Notification.objects.filter(user=evaluation.main_op, verb="bidding_recheck").exists()
    with pytest.raises(BiddingForbidden, match="由主场处理"):
        services.recheck_answer(actor=evaluation.operators["yantai"], recheck=recheck,
                                answer="已复核")
    with django_capture_on_commit_callbacks(execute=True):
        services.recheck_answer(actor=evaluation.main_op, recheck=recheck,
                                answer="经调取录像复核，评分无误")
    recheck.refresh_from_db()
    assert recheck.state == "answered"
    assert Notification.objects.filter(user=bidder, verb="bidding_recheck_answer").exists()


def test_recheck_empty_refused(evaluation):
    with pytest.raises(BiddingInputError):
        services.recheck_file(actor=UserFactory(), tender=evaluation.tender, kind="recheck",
                              text=" ")
    assert not Recheck.objects.exists()
