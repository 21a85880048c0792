"""Reads for the staff workbenches: each role's queue, its filters, clock ordering and counts.

A queue is always a subset of `visible_cases(user)`, so a queue can never show a case that
the case page would refuse. Clock colours come from `clocks.clocks()` — the one definition —
so the colour a filter selects is the colour the badge shows. That costs one pass per request
over the queue's open cases in Python (the clock fields only; then the page's 50 rows in
full). Measured on SQLite here: 3,000 open cases, about 0.4 s a page; a zone's open cases are
hundreds to a few thousand. Past that, store the colour on the case from the clock job and
filter and order in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery, prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.accounts.enums import Role
from onewindow.accounts.models import Department
from onewindow.audit.selectors import events_for
from onewindow.cases import clocks
from onewindow.cases.enums import OPEN_STATES, CaseState, ClockColour
from onewindow.cases.errors import action_label
from onewindow.cases.forms import ApplicationForm
from onewindow.cases.models import Case, ReviewStep
from onewindow.cases.selectors import visible_cases
from onewindow.cases.selectors_bundles import OPTIONAL_FIELD, Provided, provided_materials
from onewindow.catalog.guide import yes_no
from onewindow.catalog.models import ServiceItem

S = CaseState

CLERK = "clerk"
DEPARTMENT = "department"
OVERSEER = "overseer"
HELPER = "helper"

ROLE_QUEUES = {
    Role.WINDOW_CLERK: CLERK, Role.REVIEWER: DEPARTMENT, Role.APPROVER: DEPARTMENT,
    Role.SUPERVISOR: OVERSEER, Role.SYSTEM_ADMIN: OVERSEER, Role.HELP_AGENT: HELPER,
}
# The roles that handle or oversee cases and may open the staff case page.
CASE_PAGE_ROLES = frozenset({Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SUPERVISOR,
                             Role.SYSTEM_ADMIN})

QUEUE_STATES = {
    CLERK: (S.SUBMITTED, S.PRE_REVIEW, S.RETURNED, S.ACCEPTED, S.ACCEPTED_WITH_TOLERANCE),
    DEPARTMENT: (S.ACCEPTED, S.ACCEPTED_WITH_TOLERANCE, S.IN_REVIEW, S.SUSPENDED, S.DECIDED,
                 S.COMPLETED),
    OVERSEER: tuple(s for s in S if s in OPEN_STATES),
    HELPER: tuple(s for s in S if s in OPEN_STATES),
}

# Most urgent first; a case without a running clock (with the applicant) comes last.
SEVERITY = {ClockColour.RED: 0, ClockColour.YELLOW: 1, ClockColour.GREEN: 2,
            ClockColour.PAUSED: 3, ClockColour.STOPPED: 4}
NO_CLOCK = len(SEVERITY)
COLOUR_ORDER = tuple(SEVERITY)

CLOCK_FIELDS = ("id", "state", "item", "department", "received_on", "pre_review_due", "accepted_on",
                "legal_limit_days", "promised_limit_days", "extension_days", "legal_due",
                "promised_due", "due_provisional", "decided_at")


def queue_kind(user) -> str | None:
    """Which queue `user` works from, or None when the user has no workbench."""
    if not user.is_authenticated:
        return None
    return ROLE_QUEUES.get(user.role)


def headline_clock(case: Case) -> clocks.Clock | None:
    """The clock a queue shows for the case: the most urgent one, then the earliest due."""
    found = clocks.clocks(case)
    return min(found, key=lambda c: (SEVERITY[c.colour], c.due)) if found else None


@dataclass(frozen=True)
class QueueEntry:
    pk: int
    state: str
    item_id: int
    department_id: int
    clock: clocks.Clock | None
    received_on: dt.date | None

    @property
    def colour(self) -> str | None:
        return self.clock.colour if self.clock else None

    def sort_key(self):
        far = dt.date.max
        return (SEVERITY.get(self.colour, NO_CLOCK), self.clock.due if self.clock else far,
                self.received_on or far, self.pk)


@dataclass(frozen=True)
class QueueRow:
    case: Case
    clock: clocks.Clock | None
    latest_opinion: str | None = None  # in review: the outcome of the latest opinion, if any

    @property
    def overdue(self) -> bool:
        return self.clock is not None and self.clock.colour == ClockColour.RED


def queue_base(user) -> QuerySet[Case]:
    """The cases of `user`'s queue, before filters."""
    kind = queue_kind(user)
    if kind is None:
        return Case.objects.none()
    # A bundle's parent decides nothing: its parts are in the queues, the parent is a summary.
    cases = visible_cases(user).filter(state__in=QUEUE_STATES[kind], item__isnull=False)
    if kind == CLERK:
        # A case in pre-review belongs to the clerk who claimed it.
        cases = cases.exclude(Q(state=S.PRE_REVIEW) & ~Q(claimed_by=user)
                              & Q(claimed_by__isnull=False))
    if kind == DEPARTMENT:
        cases = cases.filter(department_id=user.department_id)
    return cases


