import datetime as dt
from decimal import Decimal

from django.utils import timezone

from onewindow.feedback.models import Rating
from onewindow.feedback.ranking import monthly_ranking
from tests.factories import UserFactory, WindowFactory
from tests.feedback.factories import CompletedCaseFactory


def completed(clerk, *, late=False, **kwargs):
    today = timezone.localdate()
    return CompletedCaseFactory(
        claimed_by=clerk, item__department=clerk.department,
        promised_due=today - dt.timedelta(days=1) if late else today, **kwargs)


def test_ranking_scores_by_the_documented_formula(zone, rate):
    # Window 7 (zone.clerk): 2 cases (1 late), ratings 5 and 2 → S=1/2, T=1/2, V=2/2.
    late = completed(zone.clerk, late=True, applicant=zone.applicant)
    rate(5)
    rate(2, "慢", case=late)
    # Window 9: 1 case on time, rating 4 → S=1, T=1, V=1/2.
    window9 = WindowFactory(hall=zone.window.hall, number="9", name="市场监管窗口")
    clerk9 = UserFactory(role="window_clerk", window=window9, department=zone.other)
    case9 = completed(clerk9, applicant=zone.applicant)
    rate(4, case=case9)
    # A window with a rating but no completed case this month is not ranked.
    lonely = WindowFactory(hall=zone.window.hall, number="10")
    Rating.objects.filter(pk=rate(5, case=completed(clerk9, applicant=zone.applicant)).pk) \
        .update(window=lonely)
    case9_extra = Rating.objects.get(window=lonely)
    assert case9_extra.window == lonely

    ranking = monthly_ranking(timezone.localdate())
    by_unit = {row.unit: row for row in ranking.windows}
    w7, w9 = by_unit[zone.window], by_unit[window9]
    assert (w7.ratings, w7.satisfied, w7.cases, w7.on_time) == (2, 1, 2, 1)
    assert (w9.ratings, w9.satisfied, w9.cases, w9.on_time) == (1, 1, 2, 2)
    # Both have 2 cases: V=1 for both. w7: 50·½+30·½+20 = 60; w9: 50+30+20 = 100.
    assert (w9.score, w9.rank, w7.score, w7.rank) == (Decimal("100.0"), 1, Decimal("60.0"), 2)
    assert by_unit[lonely].rank is None and ranking.windows[-1].unit == lonely
    assert {row.unit for row in ranking.clerks if row.rank} == {zone.clerk, clerk9}


def test_ranking_volume_index_relative_to_busiest(zone, rate):
    rate(5)
    completed(zone.clerk)
    window9 = WindowFactory(hall=zone.window.hall, number="9")
    clerk9 = UserFactory(role="window_clerk", window=window9, department=zone.other)
    rate(5, case=completed(clerk9, applicant=zone.applicant))
    by_unit = {row.unit: row for row in monthly_ranking(timezone.localdate()).windows}
    # zone.window: 2 cases → V=1, score 100; window9: 1 case → V=½, score 90.
    assert by_unit[zone.window].score == Decimal("100.0")
    assert by_unit[window9].score == Decimal("90.0")


def test_ranking_other_month_is_empty(zone, rate):
    rate(5)
    last_year = timezone.localdate().replace(day=1) - dt.timedelta(days=400)
    ranking = monthly_ranking(last_year)
    assert ranking.windows == [] and ranking.clerks == []
