"""Reads of the guide: a question in, an answer out (items with reasons, a scenario or a life
event with its items and bundles in order, and a follow-up question when it would help)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.accounts.models import Department
from onewindow.appointments.selectors import next_free_slot
from onewindow.catalog.models import Bundle, LifeEvent, ServiceItem
from onewindow.guide.engine.build import HOLDER
from onewindow.guide.engine.index import Hit
from onewindow.guide.engine.tokens import has_words, normalize
from onewindow.guide.models import QueryLog, Rating, Scenario, ScenarioStep

MAX_QUESTION = 200
DEFAULT_LIMIT = 5
MAX_LIMIT = 20
APPOINTMENT_ITEMS = 3  # items per answer that get their next free appointment looked up
RELATIVE_FLOOR = 0.2  # hits under a fifth of the best score are noise, not answers
# runners-up this close to the best make a follow-up question worth asking
CLOSE = 0.85
AUDIENCE_CLOSE = 0.5

ENTERPRISE_WORDS = ("企业", "公司", "单位", "法人", "工厂")
PERSON_WORDS = ("个人", "自己", "本人", "自然人", "我自己", "私人")


class Kind:
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNCLEAR = "unclear"
    NOT_FOUND = "not_found"
    FOUND = "found"


@dataclass
class ItemAnswer:
    item: ServiceItem
    score: float
    reasons: list[str]
    materials: tuple[str, ...] = ()
    slot: object | None = None  # the next free appointment slot, when there is one
    appointment_url: str | None = None


@dataclass
class StepAnswer:
    order: int
    note: str
    is_optional: bool
    item: ServiceItem | None = None
    bundle: Bundle | None = None


@dataclass
class FollowUp:
    slot: str  # "audience" or "department"
    question: str
    options: list[tuple[str, str]]  # (value, label)


@dataclass
class Answer:
    query: str
    kind: str
    message: str
    items: list[ItemAnswer] = field(default_factory=list)
    scenario: Scenario | None = None
    steps: list[StepAnswer] = field(default_factory=list)
    life_event: LifeEvent | None = None
    event_bundles: list[Bundle] = field(default_factory=list)
    follow_up: FollowUp | None = None
    audience: str | None = None
    department_id: int | None = None

    @property
    def top_score(self) -> float:
        return self.items[0].score if self.items else 0.0


# --- reasons ---------------------------------------------------------------------------------

_REASON_TEMPLATES = {
    "name": gettext_noop("名称含%(terms)s"),
    "alias": gettext_noop("别名含%(terms)s"),
    "synonym": gettext_noop("常用说法含%(terms)s"),
    "synonym_phrase": gettext_noop("常用说法%(terms)s指的就是此事项"),
    "alias_phrase": gettext_noop("俗称%(terms)s"),
    "name_phrase": gettext_noop("名称%(terms)s"),
    "result": gettext_noop("办理结果含%(terms)s"),
    "event": gettext_noop("所属主题含%(terms)s"),
    "department": gettext_noop("办理部门含%(terms)s"),
    "summary": gettext_noop("简介提到%(terms)s"),
    "material": gettext_noop("申请材料含%(terms)s"),
    "condition": gettext_noop("受理条件提到%(terms)s"),
    "gram": gettext_noop("字面相近%(terms)s"),
    "near_phrase": gettext_noop("与%(terms)s只差一个字"),
}


def reasons_for(hit: Hit, most: int = 3) -> list[str]:
    """The fields that contributed most, each with its matched words, best first."""
    by_field: dict[str, tuple[float, list[str]]] = {}
    for points, field_name, term in sorted(hit.parts, reverse=True):
        total, terms = by_field.get(field_name, (0.0, []))
        if term not in terms and len(terms) < 3:
            terms.append(term)
        by_field[field_name] = (total + points, terms)
    ranked = sorted(by_field.items(), key=lambda kv: -kv[1][0])[:most]
    return [_(_REASON_TEMPLATES[f]) % {"terms": "".join(f"“{t}”" for t in terms)}
            for f, (_total, terms) in ranked]


# --- the answer ------------------------------------------------------------------------------

def guide_answer(*, query: str, audience: str | None = None, department_id: int | None = None,
                 limit: int = DEFAULT_LIMIT) -> Answer:
    """Never raises for what a person may type: empty, too long and symbol-only questions get
    an answer of their own kind with a polite message."""
    text = normalize(query)
    answer = Answer(query=text[:MAX_QUESTION], kind=Kind.FOUND, message="",
                    audience=audience or None, department_id=department_id or None)
    refusal = _refusal(text)
    if refusal is not None:
        answer.kind, answer.message = refusal
        return answer
    index = HOLDER.get()
    hits = index.search(text, audience=answer.audience, department_id=answer.department_id)
    if hits:
        floor = hits[0].score * RELATIVE_FLOOR
        hits = [h for h in hits if h.score >= floor]
    _attach_items(answer, hits[: max(1, min(limit, MAX_LIMIT))])
    scenarios = index.match_scenarios(text)
    if scenarios:
        _attach_scenario(answer, scenarios[0].pk)
    elif (events := index.match_events(text)):
        _attach_life_event(answer, events[0].pk)
    if not answer.items and not answer.steps and answer.life_event is None:
        answer.kind = Kind.NOT_FOUND
        answer.message = _("没有找到与“%(q)s”相关的事项。可以换个说法再问，或按主题、部门查找，"
                           "也可以拨打 12345 咨询。") % {"q": text}
        return answer
    if answer.scenario is None and answer.life_event is None:
        answer.follow_up = _follow_up(answer, hits[:limit], text)
    answer.message = _message(answer)
    return answer


def _refusal(text: str) -> tuple[str, str] | None:
    """The kind and message for a question there is nothing to search for, else None."""
    if not text:
        return Kind.EMPTY, _("请告诉我您想办什么事，例如：“我想开一家饭店”“公司换地址”"
                             "“施工许可怎么办”。")
    if len(text) > MAX_QUESTION:
        return Kind.TOO_LONG, _("您的问题有点长（%(n)d 字）。请用一两句话、%(max)d 字以内"
                                "说说想办什么事，例如“公司换地址”。") % {
                                    "n": len(text), "max": MAX_QUESTION}
    if not has_words(text):
        return Kind.UNCLEAR, _("没能看懂您的问题，请再多说一点，用文字描述想办的事，"
                               "例如“我想开一家饭店”。")
    return None


def _attach_items(answer: Answer, hits: list[Hit]) -> None:
    if not hits:
        return
    # The material names come from the index; one query fetches what else the answer shows.
    items = ServiceItem.objects.filter(pk__in=[h.doc.pk for h in hits]).select_related(
        "department")
    by_pk = {item.pk: item for item in items}
    answer.items = [ItemAnswer(by_pk[h.doc.pk], round(h.score, 2), reasons_for(h),
                               h.doc.materials) for h in hits if h.doc.pk in by_pk]


def _attach_scenario(answer: Answer, pk: int) -> None:
    steps = list(ScenarioStep.objects.filter(scenario_id=pk, scenario__is_published=True)
                 .select_related("scenario", "item__department", "bundle")
                 .order_by("order", "id"))
    if not steps:
        return
    answer.scenario = steps[0].scenario
    for step in steps:
        item = step.item if step.item and step.item.is_published else None
        bundle = step.bundle if step.bundle and step.bundle.is_published else None
        if item or bundle:
            answer.steps.append(StepAnswer(step.order, step.note, step.is_optional, item, bundle))


def _attach_life_event(answer: Answer, pk: int) -> None:
    event = LifeEvent.objects.filter(pk=pk).first()
    if event is None:
        return
    answer.life_event = event
    answer.event_bundles = list(Bundle.objects.filter(life_event=event, is_published=True)
                                .annotate(item_count=Count("bundle_items")).order_by("name"))


def _follow_up(answer: Answer, hits: list[Hit], text: str) -> FollowUp | None:
    if len(hits) < 2:
        return None
    close = [h for h in hits if h.score >= CLOSE * hits[0].score]
    audiences = {h.doc.audience for h in hits if h.score >= AUDIENCE_CLOSE * hits[0].score}
    if (answer.audience is None and {"enterprise", "person"} <= audiences
            and not any(w in text for w in ENTERPRISE_WORDS + PERSON_WORDS)):
        return FollowUp("audience", _("您是以企业（单位）还是个人身份办理？"),
                        [("enterprise", _("企业/单位")), ("person", _("个人"))])
    departments = list(dict.fromkeys((h.doc.department_id, h.doc.department) for h in close))
    if answer.department_id is None and len(departments) >= 2:
        return FollowUp("department", _("这几个事项分属不同部门，您要办的是哪个部门的？"),
                        [(str(pk), name) for pk, name in departments[:4]])
    return None


def _message(answer: Answer) -> str:
    if answer.scenario is not None:
        return _("“%(name)s”通常需要依次办理以下 %(n)d 项，点开每一项可查看办事指南：") % {
            "name": answer.scenario.name, "n": len(answer.steps)}
    if answer.life_event is not None:
        return _("“%(name)s”主题下的一件事和事项如下：") % {"name": answer.life_event.name}
    first = answer.items[0].item
    return _("为您找到 %(n)d 个相关事项，最相关的是“%(name)s”（%(dept)s）。") % {
        "n": len(answer.items), "name": first.name, "dept": first.department.name}


def attach_appointments(answer: Answer, *, most: int = APPOINTMENT_ITEMS) -> None:
    """The next free appointment and the booking link for the first items that can be
    booked (one query each, so only the first few; the rest link to their guide)."""
    for found in answer.items[:most]:
        if not found.item.appointment_supported:
            continue
        slot = next_free_slot(item=found.item)
        if slot is not None:
            found.slot = slot
            found.appointment_url = reverse("appointments:book",
                                            kwargs={"item_id": found.item.pk})


# --- other reads -----------------------------------------------------------------------------

def life_event_items(*, life_event: LifeEvent, limit: int = 10) -> QuerySet[ServiceItem]:
    return (ServiceItem.objects.filter(life_events=life_event, is_published=True)
            .select_related("department").order_by("department__order", "name")[:limit])


def department_name(pk: int | None) -> str:
    if not pk:
        return ""
    return Department.objects.filter(pk=pk).values_list("name", flat=True).first() or ""


def query_log_get(*, public_id) -> QueryLog:
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        raise Http404(_("没有找到这次提问的记录")) from None
    log = QueryLog.objects.filter(public_id=public_id).first()
    if log is None:
        raise Http404(_("没有找到这次提问的记录"))
    return log


def unanswered_queries(*, days: int = 30, limit: int = 200):
    """Questions to learn from, most frequent first: asked without a click, or rated bad.

    Grouped by the normalized question, with how often it was asked, clicked and rated bad."""
    since = timezone.now() - dt.timedelta(days=days)
    return (
        QueryLog.objects.filter(created_at__gte=since)
        .values("normalized")
        .annotate(asked=Count("id"),
                  clicked=Count("id", filter=Q(clicked_item__isnull=False)),
                  bad=Count("id", filter=Q(rating=Rating.BAD)),
                  found=Count("id", filter=Q(top_score__gt=0)))
        .filter(Q(clicked=0) | Q(bad__gt=0))
        .order_by("-bad", "-asked", "normalized")[:limit]
    )
