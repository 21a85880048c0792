"""A row's conditions as people read them: "总投资 > 0 且 < 100000"."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

WORDS = {"==": "=", "!=": "≠", "in": "属于", "not in": "不属于", "between": "介于", "any": "任意"}


def describe_when(when: dict) -> list[str]:
    """One phrase per input that the row tests; an empty list means "any application"."""
    return [f"{name} {_condition_text(spec)}" for name, spec in when.items()]


def _condition_text(spec: Any) -> str:
    if isinstance(spec, list) and spec and all(isinstance(p, list) for p in spec):
        return _(" 且 ").join(_one(p) for p in spec)
    return _one(spec if isinstance(spec, list) else ["==", spec])


def _one(spec: list) -> str:
    op, args = spec[0], spec[1:]
    if op == "any":
        return _("任意")
    if op == "between" and len(args) == 2:
        return _("介于 %(low)s 与 %(high)s 之间（含）") % {"low": _value(args[0]),
                                                       "high": _value(args[1])}
    text = " ".join(_value(a) for a in args)
    return f"{WORDS.get(op, op)} {text}"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_value(v) for v in value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
