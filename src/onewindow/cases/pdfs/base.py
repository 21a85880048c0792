"""What a case document says, independent of how it is laid out.

A builder per kind turns a case into `Content`: the paragraphs, the facts table, the numbered
items. The same facts go into the PDF and into the document's stored payload, so the
verification page can show them even if the file is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Stamp:
    """Who issued the document, when, under which number, and where it can be verified."""

    department: str
    number: str
    on: dt.date
    verify_url: str
    verify_code: str


@dataclass(frozen=True)
class Context:
    """What the issuer knows besides the case: the number, the date, the triggering record."""

    number: str
    on: dt.date
    source: object = None


@dataclass
class Content:
    title: str
    issued_what: str  # what the document grants or tells, in a few words (verification page)
    addressee: str = ""  # "" for a certificate, which is addressed to no one
    paragraphs: list[str] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)
    item_headers: tuple[str, str] = ("", "")
    items: list[tuple[str, str]] = field(default_factory=list)  # shown numbered
    closing: list[str] = field(default_factory=list)
    valid_until: dt.date | None = None


def cn_date(day: dt.date | dt.datetime | None) -> str:
    """2026年3月2日, as written on Chinese official documents."""
    if day is None:
        return "—"
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def working_days(n: int | None) -> str:
    return _("%(n)s个工作日") % {"n": n} if n is not None else _("未设定")


def holder_name(case) -> str:
    """Who the document is for: the enterprise, or the person who applied."""
    if case.enterprise_id:
        return case.enterprise.name
    return case.applicant.get_full_name() or case.applicant.get_username()


def holder_is_person(case) -> bool:
    return not case.enterprise_id


def base_facts(case) -> list[tuple[str, str]]:
    """The rows every document carries: which case, whose, for what."""
    return [(_("办件编号"), case.number or "—"), (_("申请人"), holder_name(case)),
            (_("申请事项"), case.item.name)]


def received_text(case, on: dt.date) -> str:
    return cn_date(case.received_on or on)
