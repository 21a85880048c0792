"""A decision table: checked, compiled once, then evaluated many times (pure functions).

`check` returns every problem at once ("第N行：…"), so that an administrator fixes a table in
one pass; `compile_table` raises `TableInvalid` with them. `evaluate` runs a compiled table on
typed facts. A fact that is missing (None) makes a row that tests it undecidable: under FIRST
the first undecidable row stops the evaluation (a later row may only win if it could not have
matched); under UNIQUE a row that surely matches still wins, since no other row can.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from onewindow.decisions.engine import conditions
from onewindow.decisions.engine.facts import (
    FORM_KEY_RE,
    FORM_PREFIX,
    PLATFORM_FACTS,
    is_form_source,
)
from onewindow.decisions.enums import HitPolicy, InputType, Outcome
from onewindow.decisions.errors import TableInvalid

NAME_RE = re.compile(r"^\w{1,40}$")
INPUT_KEYS = frozenset({"name", "label", "type", "source", "choices"})
ROW_KEYS = frozenset({"when", "outcome", "reason"})
_UNDECIDED = None


@dataclass(frozen=True)
class Problem:
    row: int | None  # 1-based row number; None: the inputs or the table as a whole
    message: str


@dataclass(frozen=True)
class InputSpec:
    name: str
    label: str
    type: str
    source: str
    choices: tuple[str, ...] = ()
    choice_labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CompiledRow:
    number: int
    tests: tuple[tuple[int, Callable[[Any], bool]], ...]
    domains: tuple  # one per input: the values this row lets through
    outcome: str
    reason: str
    when: dict = field(compare=False)


@dataclass(frozen=True)
class CompiledTable:
    hit_policy: str
    inputs: tuple[InputSpec, ...]
    rows: tuple[CompiledRow, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)


@dataclass(frozen=True)
class Result:
    outcome: str
    row: int | None  # the deciding row (1-based); None when no row decided
    reason: str
    missing: tuple[str, ...] = ()  # labels of the inputs the decision lacked

    @property
    def approves(self) -> bool:
        return self.outcome == Outcome.APPROVE


# --- checking and compiling ------------------------------------------------------------------
def check(hit_policy: str, inputs: Any, rows: Any) -> tuple[CompiledTable | None, list[Problem]]:
    """The compiled table and no problems, or None and every problem found."""
    problems: list[Problem] = []
    if hit_policy not in HitPolicy.values:
        problems.append(Problem(None, _("命中策略“%(p)s”无效，应为 unique 或 first") % {
            "p": hit_policy}))
    specs, broken = _inputs(inputs, problems)
    compiled = _rows(rows, specs, broken, problems)
    if hit_policy == HitPolicy.UNIQUE:
        problems += _overlaps(compiled, specs)
    if problems:
        return None, sorted(problems, key=lambda p: p.row or 0)
    return CompiledTable(hit_policy, tuple(specs), tuple(compiled)), []


def compile_table(hit_policy: str, inputs: Any, rows: Any) -> CompiledTable:
    table, problems = check(hit_policy, inputs, rows)
    if problems:
        raise TableInvalid(problems)
    return table


def _inputs(inputs: Any, problems: list[Problem]) -> tuple[list[InputSpec], set]:
    """The inputs that are right, and the names of those that are not (a row that tests one
    of them is not reported again)."""
    if not isinstance(inputs, list) or not inputs:
        problems.append(Problem(None, _("输入字段应是一个非空列表，每项写明 name、type、source")))
        return [], set()
    specs, seen = [], set()
    for n, raw in enumerate(inputs, start=1):
        name = raw.get("name") if isinstance(raw, dict) else None
        try:
            if isinstance(name, str) and name in seen:
                raise conditions.ConditionError(_("名称“%(name)s”重复") % {"name": name})
            seen.add(name)
            specs.append(_input(raw))
        except conditions.ConditionError as err:
            problems.append(Problem(None, _("输入第 %(n)s 项：%(msg)s") % {
                "n": n, "msg": err.message}))
    return specs, seen - {s.name for s in specs}


def _input(raw: Any) -> InputSpec:
    fail = conditions.ConditionError
    if not isinstance(raw, dict):
        raise fail(_("应写成 {\"name\": …, \"type\": …, \"source\": …}"))
    if unknown := sorted(set(raw) - INPUT_KEYS):
        raise fail(_("未知的键 %(keys)s（可用：name、label、type、source、choices）") % {
            "keys": "、".join(unknown)})
    name, source = raw.get("name"), raw.get("source")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise fail(_("名称应是 1–40 个字母、数字、汉字或下划线，不含空格"))
    if not isinstance(source, str) or not source:
        raise fail(_("“%(name)s”缺少数据来源 source") % {"name": name})
    if is_form_source(source):
        return _form_input(raw, name, source)
    return _platform_input(raw, name, source)


def _form_input(raw: dict, name: str, source: str) -> InputSpec:
    fail = conditions.ConditionError
    if not FORM_KEY_RE.match(source.removeprefix(FORM_PREFIX)):
        raise fail(_("“%(name)s”的来源“%(source)s”无效：申请表字段写作 form:字段代码（字母开头，"
                     "字母、数字、下划线）") % {"name": name, "source": source})
    type_ = raw.get("type")
    if type_ not in InputType.values:
        raise fail(_("“%(name)s”的类型“%(type)s”无效，可用：%(types)s") % {
            "name": name, "type": type_, "types": "、".join(InputType.values)})
    choices = ()
    if type_ == InputType.ENUM:
        choices = raw.get("choices")
        if (not isinstance(choices, list) or not choices
                or not all(isinstance(c, str) and c.strip() for c in choices)
                or len(set(choices)) != len(choices)):
            raise fail(_("“%(name)s”是可选项，choices 应列出各不相同的文本，例如 "
                         "[\"新建\", \"扩建\"]") % {"name": name})
        choices = tuple(choices)
    elif "choices" in raw:
        raise fail(_("“%(name)s”不是可选项（enum），不能写 choices") % {"name": name})
    return InputSpec(name, _label(raw, name), type_, source, choices,
                     tuple((c, c) for c in choices))


def _platform_input(raw: dict, name: str, source: str) -> InputSpec:
    fail = conditions.ConditionError
    fact = PLATFORM_FACTS.get(source)
    if fact is None:
        raise fail(_("“%(name)s”的来源“%(source)s”未知：平台数据可用 %(facts)s；申请表字段写作 "
                     "form:字段代码") % {"name": name, "source": source,
                                         "facts": "、".join(PLATFORM_FACTS)})
    if raw.get("type", fact.type) != fact.type:
        raise fail(_("“%(name)s”的类型应为 %(type)s（平台数据 %(source)s 的类型）") % {
            "name": name, "type": fact.type, "source": source})
    if "choices" in raw:
        raise fail(_("“%(name)s”的可选项由平台提供，不要写 choices") % {"name": name})
    return InputSpec(name, _label(raw, str(fact.label)), fact.type, source,
                     tuple(c for c, _label_ in fact.choices),
                     tuple((c, str(label)) for c, label in fact.choices))


def _label(raw: dict, default: str) -> str:
    label = raw.get("label")
    return label.strip() if isinstance(label, str) and label.strip() else default


def _rows(rows: Any, specs: list[InputSpec], broken: set,
          problems: list[Problem]) -> list[CompiledRow | None]:
    """One compiled row per row; None in place of a row with problems."""
    if not isinstance(rows, list) or not rows:
        problems.append(Problem(None, _("规则行应是一个非空列表")))
        return []
    index = {s.name: i for i, s in enumerate(specs)}
    compiled = []
    for number, raw in enumerate(rows, start=1):
        messages: list[str] = []
        row = _row(raw, number, specs, index, broken, messages)
        compiled.append(row)
        problems += [Problem(number, _("第%(n)s行：%(msg)s") % {"n": number, "msg": m})
                     for m in messages]
    return compiled


def _row(raw: Any, number: int, specs, index, broken, messages: list[str]) -> CompiledRow | None:
    """The compiled row, or None with its problems added to `messages` (a row that tests a
    broken input is None without a message of its own: the input's problem says it)."""
    if not isinstance(raw, dict):
        messages.append(_("应写成 {\"when\": {…}, \"outcome\": …, \"reason\": …}"))
        return None
    waits = False
    if unknown := sorted(set(raw) - ROW_KEYS):
        messages.append(_("未知的键 %(keys)s（可用：when、outcome、reason）") % {
            "keys": "、".join(unknown)})
    outcome, reason, when = raw.get("outcome"), raw.get("reason"), raw.get("when", {})
    if outcome not in Outcome.values:
        messages.append(_("结果 outcome 应为 approve（准予）或 refer（转人工办理），而不是"
                          "“%(o)s”") % {"o": outcome})
    if not isinstance(reason, str) or not reason.strip():
        messages.append(_("缺少理由 reason（申请人和工作人员会看到它）"))
    if not isinstance(when, dict):
        messages.append(_("条件 when 应写成 {\"字段\": [运算符, 值], …}"))
        return None
    tests, row_domains = [], [None] * len(specs)
    for name, spec_value in when.items():
        if name in broken:
            waits = True
            continue
        if name not in index:
            messages.append(_("字段“%(name)s”未在输入中声明（已声明：%(names)s）") % {
                "name": name, "names": "、".join(index) or "—"})
            continue
        spec = specs[index[name]]
        try:
            condition = conditions.parse(spec_value, type_=spec.type, choices=spec.choices,
                                         label=spec.name)
        except conditions.ConditionError as err:
            messages.append(err.message)
            continue
        row_domains[index[name]] = condition.domain
        if condition.test is not None:
            tests.append((index[name], condition.test))
    if messages or waits:
        return None
    return CompiledRow(number, tuple(tests), tuple(row_domains), outcome, reason.strip(), when)


def _overlaps(rows: list[CompiledRow | None], specs: list[InputSpec]) -> list[Problem]:
    """Under UNIQUE: each later row that can match together with an earlier one."""
    problems = []
    for a, b in itertools.combinations([r for r in rows if r is not None], 2):
        example = _common_example(a, b, specs)
        if example is not None:
            problems.append(Problem(b.number, _(
                "第%(b)s行：与第%(a)s行可能同时满足（例如 %(example)s）。命中策略为“唯一命中”时"
                "不允许，请收窄其中一行的条件，或改用“首条命中”") % {
                "a": a.number, "b": b.number, "example": example}))
    return problems


def _common_example(a: CompiledRow, b: CompiledRow, specs) -> str | None:
    """Facts that both rows let through, or None when no facts can satisfy both."""
    parts = []
    for spec, da, db in zip(specs, a.domains, b.domains, strict=True):
        if da is None and db is None:
            continue  # any value on both sides
        both = db if da is None else da if db is None else da.meet(db)
        if both.empty:
            return None
        parts.append(f"{spec.label}={both.witness()}")
    return "、".join(parts) or _("任何申请")


# --- evaluating --------------------------------------------------------------------------------
def evaluate(table: CompiledTable, facts: Mapping[str, Any]) -> Result:
    """The table's answer for `facts` (input name → typed value; None or absent: missing)."""
    values = [facts.get(name) for name in table.names]
    first = table.hit_policy == HitPolicy.FIRST
    undecided: CompiledRow | None = None
    for row in table.rows:
        match = _match(row, values)
        if match is True:
            return Result(row.outcome, row.number, row.reason)
        if match is _UNDECIDED:
            undecided = undecided or row
            if first:
                break
    if undecided is not None:
        return _missing(table, undecided, values)
    return Result(Outcome.REFER, None, _("没有适用的规则行，转人工办理。"))


def _match(row: CompiledRow, values: list) -> bool | None:
    """True, False, or None when a missing fact leaves the row undecided."""
    decided = True
    for i, test in row.tests:
        value = values[i]
        if value is None:
            decided = False
        elif not test(value):
            return False
    return True if decided else _UNDECIDED


def _missing(table: CompiledTable, row: CompiledRow, values: list) -> Result:
    labels = tuple(table.inputs[i].label for i, _test in row.tests if values[i] is None)
    return Result(Outcome.REFER, None, _("缺少判断所需的信息：%(labels)s，转人工办理。") % {
        "labels": "、".join(labels)}, missing=labels)
