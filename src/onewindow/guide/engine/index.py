"""The index: every published item as a document with weighted fields, scored by BM25.

Fields and weights (why an item ranks where it does is the sum of these, see `Hit.reasons`):
name 3, aliases 2.5, synonyms kept by catalog administrators 2.5, result name 1, life events 1,
department 1, summary 0.6, materials 0.4, conditions 0.2; plus character bigrams of the name,
aliases and synonyms (weight 1) so that a typo or a near name still matches; plus a phrase
boost when a whole alias, synonym or name appears in the question.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace

from onewindow.guide.engine.tokens import bigrams, normalize, words

K1 = 1.2
B = 0.75
WEIGHTS = {
    "name": 3.0, "alias": 2.5, "synonym": 2.5, "result": 1.0, "event": 1.0, "department": 1.0,
    "summary": 0.6, "material": 0.4, "condition": 0.2, "gram": 1.0,
}
EXPANSION_WEIGHT = 0.7  # terms a synonym adds count a little less than the person's own words
PHRASE_BOOST = {"name": 6.0, "alias": 5.0, "synonym": 6.0}
PHRASE_PER_CHAR = 1.5
FUZZY_FACTOR = 0.7  # a phrase written with one wrong character counts 70% of the right one
FUZZY_LENGTHS = range(3, 13)  # shorter phrases with a wrong character mean too many things
# An item's later stages (cancel, change, renew, replace …) rank below its first application
# unless the question (or a synonym it used) names that stage: "个体户注册" means 设立, not 注销.
LATER_STAGES = ("注销", "变更", "延续", "补办", "遗失", "换发", "补发", "补领", "换领", "挂失",
                "停业", "歇业", "恢复", "转出", "转入", "复审", "终止", "撤销", "作废", "缴销",
                "重核", "补证", "信息确认")
LATER_STAGE_FACTOR = 0.7


@dataclass(frozen=True)
class Doc:
    pk: int
    name: str
    department_id: int
    department: str
    audience: str
    materials: tuple[str, ...] = ()  # shown with the answer, so that it needs no extra query
    stages: tuple[str, ...] = ()  # the LATER_STAGES words in the name, found once at build


@dataclass
class Hit:
    doc: Doc
    score: float
    # (points, field, term): what the score is made of, for the reasons shown to the person
    parts: list[tuple[float, str, str]] = field(default_factory=list)


@dataclass
class FieldIndex:
    postings: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    lengths: dict[int, int] = field(default_factory=dict)
    avg: float = 1.0

    def add(self, doc: int, terms: list[str]) -> None:
        self.lengths[doc] = self.lengths.get(doc, 0) + len(terms)
        for term in terms:
            posting = self.postings[term]
            posting[doc] = posting.get(doc, 0) + 1

    def finish(self) -> None:
        self.postings = dict(self.postings)
        self.avg = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 1.0


@dataclass(frozen=True)
class SynonymEntry:
    phrase: str
    terms: tuple[str, ...]
    docs: tuple[int, ...]


@dataclass(frozen=True)
class ScenarioEntry:
    pk: int
    name: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class EventEntry:
    pk: int
    name: str


@dataclass
class Index:
    docs: list[Doc] = field(default_factory=list)
    fields: dict[str, FieldIndex] = field(default_factory=dict)
    # whole phrases (normalized) → [(doc, kind)] for the phrase boost
    phrases: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    synonyms: list[SynonymEntry] = field(default_factory=list)
    scenarios: list[ScenarioEntry] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)
    by_pk: dict[int, int] = field(default_factory=dict)
    # a phrase with one character blanked out → the phrases it came from (typo tolerance)
    fuzzy: dict[str, list[str]] = field(default_factory=dict)
    fuzzy_words: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self):
        self.fields = {name: FieldIndex() for name in WEIGHTS}

    # --- building ------------------------------------------------------------------------

    def add_doc(self, doc: Doc, texts: dict[str, list[str]]) -> None:
        """texts: field name → the strings of that field (name, aliases, materials …)."""
        n = len(self.docs)
        doc = replace(doc, stages=tuple(w for w in LATER_STAGES if w in doc.name))
        self.docs.append(doc)
        self.by_pk[doc.pk] = n
        for name, values in texts.items():
            self.fields[name].add(n, [t for v in values for t in words(v)])
        grams = [g for key in ("name", "alias", "synonym") for v in texts.get(key, ())
                 for g in bigrams(v)]
        self.fields["gram"].add(n, grams)
        for key in ("name", "alias", "synonym"):
            for value in texts.get(key, ()):
                phrase = normalize(value)
                if len(phrase) >= 2:
                    self.phrases[phrase].append((n, key))

    def finish(self) -> Index:
        for index in self.fields.values():
            index.finish()
        self.phrases = dict(self.phrases)
        fuzzy = defaultdict(list)
        for phrase in self.phrases:
            if len(phrase) in FUZZY_LENGTHS:
                for key in _blanked(phrase):
                    fuzzy[key].append(phrase)
        self.fuzzy = dict(fuzzy)
        fuzzy_words = defaultdict(list)
        for name in ("name", "alias", "synonym"):
            for word in self.fields[name].postings:
                if len(word) in FUZZY_LENGTHS and word not in self.phrases:
                    for key in _blanked(word):
                        fuzzy_words[key].append(word)
        self.fuzzy_words = dict(fuzzy_words)
        return self

    # --- searching -----------------------------------------------------------------------

    def idf(self, field_name: str, term: str) -> float:
        df = len(self.fields[field_name].postings.get(term, ()))
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: str, *, audience: str | None = None,
               department_id: int | None = None) -> list[Hit]:
        """Every matching document, best first. `audience` keeps items for that audience
        (and for both); `department_id` keeps that department's items."""
        text = normalize(query)
        terms = [(t, 1.0) for t in dict.fromkeys(words(text))]
        direct: dict[int, list[tuple[float, str, str]]] = defaultdict(list)
        said = [text]  # the question and what its synonyms stand for
        for entry in self.synonyms:
            if entry.phrase in text:
                terms.extend((t, EXPANSION_WEIGHT) for t in entry.terms)
                said.extend(entry.terms)
                for d in entry.docs:
                    direct[d].append((PHRASE_BOOST["synonym"] + PHRASE_PER_CHAR * len(entry.phrase),
                                      "synonym_phrase", entry.phrase))
        terms.extend((w, FUZZY_FACTOR) for w in _near(text, self.fuzzy_words, self.phrases))
        hits: dict[int, Hit] = {}
        for field_name, weight in WEIGHTS.items():
            if field_name == "gram":
                continue
            self._score(hits, field_name, weight, terms)
        self._score(hits, "gram", WEIGHTS["gram"], [(g, 1.0) for g in dict.fromkeys(bigrams(text))])
        for phrase, postings in self.phrases.items():
            if phrase in text:
                for d, kind in postings:
                    direct[d].append((PHRASE_BOOST[kind] + PHRASE_PER_CHAR * len(phrase),
                                      f"{kind}_phrase", phrase))
        for phrase in _near(text, self.fuzzy, self.phrases):
            for d, kind in self.phrases[phrase]:
                points = FUZZY_FACTOR * (PHRASE_BOOST[kind] + PHRASE_PER_CHAR * len(phrase))
                direct[d].append((points, "near_phrase", phrase))
        for d, parts in direct.items():
            hit = hits.setdefault(d, Hit(self.docs[d], 0.0))
            best = max(parts)  # one phrase is enough evidence; several do not add up
            hit.score += best[0]
            hit.parts.append(best)
        found = [h for h in hits.values()
                 if self._keep(h.doc, audience, department_id) and _has_evidence(h)]
        named = {w for w in LATER_STAGES if any(w in s for s in said)}
        for hit in found:
            if hit.doc.stages and not named.issuperset(hit.doc.stages):
                hit.score *= LATER_STAGE_FACTOR
        found.sort(key=lambda h: (-h.score, h.doc.name, h.doc.pk))
        return found

    def _score(self, hits: dict[int, Hit], field_name: str, weight: float,
               terms: list[tuple[str, float]]) -> None:
        index = self.fields[field_name]
        seen: set[str] = set()
        for term, qweight in terms:
            if term in seen:
                continue
            seen.add(term)
            postings = index.postings.get(term)
            if not postings:
                continue
            idf = self.idf(field_name, term)
            for d, tf in postings.items():
                norm = 1 - B + B * index.lengths[d] / index.avg
                points = weight * qweight * idf * tf * (K1 + 1) / (tf + K1 * norm)
                hit = hits.get(d)
                if hit is None:
                    hit = hits[d] = Hit(self.docs[d], 0.0)
                hit.score += points
                hit.parts.append((points, field_name, term))

    @staticmethod
    def _keep(doc: Doc, audience: str | None, department_id: int | None) -> bool:
        if audience and doc.audience not in (audience, "both"):
            return False
        return not (department_id and doc.department_id != department_id)

    def match_scenarios(self, query: str) -> list[ScenarioEntry]:
        text = normalize(query)
        found = [(max(len(p) for p in s.phrases if p in text), s) for s in self.scenarios
                 if any(p in text for p in s.phrases)]
        found.sort(key=lambda pair: (-pair[0], pair[1].name))
        return [s for _n, s in found]

    def match_events(self, query: str) -> list[EventEntry]:
        text = normalize(query)
        return [e for e in self.events if e.name in text]


def _near(text: str, fuzzy: dict[str, list[str]], exact) -> set[str]:
    """Strings of `fuzzy` that appear in `text` with exactly one character different."""
    near: set[str] = set()
    for length in FUZZY_LENGTHS:
        for start in range(len(text) - length + 1):
            piece = text[start:start + length]
            if piece in exact:
                continue
            for key in _blanked(piece):
                near.update(fuzzy.get(key, ()))
    return {p for p in near if p not in text}


def _blanked(phrase: str):
    for i in range(len(phrase)):
        yield phrase[:i] + "\0" + phrase[i + 1:]


def _has_evidence(hit: Hit) -> bool:
    """A single character in common ("证", "办") is not a reason to show an item."""
    return any(len(term) >= 2 for _points, _field, term in hit.parts)
