"""One input's condition in one row: checked against the input's type, compiled to a test.

A condition is written ``[operator, value]`` (``["between", low, high]``, ``["any"]``), a bare
value as short for ``["==", value]``, or a list of conditions that must all hold
(``[[">", 0], ["<", 100000]]``). The operators: ``== != < <= > >= in "not in" between any``.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.utils.translation import gettext as _

from onewindow.decisions.engine import domains
from onewindow.decisions.enums import InputType

OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "between", "any")
ORDERED = frozenset({"<", "<=", ">", ">=", "between"})
LISTED = frozenset({"in", "not in"})
TYPE_WORDS = {InputType.STRING: "文本", InputType.NUMBER: "数字", InputType.BOOLEAN: "是/否",
              InputType.DATE: "日期", InputType.ENUM: "可选项"}


class ConditionError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Condition:
    """The compiled condition: `test(value)` for a present value; `domain` for overlap checks.
    `test` is None for "any"."""

    test: Callable[[Any], bool] | None
    domain: object


def parse(spec: Any, *, type_: str, choices: tuple[str, ...], label: str) -> Condition:
    """Compile `spec` for an input of `type_` (`choices`: an enum's values, in their order).
    Raises ConditionError with a Chinese message."""
    if isinstance(spec, list) and spec and all(isinstance(part, list) for part in spec):
        parts = [_one(part, type_, choices, label) for part in spec]
        return _all_of(parts)
    if not isinstance(spec, list):
        spec = ["==", spec]
    return _one(spec, type_, choices, label)


def _all_of(parts: list[Condition]) -> Condition:
    tests = tuple(p.test for p in parts if p.test is not None)
    domain = parts[0].domain
    for part in parts[1:]:
        domain = domain.meet(part.domain)
    if not tests:
        return Condition(None, domain)
    if len(tests) == 1:
        return Condition(tests[0], domain)
    return Condition(lambda x: all(t(x) for t in tests), domain)


def _one(spec: list, type_: str, choices: tuple[str, ...], label: str) -> Condition:
    if not spec or not isinstance(spec[0], str) or spec[0] not in OPERATORS:
        raise ConditionError(_("字段“%(field)s”的条件“%(spec)s”无效：应写作 [运算符, 值]，"
                               "运算符可用 %(ops)s") % {
            "field": label, "spec": _show(spec), "ops": "、".join(OPERATORS)})
    op, args = spec[0], spec[1:]
    if op in ORDERED and type_ not in (InputType.NUMBER, InputType.DATE):
        raise ConditionError(_("字段“%(field)s”是%(type)s，不能用“%(op)s”比较大小（只有数字和日期"
                               "可以）") % {"field": label, "type": TYPE_WORDS[type_], "op": op})
    values = _values(op, args, type_, choices, label)
    return Condition(_test(op, values), _domain(op, values, type_, choices))


def _values(op: str, args: list, type_: str, choices, label: str) -> tuple:
    expected = {"any": 0, "between": 2}.get(op, 1)
    if len(args) != expected:
        raise ConditionError(_arity_message(op, label))
    if op in LISTED:
        if not isinstance(args[0], list) or not args[0]:
            raise ConditionError(_("字段“%(field)s”：“%(op)s”后面应是一个非空列表，例如 "
                                   "[\"%(op)s\", [\"甲\", \"乙\"]]") % {"field": label, "op": op})
        args = args[0]
    values = tuple(_value(v, type_, choices, label) for v in args)
    if op == "between" and values[0] > values[1]:
        raise ConditionError(_("字段“%(field)s”：between 的下限 %(low)s 大于上限 %(high)s") % {
            "field": label, "low": _show(args[0]), "high": _show(args[1])})
    return values


def _arity_message(op: str, label: str) -> str:
    if op == "any":
        return _("字段“%(field)s”：“any”表示任意值，后面不带值") % {"field": label}
    if op == "between":
        return _("字段“%(field)s”：“between”需要两个值（下限和上限，均包含），例如 "
                 "[\"between\", 0, 100]") % {"field": label}
    return _("字段“%(field)s”：“%(op)s”需要一个值") % {"field": label, "op": op}


def _value(value: Any, type_: str, choices, label: str):
    """A value written in a row, as the input's type; a wrong type is refused."""
    ok = {
        InputType.NUMBER: lambda: isinstance(value, int | float) and not isinstance(value, bool),
        InputType.BOOLEAN: lambda: isinstance(value, bool),
        InputType.STRING: lambda: isinstance(value, str),
        InputType.ENUM: lambda: isinstance(value, str) and value in choices,
        InputType.DATE: lambda: isinstance(value, str) and _iso_date(value) is not None,
    }[type_]()
    if not ok:
        raise ConditionError(_wrong_type_message(value, type_, choices, label))
    if type_ == InputType.DATE:
        return _iso_date(value)
    if type_ == InputType.NUMBER:
        return float(value)
    return value


def _wrong_type_message(value, type_: str, choices, label: str) -> str:
    values = {"field": label, "type": TYPE_WORDS[type_], "value": _show(value)}
    if type_ == InputType.ENUM and isinstance(value, str):
        values["choices"] = "、".join(choices)
        return _("字段“%(field)s”的值 %(value)s 不是可选项（可选：%(choices)s）") % values
    hint = {InputType.NUMBER: _("数字不加引号，例如 100"),
            InputType.BOOLEAN: _("写 true 或 false，不加引号"),
            InputType.DATE: _("写成带引号的 \"2025-01-31\""),
            InputType.STRING: _("文本要加引号"),
            InputType.ENUM: _("可选项要加引号")}[type_]
    return _("字段“%(field)s”是%(type)s，不能与 %(value)s 比较（%(hint)s）") % {**values,
                                                                                 "hint": hint}


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _test(op: str, values: tuple) -> Callable[[Any], bool] | None:
    if op == "any":
        return None
    if op in LISTED:
        members = frozenset(values)
        return members.__contains__ if op == "in" else lambda x: x not in members
    if op == "between":
        low, high = values
        return lambda x: low <= x <= high
    # x OP v, written as v FLIPPED x so that a partial applies it (no lambda per call).
    flipped = {"==": operator.eq, "!=": operator.ne, "<": operator.gt, "<=": operator.ge,
               ">": operator.lt, ">=": operator.le}[op]
    return partial(flipped, values[0])


def _domain(op: str, values: tuple, type_: str, choices: tuple[str, ...]):
    if type_ == InputType.NUMBER:
        return domains.number_domain(op, values)
    if type_ == InputType.DATE:
        return domains.day_domain(op, values)
    universe = {InputType.BOOLEAN: frozenset({True, False}),
                InputType.ENUM: frozenset(choices)}.get(type_)
    return domains.discrete_domain(op, values, universe)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
