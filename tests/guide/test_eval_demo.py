"""The demo evaluation set as a check that can fail: top-3 ≥ 90% over the seeded demo catalog
(bench/guide_eval.py prints the same figures with latency)."""

import pytest

from onewindow.guide.evaluation import evaluate, load_cases
from tests.guide.conftest import EVAL_DEMO

pytestmark = pytest.mark.django_db


def test_eval_demo_set_has_150_questions():
    assert len(load_cases(EVAL_DEMO)) >= 150


def test_eval_demo_top3_at_least_90_percent(demo_catalog):
    result = evaluate(load_cases(EVAL_DEMO), by="basic_code")
    assert result.top3_rate >= 0.90, result.summary("demo") + f"\nmisses: {result.misses}"
