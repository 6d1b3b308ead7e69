"""City knowledge: what each city's notice says on each self-check subject.

Citations are data (``data/cities.toml``); this module resolves them against the
indexed corpus so a result can show the quote, the notice title and the clause
path, and says plainly which subjects the city's notice is silent on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from engagement.questionnaire import read_toml
from retrieval.corpus import load_corpus, quote_in_clause
from retrieval.places import city_districts
from retrieval.textnorm import match_key


@dataclass(frozen=True)
class Citation:
    city_id: str
    topic: str
    subject: str
    subject_label: str
    clause: str
    quote: str
    note: str = ""
    target: dict = field(default_factory=dict)


@dataclass(frozen=True)
class City:
    id: str
    name: str
    grid: str
    districts: tuple[str, ...]
    citations: dict[str, tuple[Citation, ...]]  # topic -> citations
    silent: dict[str, tuple[str, ...]]  # topic -> subject ids


@dataclass(frozen=True)
class CitedQuote:
    """A citation ready to show: quote in the notice's own script plus where it stands."""

    subject_label: str
    quote: str
    notice_title: str
    clause: str
    heading: str
    note: str
    resolved: bool
    subject: str = ""
    relevant: bool = False  # the household's own answers touch this subject


@lru_cache(maxsize=1)
def _data() -> dict:
    return read_toml("cities.toml")


def subjects(topic: str) -> dict[str, str]:
    return dict(_data()["subjects"][topic])


@lru_cache(maxsize=1)
def load_cities() -> dict[str, City]:
    data = _data()
    cities = {}
    for cid, raw in data["cities"].items():
        citations, silent = {}, {}
        for topic in ("heating", "food"):
            labels = data["subjects"][topic]
            citations[topic] = tuple(
                Citation(
                    city_id=cid,
                    topic=topic,
                    subject=c["subject"],
                    subject_label=labels[c["subject"]],
                    clause=c["clause"],
                    quote=c["quote"],
                    note=c.get("note", ""),
                    target=dict(c.get("target", {})),
                )
                for c in raw.get(topic, [])
            )
            silent[topic] = tuple(raw.get(f"silent_{topic}", []))
        cities[cid] = City(
            id=cid,
            name=raw["name"],
            grid=raw["grid"],
            districts=city_districts(raw["name"]),
            citations=citations,
            silent=silent,
        )
    return cities


def find_city(value: str | None) -> City | None:
    """A city by id (``shizuishan``) or by name, with or without 市 (``石嘴山市``)."""
    if not value:
        return None
    key = match_key(str(value)).removesuffix("市")
    for city in load_cities().values():
        if key in (city.id, city.name):
            return city
    return None


def city_target(city: City, topic: str, area: str | None) -> tuple[float, str, Citation] | None:
    """The city's numeric target for this topic (and area type, for heating), if its notice sets one."""
    for citation in city.citations[topic]:
        target = citation.target
        if not target:
            continue
        value = target.get(area) if area in target else target.get("all")
        if value is not None:
            return float(value), target.get("label", citation.subject_label), citation
    return None


def cited_quotes(city: City, topic: str) -> list[CitedQuote]:
    corpus = load_corpus()
    notice = corpus.notices.get(city.id)
    out = []
    for c in city.citations[topic]:
        clause = notice.clause(c.clause) if notice else None
        out.append(
            CitedQuote(
                subject_label=c.subject_label,
                quote=c.quote,
                notice_title=notice.meta.title if notice else "",
                clause=c.clause,
                heading=clause.heading if clause else "",
                note=c.note,
                resolved=quote_in_clause(city.id, c.clause, c.quote, corpus),
                subject=c.subject,
            )
        )
    return out


def mark_relevant(quotes: list[CitedQuote], topic: str, explicit: dict[str, str]) -> list[CitedQuote]:
    """Quotes on subjects the household's answers touch come first, marked; order otherwise kept."""
    rules = _data().get("relevance", {}).get(topic, {})
    marked = [
        replace(q, relevant=any(explicit.get(qid) in allowed for qid, allowed in rules.get(q.subject, {}).items()))
        for q in quotes
    ]
    return sorted(marked, key=lambda q: not q.relevant)


def silent_subjects(city: City, topic: str) -> list[str]:
    labels = subjects(topic)
    return [labels[s] for s in city.silent[topic]]


def notice_title(city: City) -> str:
    notice = load_corpus().notices.get(city.id)
    return notice.meta.title if notice else ""


def cities_not_set_up() -> list[str]:
    """Cities whose notice is in the corpus (one published later included) with no self-check subjects yet."""
    return [city for city in load_corpus().cities if find_city(city) is None]
