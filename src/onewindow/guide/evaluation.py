"""Measuring the guide on a set of questions with known answers (tests/guide/eval_*.tsv).

A set is a TSV file: question, then the expected items (basic codes or names, separated by
`,` or `|`). A question is a top-k hit when any expected item is among the first k items
answered. Latency is the wall time of the whole `guide_answer` call (index version check,
scoring, fetching the items), after one warm-up question has built the index."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from onewindow.catalog.models import ServiceItem
from onewindow.guide.selectors import guide_answer


@dataclass(frozen=True)
class Case:
    question: str
    expected: tuple[str, ...]


@dataclass
class Result:
    total: int = 0
    top1: int = 0
    top3: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this thread's CPU time, load aside
    misses: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def percentile(self, p: float, values: list[float] | None = None) -> float:
        values = self.latencies_ms if values is None else values
        if len(values) < 2:
            return values[0] if values else 0.0
        return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]

    def summary(self, name: str) -> str:
        return (f"{name}: {self.total} questions  top-1 {self.top1_rate:.1%}  "
                f"top-3 {self.top3_rate:.1%}  p50 {self.percentile(50):.1f} ms  "
                f"p95 {self.percentile(95):.1f} ms  (CPU p50 "
                f"{self.percentile(50, self.cpu_ms):.1f} ms, p95 "
                f"{self.percentile(95, self.cpu_ms):.1f} ms)")


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        question, expected = line.split("\t")
        keys = tuple(k.strip() for k in expected.split("|") if k.strip())
        cases.append(Case(question, keys))
    return cases


def resolve(cases: list[Case], *, by: str) -> dict[str, set[int]]:
    """Expected keys → pks of published items, by "basic_code" or "name"; a key that names
    no published item is an error in the set, not a miss of the guide."""
    keys = {k for c in cases for k in c.expected}
    found: dict[str, set[int]] = {}
    for pk, key in ServiceItem.objects.filter(is_published=True, **{f"{by}__in": keys}
                                              ).values_list("pk", by):
        found.setdefault(key, set()).add(pk)
    missing = keys - found.keys()
    if missing:
        raise ValueError(f"expected items not in the catalog: {sorted(missing)}")
    return found


def evaluate(cases: list[Case], *, by: str) -> Result:
    pks = resolve(cases, by=by)
    guide_answer(query="营业执照")  # warm-up: builds this process's index
    result = Result()
    for case in cases:
        wanted = set().union(*(pks[k] for k in case.expected))
        start, cpu = time.perf_counter(), time.thread_time()
        answer = guide_answer(query=case.question, limit=3)
        result.latencies_ms.append((time.perf_counter() - start) * 1000)
        result.cpu_ms.append((time.thread_time() - cpu) * 1000)
        got = [a.item.pk for a in answer.items]
        result.total += 1
        result.top1 += bool(got[:1] and got[0] in wanted)
        if wanted & set(got[:3]):
            result.top3 += 1
        else:
            result.misses.append((case.question, [a.item.name for a in answer.items]))
    return result
