import datetime as dt

import pytest
from django.utils import timezone

from onewindow.audit.models import AuditEvent
from onewindow.audit.services import audit_record
from onewindow.cases.models import Notification
from onewindow.feedback.enums import Level, RectificationState
from onewindow.feedback.errors import RatingError
from onewindow.feedback.models import Rating, Rectification
from onewindow.feedback.selectors import rating_of, ratings_by_subject
from onewindow.feedback.services import rating_submit
from onewindow.feedback.subjects import resolve
from onewindow.workdays.selectors import add_working_days
from tests.feedback.factories import CompletedCaseFactory


def test_rating_submit_good_records_attribution_without_task(zone, rate):
    rating = rate(Level.VERY_SATISFIED)
    assert (rating.level, rating.department, rating.window, rating.clerk) == \
        (5, zone.dept, zone.window, zone.clerk)
    assert rating.kind == "case" and zone.case.number in rating.title
    assert not Rectification.objects.exists()
    assert AuditEvent.objects.filter(action="rating.submit", object_id=str(rating.pk)).exists()


def test_rating_submit_bad_opens_rectification_due_in_15_working_days(zone, rate):
    rating = rate(Level.DISSATISFIED, "材料被退回三次")
    task = rating.rectification
    assert task.department == zone.dept and task.state == RectificationState.OPEN
    assert task.due_on == add_working_days(timezone.localdate(), 15).date
    assert AuditEvent.objects.filter(action="rectification.open").count() == 1


def test_rating_submit_rectification_limit_is_a_setting(zone, rate, feedback_config):
    feedback_config(rectification_days=5)
    task = rate(Level.VERY_DISSATISFIED, "态度差").rectification
    assert task.due_on == add_working_days(timezone.localdate(), 5).date


def test_rating_submit_bad_without_reason_refused_and_nothing_written(zone, rate):
    with pytest.raises(RatingError, match="原因"):
        rate(Level.DISSATISFIED, "  ")
    assert not Rating.objects.exists() and not Rectification.objects.exists()


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_rating_submit_bad_level_refused(zone, rate, level):
    with pytest.raises(RatingError, match="评价等级"):
        rate(level)


def test_rating_submit_twice_changes_the_one_rating(zone, rate):
    first = rate(Level.SATISFIED)
    second = rate(Level.BASIC, "一般")
    assert first.pk == second.pk and Rating.objects.count() == 1
    second.refresh_from_db()
    assert (second.level, second.change_count) == (3, 1) and second.changed_at is not None
    change = AuditEvent.objects.get(action="rating.change")
    assert change.old_value["level"] == 4 and change.new_value["level"] == 3


def test_rating_change_after_period_refused(zone, rate, feedback_config):
    rating = rate(Level.SATISFIED)
    Rating.objects.filter(pk=rating.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(RatingError, match="7 天"):
        rate(Level.VERY_DISSATISFIED, "后悔了")
    feedback_config(rating_change_days=10)
    assert rate(Level.BASIC).level == 3


def test_rating_change_good_to_bad_opens_one_task(zone, rate):
    rate(Level.SATISFIED)
    rate(Level.DISSATISFIED, "其实很慢")
    rate(Level.VERY_DISSATISFIED, "非常慢")
    assert Rectification.objects.count() == 1


def test_resolve_case_refuses_stranger_staff_and_unfinished(zone):
    assert resolve("case", zone.stranger, zone.case.pk) is None
    assert resolve("case", zone.reviewer, zone.case.pk) is None
    open_case = CompletedCaseFactory(applicant=zone.applicant, state="in_review")
    assert resolve("case", zone.applicant, open_case.pk) is None
    assert resolve("case", zone.applicant, 999999) is None
    assert resolve("nothing", zone.applicant, zone.case.pk) is None


def test_resolve_case_without_claim_uses_accepting_clerk(zone):
    case = CompletedCaseFactory(applicant=zone.applicant, item__department=zone.dept)
    audit_record(actor=zone.clerk, action="case_accept", obj=case)
    subject = resolve("case", zone.applicant, case.pk)
    assert subject.clerk == zone.clerk and subject.window == zone.window


def test_rating_of_and_ratings_by_subject(zone, rate):
    assert rating_of(subject=zone.case, rater=zone.applicant) is None
    rating = rate(Level.SATISFIED)
    other = CompletedCaseFactory(applicant=zone.applicant)
    assert rating_of(subject=zone.case, rater=zone.applicant) == rating
    assert rating_of(subject=zone.case, rater=zone.stranger) is None
    assert ratings_by_subject(model=type(zone.case), ids=[zone.case.pk, other.pk]) == \
        {zone.case.pk: rating}


def test_rating_submit_bad_without_department_tells_supervisors(
        zone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rating = rating_submit(actor=zone.applicant, subject=zone.case, level=1, comment="差",
                               channel="api")
    assert rating.kind == "case" and rating.department is None and rating.channel == "api"
    assert not Rectification.objects.exists()
    assert Notification.objects.filter(user=zone.supervisor,
                                        verb="rating_bad_unassigned").count() == 1


def test_rating_submit_bad_tells_the_department(zone, rate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = rate(Level.DISSATISFIED, "太慢").rectification
    note = Notification.objects.get(user=zone.reviewer, verb="rectification_open")
    assert str(task.due_on) in note.title and note.link.endswith(f"/{task.pk}/")
    assert not Notification.objects.filter(user=zone.other_reviewer).exists()
