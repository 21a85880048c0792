"""Every rule of domain/bid-evaluation.md's methods, with its worked examples, in Decimal."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onewindow.bidding.scoring import (
    BidInput,
    committee_problems,
    evaluate,
    expert_mean,
    price_score,
    round2,
)

D = Decimal


def bids(*rows):
    return [BidInput(key=k, price=D(p), compliant=c, expert_points=tuple(D(x) for x in pts))
            for k, p, c, pts in rows]


def test_worked_example_1_goods_weight_30():
    results = evaluate(bids(
        ("A", "950000", True, [60, 62, 58, 61, 59]),
        ("B", "1000000", True, [66, 65, 67, 64, 68]),
        ("C", "1100000", True, [69, 68, 70, 67, 66]),
    ), method="comprehensive", price_weight=D("30"))
    by_key = {r.key: r for r in results}
    assert [by_key[k].price_score for k in "ABC"] == [D("30.00"), D("28.50"), D("25.91")]
    assert [by_key[k].technical_score for k in "ABC"] == [D("60.00"), D("66.00"), D("68.00")]
    assert [by_key[k].total for k in "ABC"] == [D("90.00"), D("94.50"), D("93.91")]
    assert [r.key for r in results] == ["B", "C", "A"]
    assert [r.rank for r in results] == [1, 2, 3] and not any(r.tied for r in results)


def test_worked_example_2_equal_score_lower_price_first():
    results = evaluate(bids(("P2", "1000000", True, [80]), ("P1", "800000", True, [76])),
                       method="comprehensive", price_weight=D("20"))
    assert [(r.key, r.price_score, r.technical_score, r.total, r.rank) for r in results] == [
        ("P1", D("20.00"), D("76.00"), D("96.00"), 1),
        ("P2", D("16.00"), D("80.00"), D("96.00"), 2)]
    assert not any(r.tied for r in results)


def test_worked_example_3_lowest_price_excluded_and_tie():
    results = evaluate(bids(("A", "1020000", True, []), ("B", "998000", False, []),
                            ("C", "1005000", True, []), ("D", "1005000", True, [])),
                       method="lowest_price", price_weight=D("0"))
    assert [(r.key, r.rank, r.tied) for r in results] == [
        ("C", 1, True), ("D", 1, True), ("A", 3, False), ("B", None, False)]


@pytest.mark.parametrize(("size", "experts", "budget", "complex_project", "valid"), [
    (5, 4, "2000000", False, True),      # worked example 4: 5 members with 4 experts
    (5, 3, "2000000", False, False),     # 3/5 < 2/3
    (6, 6, "2000000", False, False),     # even
    (5, 5, "12000000", False, False),    # budget ≥ 10 million needs ≥ 7
    (7, 5, "12000000", False, True),     # 5/7 ≥ 2/3
    (3, 3, "100000", False, False),      # fewer than 5
    (5, 5, "100000", True, False),       # technically complex needs ≥ 7
    (5, 5, "9999999.99", False, True),   # just under the threshold
    (7, 4, "10000000", False, False),    # 4/7 < 2/3
])
def test_committee_problems_rules(size, experts, budget, complex_project, valid):
    problems = committee_problems(size=size, experts=experts, budget=D(budget),
                                  complex_project=complex_project)
    assert (problems == []) is valid


def test_committee_problems_messages_in_chinese():
    assert committee_problems(size=6, experts=3, budget=D("12000000"), complex_project=False) \
        == ["评标委员会成员人数应为单数。", "评审专家不得少于成员总数的三分之二。",
            "预算金额1000万元以上或技术复杂、社会影响较大的项目，评标委员会成员应为7人以上。"]


def test_base_price_is_lowest_compliant_price():
    results = evaluate(bids(("cheap_rejected", "500000", False, [70]),
                            ("A", "800000", True, [70]), ("B", "1000000", True, [70])),
                       method="comprehensive", price_weight=D("30"))
    assert results[0].key == "A" and results[0].price_score == D("30.00")
    assert results[1].price_score == D("24.00")
    assert results[2].key == "cheap_rejected" and results[2].rank is None


def test_mean_round_half_up_two_places():
    assert round2(expert_mean([D("70"), D("70"), D("70.01"), D("70.02")])) == D("70.01")
    # 0.125 rounds up under ROUND_HALF_UP (banker's rounding would give 0.12)
    assert round2(D("0.125")) == D("0.13")
    assert round2(expert_mean([D("60.005"), D("60.005")])) == D("60.01")


def test_trimmed_mean_drops_one_highest_and_one_lowest():
    assert expert_mean([D(x) for x in (50, 60, 61, 62, 90)], trimmed=True) == D("61")
    assert expert_mean([D(x) for x in (50, 60, 61, 62, 90)]) == D("64.6")
    with pytest.raises(ValueError):
        expert_mean([D("1"), D("2")], trimmed=True)


def test_trimmed_mean_changes_ranking_when_enabled():
    rows = (("A", "1000000", True, [40, 80, 80, 80, 100]), ("B", "1000000", True, [81] * 5))
    plain = evaluate(bids(*rows), method="comprehensive", price_weight=D("30"))
    trimmed = evaluate(bids(*rows), method="comprehensive", price_weight=D("30"), trimmed=True)
    assert [r.key for r in plain] == ["B", "A"] and plain[1].technical_score == D("76.00")
    assert [r.key for r in trimmed] == ["B", "A"] and trimmed[1].technical_score == D("80.00")
    rows2 = (("A", "1000000", True, [60, 82, 82, 82, 100]), ("B", "1000000", True, [81.5] * 5))
    assert [r.key for r in evaluate(bids(*rows2), method="comprehensive",
                                    price_weight=D("30"))] == ["B", "A"]
    assert [r.key for r in evaluate(bids(*rows2), method="comprehensive",
                                    price_weight=D("30"), trimmed=True)] == ["A", "B"]


def test_tie_on_rounded_totals_by_default_exact_when_set():
    # price scores 30 × 3/3 = 30 and 30 × 3/3 … use equal prices; means 70.004 vs 70.001
    rows = (("A", "1000000", True, ["70.004"]), ("B", "1000000", True, ["70.001"]))
    rounded = evaluate(bids(*rows), method="comprehensive", price_weight=D("30"))
    assert [(r.rank, r.tied) for r in rounded] == [(1, True), (1, True)]
    exact = evaluate(bids(*rows), method="comprehensive", price_weight=D("30"),
                     tie_on_exact=True)
    assert [(r.key, r.rank, r.tied) for r in exact] == [("A", 1, False), ("B", 2, False)]


def test_equal_score_and_price_tied():
    results = evaluate(bids(("A", "900000", True, [70]), ("B", "900000", True, [70]),
                            ("C", "950000", True, [60])),
                       method="comprehensive", price_weight=D("30"))
    assert [(r.key, r.rank, r.tied) for r in results] == [
        ("A", 1, True), ("B", 1, True), ("C", 3, False)]


def test_price_score_exact_then_rounded():
    assert price_score(base=D("950000"), price=D("1100000"), weight=D("30")) \
        == D("950000") / D("1100000") * D("30")
    assert round2(price_score(base=D("950000"), price=D("1100000"), weight=D("30"))) \
        == D("25.91")


prices = st.decimals(min_value=D("1000"), max_value=D("9999999"), places=2)
points = st.lists(st.decimals(min_value=D("0"), max_value=D("70"), places=2), min_size=5,
                  max_size=5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(prices, points), min_size=1, max_size=8))
def test_ranking_invariants(rows):
    results = evaluate([BidInput(key=str(i), price=p, expert_points=tuple(pts))
                        for i, (p, pts) in enumerate(rows)],
                       method="comprehensive", price_weight=D("30"))
    best = min(p for p, _ in rows)
    for r in results:
        assert D("0") <= r.price_score <= D("30.00")
        assert (r.price_score == D("30.00")) >= (r.price == best)
    for a, b in zip(results, results[1:], strict=False):
        assert (a.total, -a.price) >= (b.total, -b.price)
        assert a.rank <= b.rank
        assert (a.rank == b.rank) == ((a.total, a.price) == (b.total, b.price))
