"""Building the index from the database, and keeping one copy per process up to date.

Why a per-process copy: scoring 1,135 items in Python takes a few milliseconds, building the
index takes a few hundred, so each process builds it once and reuses it. It must never go
stale when a catalog administrator (in another process) edits an item or a synonym: every
search first reads the catalog's *version* — counts and latest change times of the published
items, the synonyms and the scenarios, one small aggregate query each — and rebuilds when it
differs from the version the copy was built from. No timer, no signal, nothing to invalidate.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from onewindow.catalog.models import LifeEvent, MaterialRequirement, ServiceItem
from onewindow.guide.engine.index import Doc, EventEntry, Index, ScenarioEntry, SynonymEntry
from onewindow.guide.engine.tokens import normalize, words
from onewindow.guide.models import Scenario, Synonym


def _version_sql() -> str:
    item, synonym, scenario, event = (m._meta.db_table for m in
                                      (ServiceItem, Synonym, Scenario, LifeEvent))
    published = f"FROM {item} WHERE is_published"
    return ("SELECT "
            f"(SELECT COUNT(*) {published}), (SELECT MAX(updated_at) {published}), "
            f"(SELECT MAX(id) FROM {item}), "
            f"(SELECT COUNT(*) FROM {synonym}), (SELECT MAX(updated_at) FROM {synonym}), "
            f"(SELECT COUNT(*) FROM {scenario}), (SELECT MAX(updated_at) FROM {scenario}), "
            f"(SELECT COUNT(*) FROM {event}), (SELECT MAX(id) FROM {event})")


def catalog_version() -> tuple:
    """One round trip, written as SQL: the ORM would spend longer compiling four aggregates
    than the database spends answering them."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


def _grouped(pairs) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for key, value in pairs:
        out[key].append(value)
    return out


def build_index() -> Index:
    """Four plain queries over whole tables, grouped in Python: a prefetch would send every
    item's id back to the database three times over."""
    index = Index()
    materials = _grouped(MaterialRequirement.objects.filter(item__is_published=True)
                         .order_by("item_id", "order", "id").values_list("item_id", "name"))
    events = _grouped(ServiceItem.life_events.through.objects
                      .values_list("serviceitem_id", "lifeevent__name"))
    synonyms = _grouped(Synonym.items.through.objects
                        .values_list("serviceitem_id", "synonym__phrase"))
    items = (ServiceItem.objects.filter(is_published=True).select_related("department")
             .order_by("pk"))
    for item in items:
        dept = item.department
        index.add_doc(
            Doc(item.pk, item.name, item.department_id, dept.name, item.audience,
                tuple(materials.get(item.pk, ()))),
            {
                "name": [item.name],
                "alias": item.alias_list,
                "synonym": synonyms.get(item.pk, []),
                "result": [item.result_name] if item.result_name else [],
                "event": events.get(item.pk, []),
                "department": [dept.name, dept.short_name or ""],
                "summary": [item.summary],
                "material": materials.get(item.pk, []),
                "condition": [item.conditions[:300]],
            },
        )
    for synonym in Synonym.objects.prefetch_related("items").order_by("pk"):
        terms = tuple(t for e in synonym.expansion_terms for t in words(e))
        docs = tuple(index.by_pk[i.pk] for i in synonym.items.all() if i.pk in index.by_pk)
        index.synonyms.append(SynonymEntry(normalize(synonym.phrase), terms, docs))
    for scenario in Scenario.objects.filter(is_published=True).order_by("pk"):
        phrases = tuple(p for p in (normalize(x) for x in [scenario.name, *scenario.phrase_list])
                        if len(p) >= 2)
        index.scenarios.append(ScenarioEntry(scenario.pk, scenario.name, phrases))
    index.events = [EventEntry(e.pk, normalize(e.name)) for e in LifeEvent.objects.all()]
    return index.finish()


@dataclass(frozen=True)
class _Built:
    version: tuple
    index: Index


class IndexHolder:
    """This process's copy of the index and the catalog version it was built from."""

    def __init__(self):
        self._built: _Built | None = None
        self._lock = threading.Lock()  # only stops two threads of one process building twice

    def get(self) -> Index:
        version = catalog_version()
        built = self._built
        if built is not None and built.version == version:
            return built.index
        with self._lock:
            built = self._built
            if built is None or built.version != version:
                built = self._built = _Built(version, build_index())
        return built.index

    def drop(self) -> None:
        self._built = None


HOLDER = IndexHolder()
