"""Reads of decision tables: the version in force, compiled tables, a case's facts, replays."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.enums import CaseState
from onewindow.cases.models import Case
from onewindow.core.db import Prepared
from onewindow.decisions.engine import CompiledTable, Result, check, compile_table, evaluate
from onewindow.decisions.engine.facts import FactInvalid, coerce, jsonable, read_source
from onewindow.decisions.enums import Outcome
from onewindow.decisions.models import DecisionRecord, DecisionTable, DecisionTableVersion

REPLAY_LIMIT = 1000


def table_list() -> QuerySet[DecisionTable]:
    return (DecisionTable.objects.select_related("item", "item__department")
            .annotate(version_count=Count("versions"),
                      published_number=Max("versions__number",
                                           filter=Q(versions__published_at__isnull=False)))
            .prefetch_related("versions"))


def version_get(pk: int) -> DecisionTableVersion:
    return DecisionTableVersion.objects.select_related("table", "table__item",
                                                       "published_by").get(pk=pk)


def version_in_force(item_id: int) -> DecisionTableVersion | None:
    """The newest published version of the item's table (None: no table, or none published)."""
    return _VERSION_IN_FORCE.first(item_id)


_VERSION_IN_FORCE = Prepared(lambda item_id: DecisionTableVersion.objects.select_related("table")
                             .filter(table__item_id=item_id, published_at__isnull=False)
                             .order_by("-number"))


def compiled(version: DecisionTableVersion) -> CompiledTable:
    """The version compiled. Published versions never change, so their compiled form is kept
    per process (keyed by id and publication time); a draft is compiled anew each time."""
    if version.published_at is None:
        return compile_table(version.hit_policy, version.inputs, version.rows)
    return _compiled_published(version.pk, version.published_at)


@lru_cache(maxsize=256)
def _compiled_published(version_id: int, published_at: dt.datetime) -> CompiledTable:
    version = DecisionTableVersion.objects.get(pk=version_id)
    return compile_table(version.hit_policy, version.inputs, version.rows)


def table_in_force(item_id: int) -> CompiledTable | None:
    """The compiled version in force for the item, or None."""
    version = version_in_force(item_id)
    return compiled(version) if version is not None else None


def version_problems(version: DecisionTableVersion) -> list:
    return check(version.hit_policy, version.inputs, version.rows)[1]


# --- a case's facts --------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseFacts:
    values: dict[str, Any]  # input name → typed value (None: missing or unreadable)
    snapshot: dict[str, Any]  # source → value as JSON: what a decision record keeps
    unreadable: tuple[str, ...] = ()  # "项目总投资（万元）：“abc”不是数字"


def case_facts(case: Case, table: CompiledTable, *, today: dt.date | None = None,
               recorded: dict | None = None) -> CaseFacts:
    """The table's inputs read from `case` (its form and the platform's data on it).

    `recorded`, a decision record's snapshot, takes precedence for the sources it holds: a
    replay then sees what the recorded decision saw."""
    today = today or timezone.localdate()
    values, snapshot, unreadable = {}, {}, []
    for spec in table.inputs:
        if recorded is not None and spec.source in recorded:
            raw = recorded[spec.source]
        else:
            raw = read_source(case, spec.source, today)
        try:
            value = coerce(raw, spec.type, spec.choices)
        except FactInvalid as err:
            value = None
            unreadable.append(f"{spec.label}：{err.message}")
        values[spec.name] = value
        snapshot[spec.source] = jsonable(value)
    return CaseFacts(values, snapshot, tuple(unreadable))


def decide(table: CompiledTable, facts: CaseFacts) -> Result:
    """`evaluate`, with the unreadable values named in the reason of a referral."""
    result = evaluate(table, facts.values)
    if result.approves or not facts.unreadable:
        return result
    return Result(result.outcome, result.row, _("申请表中有无法识别的信息（%(list)s），转人工"
                                                "办理。") % {"list": "；".join(facts.unreadable)},
                  result.missing)


def last_record(case_id: int) -> DecisionRecord | None:
    return _LAST_RECORD.first(case_id)


_LAST_RECORD = Prepared(lambda case_id: DecisionRecord.objects.select_related(
    "version", "version__table").filter(case_id=case_id).order_by("-at", "-id"))


# --- replaying a version against real cases --------------------------------------------------
@dataclass(frozen=True)
class ReplayCase:
    case: Case
    recorded: DecisionRecord | None
    result: Result


@dataclass
class ReplayReport:
    total: int = 0
    counts: Counter = field(default_factory=Counter)  # (outcome, row or None) → cases
    without_record: int = 0
    changed: list[ReplayCase] = field(default_factory=list)

    @property
    def count_rows(self) -> list[tuple[str, int | None, int]]:
        return sorted(((o, r, n) for (o, r), n in self.counts.items()),
                      key=lambda t: (t[1] is None, t[1] or 0, t[0]))


def replay(version: DecisionTableVersion, *, limit: int = REPLAY_LIMIT) -> ReplayReport:
    """Run `version` on the item's last `limit` submitted cases: counts per outcome and row,
    and the cases whose outcome would differ from their last decision record."""
    table = compiled(version)
    latest = (Case.objects.filter(item_id=version.table.item_id)
              .exclude(state=CaseState.DRAFT).order_by("-submitted_at", "-id")[:limit])
    cases = list(latest.select_related("enterprise"))
    records = _last_records(latest.values("pk"))
    report, today = ReplayReport(total=len(cases)), timezone.localdate()
    for case in cases:
        record = records.get(case.pk)
        facts = case_facts(case, table, today=today,
                           recorded=record.inputs if record is not None else None)
        result = decide(table, facts)
        report.counts[(result.outcome, result.row)] += 1
        if record is None:
            report.without_record += 1
        elif record.outcome != result.outcome:
            report.changed.append(ReplayCase(case, record, result))
    return report


def _last_records(case_ids: QuerySet) -> dict[int, DecisionRecord]:
    last: dict[int, DecisionRecord] = {}
    for record in (DecisionRecord.objects.filter(case_id__in=case_ids)
                   .select_related("version").order_by("case_id", "at", "id")):
        last[record.case_id] = record
    return last


def outcome_label(outcome: str) -> str:
    return str(Outcome(outcome).label)
