"""Answers from the reviewed targets table (corpus/targets.csv).

Comparison questions ("哪个城市…目标最高？", "五个城市的…分别是多少？") are
answered city by city from the table: each city's rows whose indicator covers
the question's words, quoted with their clause, "未提及" for a city with none,
and, when asked and the units agree, which figure is highest, lowest or equal.
A single-city question asking for a figure uses the table as a second source
when the notice's sentences gave no number.

Every quote is a reviewed row's exact text of its clause; every number shown
is in that quote, or (the target year) in the cited clause.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from retrieval.answer import messages as msg
from retrieval.answer.evidence import TermStats, coverage, question_terms
from retrieval.answer.types import Answer, Citation, Status
from retrieval.corpus import Chunk, Corpus
from retrieval.search import Scope
from retrieval.targets.extract import RULES_FILE
from retrieval.targets.table import Target
from retrieval.textnorm import match_key


@lru_cache(maxsize=1)
def compare_rules() -> dict:
    with open(RULES_FILE, "rb") as fh:
        return tomllib.load(fh)["compare"]


@dataclass
class Match:
    row: Target
    chunk: Chunk
    coverage: float


def asks_to_compare(question: str) -> bool:
    cfg = compare_rules()
    return any(w in question for w in cfg["highest"] + cfg["lowest"] + cfg["same"])


def _chunk_for(row: Target, corpus: Corpus) -> Chunk | None:
    notice = corpus.notices.get(row.notice_id)
    key = match_key(row.quote)
    chunks = notice.chunks if notice else []
    return next((c for c in chunks if c.clause_path == row.clause and key in match_key(c.text)), None)


def match_rows(question: str, rows: list[Target], cities: list[str], corpus: Corpus,
               stats: TermStats) -> dict[str, list[Match]]:
    """Per city, the rows whose indicator answers the question, best first (possibly none)."""
    cfg = compare_rules()
    cues = set(cfg["cue_words"])
    terms = [t for t in question_terms(question, stats) if t.word not in cues and not t.word.isdigit()]
    out: dict[str, list[Match]] = {}
    if not terms:
        return {city: [] for city in cities}
    for city in cities:
        scored = []
        for row in rows:
            if row.city != city:
                continue
            cov = coverage(match_key(row.indicator), match_key(row.quote + row.theme), terms)
            if cov >= cfg["min_coverage"]:
                chunk = _chunk_for(row, corpus)
                if chunk is not None:
                    scored.append(Match(row=row, chunk=chunk, coverage=cov))
        scored.sort(key=lambda m: -m.coverage)
        best = scored[0].coverage if scored else 0.0
        out[city] = [m for m in scored if m.coverage >= cfg["keep_ratio"] * best][: cfg["max_rows_per_city"]]
    return out


def _year(m: Match) -> str:
    """The target year, shown only when the cited clause writes it."""
    year = m.row.year
    return msg.TARGETS_YEAR.format(year=year) if year and year in m.chunk.text + m.row.quote else ""


def _comparison(question: str, matched: dict[str, list[Match]]) -> str | None:
    """Highest / lowest / same, over one row per city, when units agree and each city's pick is clear."""
    cfg = compare_rules()
    firsts = {}
    for city, ms in matched.items():
        if not ms:
            continue
        if len(ms) > 1 and ms[1].coverage >= ms[0].coverage:
            return None  # two rows fit equally well: no single figure to compare
        firsts[city] = ms[0].row
    if len(firsts) < 2 or len({r.unit for r in firsts.values()}) != 1:
        return None
    values = {city: r.number for city, r in firsts.items()}
    if any(w in question for w in cfg["same"]):
        if len(set(values.values())) == 1:
            row = next(iter(firsts.values()))
            return msg.TARGETS_SAME.format(cities="、".join(firsts), value=f"{row.value}{row.unit}")
        pairs = "、".join(f"{c}{r.value}{r.unit}" for c, r in firsts.items())
        return msg.TARGETS_DIFFERENT.format(pairs=pairs)
    for words, pick, template in ((cfg["highest"], max, msg.TARGETS_HIGHEST), (cfg["lowest"], min, msg.TARGETS_LOWEST)):
        if any(w in question for w in words):
            best = pick(values.values())
            cities = [c for c, v in values.items() if v == best]
            row = firsts[cities[0]]
            return template.format(cities="、".join(cities), value=f"{row.value}{row.unit}")
    return None


def compose_from_targets(question: str, scope: Scope, rows: list[Target], corpus: Corpus,
                         stats: TermStats) -> Answer | None:
    """A table answer, or None when the table has nothing that fits (the caller falls back)."""
    cities = scope.cities or corpus.cities
    matched = match_rows(question, rows, cities, corpus, stats)
    if not any(matched.values()):
        return None
    many = len(cities) > 1
    if many:
        lines = [msg.TARGETS_LEAD]
    else:
        notice = corpus.by_city(cities[0])
        lines = [msg.TARGETS_LEAD_ONE.format(title=notice.meta.title, city=cities[0])]
    citations: list[Citation] = []
    table: list[dict] = []
    for city in cities:
        if not matched[city]:
            lines.append(msg.TARGETS_SILENT.format(city=city))
            table.append({"city": city, "indicator": "", "value": "未提及", "clause": "", "ref": ""})
            continue
        for m in matched[city]:
            citations.append(Citation(chunk=m.chunk, quote=m.row.quote))
            n = len(citations)
            lines.append(msg.TARGETS_LINE.format(city=city, indicator=m.row.indicator, value=m.row.display_value,
                                                 year=_year(m), quote=m.row.quote, n=n))
            table.append({"city": city, "indicator": m.row.indicator, "value": m.row.display_value + _year(m),
                          "clause": m.row.clause, "ref": f"[{n}]"})
    verdict = _comparison(question, matched) if many else None
    notes = [verdict, msg.TARGETS_NOTE] if verdict else []
    answer = Answer(status=Status.ANSWERED, text="\n".join(lines + notes), citations=citations, table=table,
                    notes=notes, composer="targets")
    answer.silent_cities = [city for city in cities if not matched[city]]
    return answer
