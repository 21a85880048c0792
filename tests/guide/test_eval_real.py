"""The real-catalog evaluation set as a check that can fail: top-3 ≥ 80% over the 1,135
imported items with no synonym at all (names and departments are all the guide knows)."""

import pytest

from onewindow.guide.evaluation import evaluate, load_cases
from onewindow.guide.models import Synonym
from tests.guide.conftest import EVAL_REAL

pytestmark = pytest.mark.django_db


def test_eval_real_set_has_50_questions():
    assert len(load_cases(EVAL_REAL)) >= 50


def test_eval_real_top3_at_least_80_percent(real_catalog):
    assert not Synonym.objects.exists()
    result = evaluate(load_cases(EVAL_REAL), by="name")
    assert result.top3_rate >= 0.80, result.summary("real") + f"\nmisses: {result.misses}"