def queue_entries(user) -> list[QueueEntry]:
    """Every case of `user`'s queue with its headline clock, most urgent first (overdue
    first, then by the nearest due date)."""
    cases = list(queue_base(user).select_related(None).only(*CLOCK_FIELDS))
    # Only an accepted case's clocks read its pauses.
    prefetch_related_objects([c for c in cases if c.accepted_on], "pauses")
    entries = [QueueEntry(c.pk, c.state, c.item_id, c.department_id, headline_clock(c),
                          c.received_on) for c in cases]
    return sorted(entries, key=QueueEntry.sort_key)


# The clock filter's value for cases without a running clock (with the applicant, 补正).
NO_CLOCK_FILTER = "none"


def filter_entries(entries: Iterable[QueueEntry], *, state: str = "",
                   item: ServiceItem | None = None, department: Department | None = None,
                   colour: str = "") -> list[QueueEntry]:
    wanted = {"state": state, "item_id": item and item.pk,
              "department_id": department and department.pk, "colour": colour}
    wanted = {name: value for name, value in wanted.items() if value}
    if wanted.get("colour") == NO_CLOCK_FILTER:
        wanted["colour"] = None
    return [e for e in entries if all(getattr(e, n) == v for n, v in wanted.items())]


def queue_rows(user, entries: Iterable[QueueEntry]) -> list[QueueRow]:
    """The page's cases in full, in the order of `entries`; a case in review with the outcome
    of its latest opinion (a decision may follow one that is not a disagreement)."""
    entries = list(entries)
    latest = ReviewStep.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    cases = visible_cases(user).annotate(
        latest_opinion=Subquery(latest.values("outcome")[:1])).in_bulk([e.pk for e in entries])
    return [QueueRow(cases[e.pk], e.clock,
                     cases[e.pk].latest_opinion if e.state == S.IN_REVIEW else None)
            for e in entries if e.pk in cases]


def queue_items(user) -> QuerySet[ServiceItem]:
    """The items that occur in `user`'s queue, for the filter."""
    ids = queue_base(user).select_related(None).values("item_id")
    return ServiceItem.objects.filter(pk__in=ids).order_by("name")


def queue_departments(user) -> QuerySet[Department]:
    ids = queue_base(user).select_related(None).values("department_id")
    return Department.objects.filter(pk__in=ids).order_by("order", "name")


@dataclass(frozen=True)
class CountRow:
    department: Department | None  # None: the total row
    cells: list[tuple[str, int]]  # (colour, count) in COLOUR_ORDER, then (NO_CLOCK_FILTER, count)
    total: int


def department_colour_counts(entries: Iterable[QueueEntry]) -> list[CountRow]:
    """The queue's cases per department × clock colour, and a total row."""
    counts = Counter((e.department_id, e.colour) for e in entries)
    departments = Department.objects.filter(
        pk__in={dept for dept, _colour in counts}).order_by("order", "name")
    rows = [_count_row(dept, {c: n for (d, c), n in counts.items() if d == dept.pk})
            for dept in departments]
    totals = Counter()
    for (_dept, colour), n in counts.items():
        totals[colour] += n
    return [*rows, _count_row(None, totals)] if rows else []


