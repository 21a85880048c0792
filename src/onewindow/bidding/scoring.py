"""Price scores, means, totals and ranking, exactly as domain/bid-evaluation.md says.

Pure functions over plain data (no ORM), in Decimal with ROUND_HALF_UP to 2 places, so that the
services, the report, the OCDS export and `onewindow bidding score FILE.json` share one
implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

TWO_PLACES = Decimal("0.01")
COMPREHENSIVE = "comprehensive"
LOWEST_PRICE = "lowest_price"


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class BidInput:
    key: str
    price: Decimal
    compliant: bool = True
    # One list per expert: that expert's points on each criterion (summed per expert).
    expert_points: tuple[Decimal, ...] = ()


@dataclass
class BidResult:
    key: str
    price: Decimal
    compliant: bool
    price_score: Decimal | None = None
    technical_score: Decimal | None = None
    total: Decimal | None = None
    exact_total: Decimal | None = None
    rank: int | None = None
    tied: bool = False
    expert_totals: list[Decimal] = field(default_factory=list)


def price_score(*, base: Decimal, price: Decimal, weight: Decimal) -> Decimal:
    """base price / bid price × price weight, exact (rounded where it is shown)."""
    return base / price * weight


def expert_mean(points: list[Decimal], *, trimmed: bool = False) -> Decimal:
    """The arithmetic mean of the experts' totals, exact; `trimmed` drops one highest and one
    lowest (a per-tender setting, needs at least 3 experts)."""
    values = sorted(points)
    if trimmed:
        if len(values) < 3:
            raise ValueError("a trimmed mean needs at least 3 expert scores")
        values = values[1:-1]
    if not values:
        return Decimal("0")
    return sum(values, Decimal("0")) / len(values)


def evaluate(bids: list[BidInput], *, method: str, price_weight: Decimal,
             trimmed: bool = False, tie_on_exact: bool = False) -> list[BidResult]:
    """Score and rank `bids`; the result is in ranking order, non-compliant bids last, unranked."""
    results = [BidResult(key=b.key, price=b.price, compliant=b.compliant,
                         expert_totals=list(b.expert_points)) for b in bids]
    ranked = [r for r in results if r.compliant]
    if method == LOWEST_PRICE:
        _rank(ranked, key=lambda r: (r.price,), tie_key=lambda r: (r.price,))
    else:
        _score_comprehensive(ranked, price_weight=price_weight, trimmed=trimmed)
        total = (lambda r: r.exact_total) if tie_on_exact else (lambda r: r.total)
        _rank(ranked, key=lambda r: (-total(r), r.price), tie_key=lambda r: (total(r), r.price))
    ranked.sort(key=lambda r: (r.rank, r.key))
    return ranked + [r for r in results if not r.compliant]


def _score_comprehensive(ranked: list[BidResult], *, price_weight: Decimal,
                         trimmed: bool) -> None:
    if not ranked:
        return
    base = min(r.price for r in ranked)  # 评标基准价: the lowest compliant price
    for r in ranked:
        exact_price = price_score(base=base, price=r.price, weight=price_weight)
        exact_mean = expert_mean(r.expert_totals, trimmed=trimmed)
        r.price_score = round2(exact_price)
        r.technical_score = round2(exact_mean)
        # Published totals add the published (rounded) parts; the exact total is kept for a
        # tender whose document ties on unrounded scores.
        r.total = r.price_score + r.technical_score
        r.exact_total = exact_price + exact_mean


def _rank(ranked: list[BidResult], *, key, tie_key) -> None:
    """Competition ranking (1, 1, 3): equal `tie_key` share a rank and are marked tied."""
    ranked.sort(key=key)
    previous = None
    for position, r in enumerate(ranked, start=1):
        if previous is not None and tie_key(r) == tie_key(previous):
            r.rank = previous.rank
            r.tied = previous.tied = True
        else:
            r.rank = position
        previous = r


def committee_problems(*, size: int, experts: int, budget: Decimal, complex_project: bool,
                       large_budget: Decimal = Decimal("10000000")) -> list[str]:
    """The committee rules (财政部令第87号 Art. 47; 暂行规定 Art. 9): what is wrong, in Chinese;
    an empty list means the committee is valid."""
    problems = []
    if size < 5:
        problems.append(_("评标委员会成员应为5人以上。"))
    if size % 2 == 0:
        problems.append(_("评标委员会成员人数应为单数。"))
    if experts * 3 < size * 2:
        problems.append(_("评审专家不得少于成员总数的三分之二。"))
    if (budget >= large_budget or complex_project) and size < 7:
        problems.append(_("预算金额1000万元以上或技术复杂、社会影响较大的项目，"
                          "评标委员会成员应为7人以上。"))
    return problems
