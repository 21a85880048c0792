"""The demo zone's guide data; idempotent, called by `onewindow seed`.

Synonyms and scenarios come from `demo_data/` beside this file and name items by their basic
code (基本编码) and bundles by their code, so that they survive a re-seed. A phrase or scenario
that already exists is left as the catalog administrators may have edited it."""

import json
from pathlib import Path

from onewindow.catalog.models import Bundle, LifeEvent, ServiceItem
from onewindow.guide.models import Scenario, Synonym
from onewindow.guide.services import scenario_create, synonym_create

DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_MARKER = "000126005000"  # 食品经营许可 in core/demo_data/items/market.json


def _load(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def seed_demo_guide() -> int:
    """Create what is missing; return how many objects were created (0 on a second run)."""
    items = {i.basic_code: i for i in ServiceItem.objects.exclude(basic_code="")}
    if DEMO_MARKER not in items:  # not the demo catalog: its synonyms would mean nothing
        return 0
    created = _seed_synonyms(items, "synonyms.json") + _seed_scenarios(items)
    return created + seed_common_synonyms()


def seed_common_synonyms() -> int:
    """Everyday words for official ones (社保卡 → 社会保障卡), true of any catalog."""
    return _seed_synonyms({}, "common_synonyms.json")


def _seed_synonyms(items: dict, filename: str) -> int:
    existing = set(Synonym.objects.values_list("phrase", flat=True))
    created = 0
    for raw in _load(filename):
        if raw["phrase"] in existing:
            continue
        synonym_create(actor=None, phrase=raw["phrase"], expansion="\n".join(
            raw["expansion"].split(",")),
            items=[items[c] for c in raw.get("items", ()) if c in items],
            note="演示数据")
        created += 1
    return created


def _seed_scenarios(items: dict) -> int:
    existing = set(Scenario.objects.values_list("name", flat=True))
    bundles = {b.code: b for b in Bundle.objects.all()}
    events = {e.slug: e for e in LifeEvent.objects.all()}
    created = 0
    for raw in _load("scenarios.json"):
        if raw["name"] in existing:
            continue
        steps = [{"item": items.get(s.get("item")), "bundle": bundles.get(s.get("bundle")),
                  "note": s.get("note", ""), "optional": s.get("optional", False)}
                 for s in raw["steps"]]
        steps = [s for s in steps if s["item"] or s["bundle"]]
        scenario_create(actor=None, name=raw["name"], phrases=raw["phrases"],
                        intro=raw.get("intro", ""), life_event=events.get(raw.get("life_event")),
                        steps=steps)
        created += 1
    return created