def _count_row(department, by_colour: dict) -> CountRow:
    cells = [(colour, by_colour.get(colour, 0)) for colour in COLOUR_ORDER]
    cells.append((NO_CLOCK_FILTER, by_colour.get(None, 0)))
    return CountRow(department, cells, sum(by_colour.values()))


# --- the staff case page ---------------------------------------------------------------------

def case_for_staff_page(case: Case) -> Case:
    """The case with everything its staff page shows, each relation fetched once."""
    return (Case.objects.select_related(
        "item", "department", "applicant", "enterprise", "filed_by", "claimed_by",
        "review_handler", "extension_approved_by", "parent")
        .prefetch_related(
            "item__materials", "materials__requirement", "materials__uploaded_by",
            "corrections__items__requirement", "corrections__issued_by",
            "help_offers__offered_by", "review_steps__by", "review_steps__department",
            "pauses", "notes__author", "documents", "escalations")
        .get(pk=case.pk))


@dataclass(frozen=True)
class MaterialSlot:
    requirement: object
    current: object | None
    earlier: list
    provided: Provided | None = None  # 一件事: a sibling part's result, not an upload


def material_slots(case: Case) -> list[MaterialSlot]:
    """Each material of the item with its current file and its earlier versions, or, for a
    part of a bundle, the sibling's certificate that provides it."""
    provided = provided_materials(case)
    slots = []
    for requirement in case.item.materials.all():
        versions = sorted((m for m in case.materials.all() if m.requirement_id == requirement.pk),
                          key=lambda m: m.uploaded_at, reverse=True)
        current = next((m for m in versions if m.is_current), None)
        slots.append(MaterialSlot(requirement, current, [m for m in versions if m is not current],
                                  provided.get(requirement.pk)))
    return slots


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    actor: str
    role: str
    action: str
    old_state: str
    new_state: str
    note: str


EVENT_LABELS = {
    "create": gettext_lazy("创建申请"), "material_upload": gettext_lazy("上传材料"),
    "note": gettext_lazy("添加意见"), "start_pre_review": gettext_lazy("承办（开始预审）"),
}


def timeline(case: Case) -> list[TimelineEntry]:
    """The case's audit events, oldest first, in words a person reads."""
    return [_timeline_entry(event) for event in events_for(case).order_by("id")]


def _timeline_entry(event) -> TimelineEntry:
    name = event.action.removeprefix("case_")
    old, new = event.old_value or {}, event.new_value or {}
    return TimelineEntry(
        at=event.at, actor=event.actor_name or _("系统"),
        role=_label(Role, event.actor_role),
        action=str(EVENT_LABELS.get(name) or action_label(name)),
        old_state=_label(CaseState, old.get("state", "")),
        new_state=_label(CaseState, new.get("state", "")), note=event.note)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return str(value)


def application_facts(case: Case) -> list[tuple[str, str]]:
    """The application form's answers as the form names them: (label, value shown), in the
    form's order (with what the item's instant-approval table asks); the choice of a bundle's
    optional items by their names; a key the form no longer asks under its own name."""
    data = dict(case.form_data or {})
    facts = [(str(field.label or name), _shown(field, data.pop(name)))
             for name, field in ApplicationForm(item=case.item).fields.items() if name in data]
    if OPTIONAL_FIELD in data:
        chosen = ServiceItem.objects.filter(pk__in=data.pop(OPTIONAL_FIELD) or [])
        facts.append((_("选办事项"), "、".join(chosen.values_list("name", flat=True)) or "—"))
    facts += [(key, _shown(None, value)) for key, value in data.items()]
    return facts


def _shown(field, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    choices = {str(key): label for key, label in getattr(field, "choices", None) or ()}
    values = value if isinstance(value, list) else [value]
    return "、".join(str(choices.get(str(v), v)) for v in values)
