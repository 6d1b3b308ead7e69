"""Which sentences of the retrieved chunks answer the question, and how well.

A question's content words are weighted by how rare they are in the notices
(inverse document frequency over chunks). A sentence's coverage is the share of
that weight it contains, directly or through the notices' word for a resident's
word. Coverage decides both which sentences are quoted and whether the notices
answer the question at all.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from retrieval.corpus import Chunk, split_sentences, tunables
from retrieval.lexicon import asks_for_figure, lexicon, sub_words, tagged_words
from retrieval.places import city_names, places
from retrieval.textnorm import match_key, to_simplified

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Term:
    word: str
    alternatives: tuple[str, ...]  # any of these in a sentence covers the term
    weight: float
    parts: tuple[str, ...] = ()  # all of these (e.g. 污水 + 处理 for 污水处理) cover it in part


@dataclass
class Candidate:
    sentence: str  # original script
    chunk: Chunk
    chunk_rank: int
    coverage: float
    score: float


class TermStats:
    """Document frequencies of words over the chunks, for weighting."""

    def __init__(self, chunks: list[Chunk]):
        self.keys = [match_key(c.breadcrumb + c.text) for c in chunks]
        self.n = len(self.keys)
        self._df: dict[str, int] = {}

    def df(self, word: str) -> int:
        if word not in self._df:
            self._df[word] = sum(1 for k in self.keys if word in k)
        return self._df[word]

    def idf(self, word: str) -> float:
        return math.log((self.n + 1) / (self.df(word) + 0.5))


def _place_words() -> set[str]:
    words: set[str] = set()
    for city in places()["cities"]:
        words.update(city_names(city))
    return words


def question_terms(question: str, stats: TermStats) -> list[Term]:
    """Weighted content words; a resident's word is covered by the notices' words for it."""
    lex = lexicon()
    skip = lex.stopwords | _place_words()
    unknown_weight = tunables()["answer"]["unknown_term_weight"]
    terms: dict[str, Term] = {}
    for word, flag in tagged_words(question):
        word = word.lower()
        single = len(word) == 1 and not word.isdigit() and word not in lex.expansions
        if word in skip or word in terms or single:
            continue
        alternatives = [word] if stats.df(word) else []
        alternatives += [w.lower() for w in lex.expansions.get(word, []) if stats.df(w.lower())]
        if not alternatives:
            alternatives = [p for p in sub_words(word) if p not in skip and stats.df(p)]
        if not alternatives:
            # A noun the notices never use and we cannot map can never be covered: a question
            # made mostly of such things is about something the notices do not discuss.
            if flag.startswith(("n", "t")):
                terms[word] = Term(word=word, alternatives=(), weight=unknown_weight)
            continue
        alternatives = tuple(dict.fromkeys(alternatives))
        if any(t.alternatives and set(alternatives) <= set(t.alternatives) for t in terms.values()):
            continue  # two words for the same thing (农村, 村里) count once
        weight = max(stats.idf(a) for a in alternatives)
        parts = tuple(p for p in sub_words(word) if p not in skip and stats.df(p)) if len(word) > 2 else ()
        terms[word] = Term(word=word, alternatives=alternatives, weight=weight, parts=parts)
    return list(terms.values())


def coverage(sentence_key: str, context_key: str, terms: list[Term]) -> float:
    """Share of the terms' weight found in the sentence (context counts half)."""
    part_credit = tunables()["answer"]["part_credit"]
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    got = 0.0
    for t in terms:
        if any(a in sentence_key for a in t.alternatives):
            got += t.weight
        elif t.parts and all(p in sentence_key for p in t.parts):
            got += t.weight * part_credit  # the words apart: 污水集中处理 for 污水处理
        elif any(a in context_key for a in t.alternatives):
            got += t.weight / 2
    return got / total


def candidates(question: str, chunks: list[Chunk], stats: TermStats, *, clause: str | None = None) -> list[Candidate]:
    """Every sentence of the given chunks, scored, best first."""
    terms = question_terms(question, stats)
    wants_figure = asks_for_figure(question)
    heading_penalty = tunables()["answer"]["heading_penalty"]
    figure_weight = tunables()["answer"]["figure_weight"]
    out: list[Candidate] = []
    for rank, chunk in enumerate(chunks, start=1):
        if clause and chunk.clause_path != clause:
            continue
        context = match_key(chunk.breadcrumb)
        for sentence in split_sentences(chunk.text):
            key = match_key(sentence)
            if len(key) < 4:
                continue
            cov = coverage(key, context, terms)
            score = cov + 0.05 / rank
            if key.rstrip("。；;") == match_key(chunk.heading):
                score -= heading_penalty  # a bare heading says less than the sentences under it
            if wants_figure:
                score += figure_weight if _DIGIT.search(sentence) else -figure_weight
            out.append(Candidate(sentence=sentence, chunk=chunk, chunk_rank=rank, coverage=cov, score=score))
    out.sort(key=lambda c: -c.score)
    return out


@dataclass(frozen=True)
class AnswerRule:
    name: str
    triggers: tuple[str, ...]
    also: tuple[str, ...]
    unless: tuple[str, ...]
    clause: str | None
    require: re.Pattern[str]
    message: str

    def applies(self, question: str) -> bool:
        q = to_simplified(question)
        return (
            any(t in q for t in self.triggers)
            and (not self.also or any(a in q for a in self.also))
            and not any(u in q for u in self.unless)
        )


@lru_cache(maxsize=1)
def answer_rules() -> list[AnswerRule]:
    with open(DATA_DIR / "answer_rules.toml", "rb") as fh:
        data = tomllib.load(fh)
    return [
        AnswerRule(
            name=r["name"], triggers=tuple(r["triggers"]), also=tuple(r.get("also", [])),
            unless=tuple(r.get("unless", [])), clause=r.get("clause"), require=re.compile(r["require"]),
            message=r["message"],
        )
        for r in data["rule"]
    ]


def rule_for(question: str) -> AnswerRule | None:
    return next((r for r in answer_rules() if r.applies(question)), None)


def evidence_reranker(stats: TermStats):
    """A reranker for :class:`retrieval.search.HybridSearch`: each chunk's best sentence coverage."""

    def rerank(question: str, chunks: list[Chunk]) -> list[float]:
        terms = question_terms(question, stats)
        out = []
        for chunk in chunks:
            context = match_key(chunk.breadcrumb)
            keys = [match_key(s) for s in split_sentences(chunk.text)]
            out.append(max((coverage(k, context, terms) for k in keys), default=0.0))
        return out

    return rerank
