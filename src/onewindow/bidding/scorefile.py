"""The JSON format of `onewindow bidding score FILE.json` (see docs/bidding-score-format.md):
a tender with its bids and the experts' scores in, the ranking out. Numbers are read as
Decimal (never float), so "0.125" stays 0.125."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from onewindow.bidding import scoring

METHODS = (scoring.COMPREHENSIVE, scoring.LOWEST_PRICE)


class ScoreFileError(ValueError):
    pass


def _decimal(value, where: str) -> Decimal:
    if isinstance(value, bool):
        raise ScoreFileError(f"{where}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ScoreFileError(f"{where}: expected a number, got {value!r}") from None
    if not number.is_finite():
        raise ScoreFileError(f"{where}: expected a finite number, got {value!r}")
    return number


def _expert_total(value, where: str, bounds: dict[str, tuple[Decimal, Decimal]]) -> Decimal:
    if not isinstance(value, dict):
        return _decimal(value, where)
    total = Decimal("0")
    for criterion, points in value.items():
        number = _decimal(points, f"{where}.{criterion}")
        if bounds:
            if criterion not in bounds:
                raise ScoreFileError(f"{where}: unknown criterion {criterion!r}")
            low, high = bounds[criterion]
            if not low <= number <= high:
                raise ScoreFileError(f"{where}.{criterion}: {number} outside {low}..{high}")
        total += number
    missing = sorted(set(bounds) - set(value))
    if bounds and missing:
        raise ScoreFileError(f"{where}: missing criteria {', '.join(missing)}")
    return total


def _bid(raw: dict, index: int, bounds) -> tuple[scoring.BidInput, dict]:
    where = f"bids[{index}]"
    if not isinstance(raw, dict) or "id" not in raw or "price" not in raw:
        raise ScoreFileError(f"{where}: needs at least \"id\" and \"price\"")
    scores = raw.get("scores", [])
    if isinstance(scores, dict):
        totals = [_expert_total(v, f"{where}.scores.{k}", bounds)
                  for k, v in sorted(scores.items())]
    elif isinstance(scores, list):
        totals = [_expert_total(v, f"{where}.scores[{i}]", bounds)
                  for i, v in enumerate(scores)]
    else:
        raise ScoreFileError(f"{where}.scores: expected a list or an object")
    price = _decimal(raw["price"], f"{where}.price")
    if price <= 0:
        raise ScoreFileError(f"{where}.price: must be positive")
    compliant = raw.get("compliant", True)
    if not isinstance(compliant, bool):
        raise ScoreFileError(f"{where}.compliant: expected true or false")
    bid = scoring.BidInput(key=str(raw["id"]), price=price, compliant=compliant,
                           expert_points=tuple(totals))
    return bid, {"bidder": raw.get("bidder", ""), "reason": raw.get("reason", "")}


def _bounds(criteria) -> dict[str, tuple[Decimal, Decimal]]:
    bounds = {}
    for i, criterion in enumerate(criteria or []):
        if not isinstance(criterion, dict) or "id" not in criterion or "max" not in criterion:
            raise ScoreFileError(f"criteria[{i}]: needs \"id\" and \"max\"")
        bounds[str(criterion["id"])] = (_decimal(criterion.get("min", 0), f"criteria[{i}].min"),
                                        _decimal(criterion["max"], f"criteria[{i}].max"))
    return bounds


def rank_document(text: str) -> dict:
    """Parse the input document and return the output document."""
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ScoreFileError(f"not JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("bids"), list):
        raise ScoreFileError("expected an object with a \"bids\" list")
    method = doc.get("method", scoring.COMPREHENSIVE)
    if method not in METHODS:
        raise ScoreFileError(f"method: expected one of {', '.join(METHODS)}")
    weight = _decimal(doc.get("price_weight", 0), "price_weight")
    if method == scoring.COMPREHENSIVE and not 0 <= weight <= 100:
        raise ScoreFileError("price_weight: expected 0..100")
    bounds = _bounds(doc.get("criteria"))
    parsed = [_bid(raw, i, bounds) for i, raw in enumerate(doc["bids"])]
    keys = [b.key for b, _ in parsed]
    if len(set(keys)) != len(keys):
        raise ScoreFileError("bids: ids must be unique")
    extra = {b.key: e for b, e in parsed}
    try:
        results = scoring.evaluate([b for b, _ in parsed], method=method, price_weight=weight,
                                   trimmed=bool(doc.get("trimmed_mean", False)),
                                   tie_on_exact=bool(doc.get("tie_on_exact", False)))
    except ValueError as exc:
        raise ScoreFileError(str(exc)) from None
    return {
        "method": method,
        "ranking": [_out(r, extra[r.key]) for r in results if r.rank is not None],
        "excluded": [{"id": r.key, "bidder": extra[r.key]["bidder"], "price": str(r.price),
                      "reason": extra[r.key]["reason"]} for r in results if r.rank is None],
    }


def _out(result: scoring.BidResult, extra: dict) -> dict:
    def s(value):
        return None if value is None else str(value)

    return {"rank": result.rank, "tied": result.tied, "id": result.key,
            "bidder": extra["bidder"], "price": str(result.price),
            "price_score": s(result.price_score), "technical_score": s(result.technical_score),
            "total": s(result.total)}
