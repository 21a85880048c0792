"""Writes of the guide: the log of questions (with click and rating), the per-client rate
limit, and the synonyms catalog administrators add (audited).

Query logs are telemetry written for every anonymous question; they are not audited (an audit
event per question would serialise every search on the audit chain's head row). Synonyms and
scenarios are catalog data and every change to them is audited, in the admin too (admin.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.catalog.models import ServiceItem
from onewindow.guide.errors import AlreadyRated, GuideError, RateLimited
from onewindow.guide.models import QueryLog, RateCounter, Rating, Scenario, ScenarioStep, Synonym
from onewindow.guide.selectors import Answer

RATE_LIMIT_PER_MINUTE = 30
RATE_KEEP = dt.timedelta(minutes=10)


def rate_limit_per_minute() -> int:
    return int(getattr(settings, "GUIDE_RATE_LIMIT_PER_MINUTE", RATE_LIMIT_PER_MINUTE))


def client_key(remote_addr: str) -> str:
    """Counters are keyed by a hash of the address, not the address itself."""
    return hashlib.sha256((remote_addr or "unknown").encode()).hexdigest()[:32]


@transaction.atomic
def rate_limit_take(*, client: str, now: dt.datetime | None = None) -> int:
    """Count one request of `client` in the current minute; raise RateLimited past the limit.

    The counter is a database row, so the limit holds across every process; a concurrent
    first request of the minute loses the insert race and falls back to the update."""
    window = (now or timezone.now()).replace(second=0, microsecond=0)
    rows = RateCounter.objects.filter(client=client, window=window)
    if not rows.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(client=client, window=window, hits=1)
        except IntegrityError:
            rows.update(hits=F("hits") + 1)
        RateCounter.objects.filter(window__lt=window - RATE_KEEP).delete()
    hits = rows.values_list("hits", flat=True).first() or 0
    if hits > rate_limit_per_minute():
        raise RateLimited()
    return hits


def query_log_record(*, actor, answer: Answer, channel: str) -> QueryLog | None:
    """Log a question that had words in it (empty, symbol-only and overlong ones teach
    nothing a synonym could fix)."""
    if answer.kind in ("empty", "unclear", "too_long"):
        return None
    log = QueryLog(channel=channel, query=answer.query[:200], normalized=answer.query[:200],
                   result_ids=[a.item.pk for a in answer.items], top_score=answer.top_score,
                   scenario=answer.scenario)
    log.full_clean()
    log.save()
    return log


@transaction.atomic
def query_log_click(*, actor, log: QueryLog, item: ServiceItem) -> QueryLog:
    """The person opened `item` from this answer; the first click is the one that counts."""
    log = QueryLog.objects.select_for_update().get(pk=log.pk)
    if log.clicked_item_id is None:
        log.clicked_item = item
        log.clicked_at = timezone.now()
        log.save(update_fields=["clicked_item", "clicked_at"])
    return log


@transaction.atomic
def query_log_rate(*, actor, log: QueryLog, rating: int) -> QueryLog:
    if rating not in Rating.values:
        raise GuideError()
    log = QueryLog.objects.select_for_update().get(pk=log.pk)
    if log.rating is not None:
        raise AlreadyRated()
    log.rating = rating
    log.rated_at = timezone.now()
    log.save(update_fields=["rating", "rated_at"])
    return log


@transaction.atomic
def synonym_create(*, actor, phrase: str, expansion: str = "",
                   items: list[ServiceItem] = (), note: str = "") -> Synonym:
    """A catalog administrator teaches the guide a way people say something."""
    synonym = Synonym(phrase=phrase, expansion=expansion, note=note)
    synonym.full_clean()
    synonym.save()
    synonym.items.set(items)
    audit_record(actor=actor, action="synonym_create", obj=synonym,
                 new={"phrase": synonym.phrase, "expansion": synonym.expansion_terms,
                      "items": [i.pk for i in items]})
    return synonym


@transaction.atomic
def scenario_create(*, actor, name: str, phrases: list[str], intro: str = "",
                    life_event=None, steps: list[dict] = ()) -> Scenario:
    """A scenario with its ordered steps; each step: {"item" or "bundle", "note", "optional"}."""
    scenario = Scenario(name=name, phrases="\n".join(phrases), intro=intro, life_event=life_event)
    scenario.full_clean()
    scenario.save()
    for order, raw in enumerate(steps, start=1):
        step = ScenarioStep(scenario=scenario, order=order, item=raw.get("item"),
                            bundle=raw.get("bundle"), note=raw.get("note", ""),
                            is_optional=raw.get("optional", False))
        step.full_clean()
        step.save()
    audit_record(actor=actor, action="scenario_create", obj=scenario,
                 new={"name": name, "phrases": phrases, "steps": len(steps)})
    return scenario
