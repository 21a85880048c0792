from onewindow.feedback.models import RatingInvitation, SurveyImport, SurveyResult
from onewindow.feedback.seeding import DEMO_SCORES, seed_demo_feedback
from tests.factories import ServiceHallFactory, WindowFactory


def test_seed_demo_feedback_invites_and_imports_once(zone):
    hall = ServiceHallFactory(code="center")
    for number in ("01", "02"):
        WindowFactory(hall=hall, number=number)
    assert seed_demo_feedback() == 2  # one invitation, one survey
    assert seed_demo_feedback() == 0
    assert RatingInvitation.objects.get().object_id == zone.case.pk
    survey = SurveyImport.objects.get()
    assert [float(r.score) for r in SurveyResult.objects.order_by("window__number")] == \
        [score for score, _samples in DEMO_SCORES[:2]]
    assert survey.month.day == 1
