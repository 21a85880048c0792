"""The facts a decision table can ask about, and how a raw value becomes a typed one.

An input of a table names its source: a key of the case's application form (``form:<key>``),
or one of the platform facts below — data the platform already holds about the applicant, so
the applicant is not asked for it. The registry is code, not data: a new platform fact is a
reviewed change (its reader decides what the fact means).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.accounts.enums import CreditStatus
from onewindow.decisions.enums import InputType

FORM_PREFIX = "form:"
FORM_KEY_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
TRUE_WORDS = frozenset({"true", "1", "yes", "on", "是", "y"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", "否", "n"})


class FactInvalid(ValueError):
    """A value that cannot be read as the input's type. `message` is Chinese, for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PlatformFact:
    key: str
    label: str
    type: str
    read: Callable[[Any, dt.date], Any] = field(compare=False)
    choices: tuple[tuple[str, str], ...] = ()


def _enterprise_attr(name: str):
    def read(case, today):
        enterprise = case.enterprise if case.enterprise_id else None
        return getattr(enterprise, name) if enterprise is not None else None
    return read


def _enterprise_age_years(case, today: dt.date):
    established = _enterprise_attr("established_on")(case, today)
    if established is None:
        return None
    before_birthday = (today.month, today.day) < (established.month, established.day)
    return today.year - established.year - before_birthday


def _applies_as_enterprise(case, today):
    return case.enterprise_id is not None


def _applicant_credit_status(case, today):
    """The applying party's credit (`Case.applying_party`), as the tolerance rule reads it."""
    return case.applying_party.credit_status


CREDIT_CHOICES = tuple((c.value, c.label) for c in CreditStatus)
PLATFORM_FACTS: dict[str, PlatformFact] = {f.key: f for f in (
    PlatformFact("enterprise.credit_status", gettext_lazy("企业信用状态"), InputType.ENUM,
                 _enterprise_attr("credit_status"), choices=CREDIT_CHOICES),
    PlatformFact("enterprise.industry", gettext_lazy("企业所属行业"), InputType.STRING,
                 _enterprise_attr("industry")),
    PlatformFact("enterprise.established_on", gettext_lazy("企业成立日期"), InputType.DATE,
                 _enterprise_attr("established_on")),
    PlatformFact("enterprise.age_years", gettext_lazy("企业成立年限（周年）"), InputType.NUMBER,
                 _enterprise_age_years),
    PlatformFact("applicant.is_enterprise", gettext_lazy("以企业名义申请"), InputType.BOOLEAN,
                 _applies_as_enterprise),
    PlatformFact("applicant.credit_status", gettext_lazy("申请人信用状态（企业或个人）"),
                 InputType.ENUM, _applicant_credit_status, choices=CREDIT_CHOICES),
    PlatformFact("case.received_on", gettext_lazy("收件日期"), InputType.DATE,
                 lambda case, today: case.received_on),
)}


def is_form_source(source: str) -> bool:
    return source.startswith(FORM_PREFIX)


def read_source(case, source: str, today: dt.date) -> Any:
    """The raw value of `source` for `case` (None when the case does not have it)."""
    if is_form_source(source):
        return (case.form_data or {}).get(source.removeprefix(FORM_PREFIX))
    return PLATFORM_FACTS[source].read(case, today)


def coerce(value: Any, type_: str, choices: tuple[str, ...] = ()) -> Any:
    """`value` as `type_` (number → float, date → date, …); None when it is empty.

    Raises FactInvalid when a non-empty value cannot be read as the type."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _COERCE[type_](value, choices)


def _number(value, choices):
    if isinstance(value, bool):
        raise FactInvalid(_("“%(value)s”不是数字") % {"value": value})
    if isinstance(value, int | float | Decimal):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(Decimal(text))
        except InvalidOperation:
            raise FactInvalid(_("“%(value)s”不是数字") % {"value": value}) from None
    if not math.isfinite(number):
        raise FactInvalid(_("“%(value)s”不是有效的数字") % {"value": value})
    return number


def _boolean(value, choices):
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FactInvalid(_("“%(value)s”不是“是”或“否”") % {"value": value})


def _date(value, choices):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FactInvalid(_("“%(value)s”不是日期（格式：2025-01-31）") % {"value": value}) from None


def _enum(value, choices):
    text = str(value).strip()
    if text not in choices:
        raise FactInvalid(_("“%(value)s”不是可选项（%(choices)s）") % {
            "value": value, "choices": "、".join(choices)})
    return text


def _string(value, choices):
    if isinstance(value, dict | list):
        raise FactInvalid(_("“%(value)s”不是文本") % {"value": value})
    return str(value).strip()


_COERCE = {InputType.NUMBER: _number, InputType.BOOLEAN: _boolean, InputType.DATE: _date,
           InputType.ENUM: _enum, InputType.STRING: _string}


def jsonable(value: Any) -> Any:
    """A typed fact as JSON holds it (dates as ISO text): what a decision record stores."""
    return value.isoformat() if isinstance(value, dt.date) else value
