"""Hybrid search: city scoping, query expansion, reciprocal-rank fusion.

The result is exposed as a langchain-core ``BaseRetriever`` in :mod:`retrieval.retriever`, so
the optional LLM path (or any LangChain chain) can use the same retrieval; this module does not
import LangChain, which the default answer path does not need (a fifth of a second at start).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retrieval.corpus import Chunk, tunables
from retrieval.index import NoticeIndex
from retrieval.lexicon import expand, query_terms
from retrieval.places import city_names, places
from retrieval.question import Question, understand
from retrieval.textnorm import to_simplified


@dataclass
class Scope:
    cities: list[str]  # empty: every notice
    per_city: bool  # a comparison: retrieve and answer city by city
    other_places: list[str] = field(default_factory=list)


def cities_named(question: str, known: list[str]) -> list[str]:
    simplified = to_simplified(question)
    found = []
    for city in places()["cities"]:
        if city in known and any(a in simplified for a in city_names(city)):
            found.append(city)
    # A city added later through the ingest CLI is recognised by its manifest name.
    found += [c for c in known if c not in found and c not in places()["cities"] and c in simplified]
    return sorted(found, key=lambda c: _first_index(simplified, c))


def _first_index(text: str, city: str) -> int:
    positions = [text.find(a) for a in city_names(city) if a in text]
    return min(positions) if positions else len(text)


def _excluded(text: str, city: str, phrases: list[str]) -> bool:
    """The city is set aside ("除了天津，别的城市…", "天津以外"), not "besides burning" (除了烧)."""
    names = "|".join(re.escape(a) for a in city_names(city))
    before = "|".join(re.escape(p) for p in phrases if not p.endswith("外"))
    after = "|".join(re.escape(p) for p in phrases if p.endswith("外"))
    gap = r"[^，。？！,?!]{0,6}?"
    return bool(before and re.search(f"(?:{before}){gap}(?:{names})", text)
                or after and re.search(f"(?:{names}){gap}(?:{after})", text))


def other_places_named(question: str) -> list[str]:
    simplified = to_simplified(question)
    return [p for p in places()["other"]["places"] if p in simplified]


def wants_many_cities(question: str) -> bool:
    """The question asks about several cities at once ("哪些城市…", "各城市…")."""
    simplified = to_simplified(question)
    return any(p in simplified for p in places()["compare"]["phrases"])


def scope_for(question: str, known: list[str], chosen_city: str | None = None) -> Scope:
    """Which notices a question is about: named cities first, then the user's chosen city."""
    simplified = to_simplified(question)
    named = cities_named(question, known)
    others = other_places_named(question)
    compare = places()["compare"]
    wants_many = any(p in simplified for p in compare["phrases"])
    excluded = [c for c in named if _excluded(simplified, c, compare["exclude"])]
    if excluded:
        rest = [c for c in known if c not in excluded]
        return Scope(cities=rest, per_city=True, other_places=others)
    if len(named) > 1:
        return Scope(cities=named, per_city=True, other_places=others)
    if named:
        return Scope(cities=named, per_city=False, other_places=others)
    if wants_many:
        return Scope(cities=list(known), per_city=True, other_places=others)
    if chosen_city and chosen_city in known and not others:
        return Scope(cities=[chosen_city], per_city=False)
    return Scope(cities=[], per_city=False, other_places=others)


def rrf(rankings: list[tuple[list[int], float]], k: float) -> dict[int, float]:
    """Reciprocal-rank fusion: each ranking adds weight / (k + rank) to its items."""
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


@dataclass
class Query:
    """A question prepared once for every ranking: its ask, BM25 terms and dense vectors."""

    question: Question
    terms: list[str]
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()  # word pairs staff taught
    vector: np.ndarray | None = None  # the ask's embedding
    unit_similarities: np.ndarray | None = None  # every quotable unit's similarity to the ask


Reranker = Callable[[Query, list[int]], list[float]]
Ranker = Callable[[Query, list[str] | None, int], list[int]]  # chunk positions, best first


@dataclass
class Hit:
    chunk: Chunk
    score: float


class HybridSearch:
    """BM25, chunk-level and unit-level dense rankings fused; each can be switched off for baselines."""

    def __init__(self, index: NoticeIndex, *, bm25: bool = True, dense: bool = True, units: bool = True,
                 reranker: Reranker | None = None, coverage: Ranker | None = None):
        self.index = index
        self.coverage = coverage  # chunks by their best sentence's coverage of the question's weighted words
        self.cfg = tunables()["retrieval"]
        self.use_bm25 = bm25
        self.use_dense = dense
        self.use_units = units and dense
        self.reranker = reranker

    def prepare(self, text: str, extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Query:
        question = understand(text)
        ask = expand(query_terms(question.ask), question.ask)
        ask += [w.lower() for word, words in extra if word in question.ask for w in words]
        background = expand(query_terms(question.background), question.background) if question.background else []
        terms = ask * int(self.cfg["ask_repeat"]) + background
        query = Query(question=question, terms=terms, extra=extra)
        if self.use_dense:
            query.vector = self.index.embed_query(question.text if question.refers_back else question.ask)
            query.unit_similarities = self.index.unit_similarities(query.vector)
        return query

    def query_text(self, question: str) -> tuple[list[str], str]:
        terms = expand(query_terms(question), question)
        return terms, to_simplified(question)

    def ranked(self, query: Query | str, cities: list[str] | None) -> list[Hit]:
        if isinstance(query, str):
            query = self.prepare(query)
        n = self.cfg["candidates"]
        rankings = []
        if self.use_bm25:
            rankings.append((self.index.bm25_ranking(query.terms, cities, n), self.cfg["weight_bm25"]))
        if self.use_dense and query.vector is not None:
            rankings.append((self.index.dense_ranking(query.vector, cities, n), self.cfg["weight_dense"]))
        if self.use_units and query.unit_similarities is not None:
            rankings.append((self._unit_ranking(query.unit_similarities, cities, n), self.cfg["weight_units"]))
        if self.coverage and self.cfg["weight_coverage"]:
            rankings.append((self.coverage(query, cities, n), self.cfg["weight_coverage"]))
        fused = rrf(rankings, self.cfg["rrf_k"])
        order = sorted(fused, key=lambda i: -fused[i])
        if self.reranker and order:
            order = self._rerank(query, order, fused)
        return [Hit(self.index.chunks[i], fused[i]) for i in order]

    def explain(self, query: Query, cities: list[str] | None) -> list[tuple[int, dict]]:
        """The final order with each chunk's place in every ranking and its fused score."""
        n = self.cfg["candidates"]
        keyword = self.index.bm25_ranking(query.terms, cities, n) if self.use_bm25 else []
        dense = self.index.dense_ranking(query.vector, cities, n) if query.vector is not None else []
        sentence = self._unit_ranking(query.unit_similarities, cities, n) \
            if query.unit_similarities is not None else []
        covered = self.coverage(query, cities, n) if self.coverage and self.cfg["weight_coverage"] else []
        order = self.ranked(query, cities)
        place = {name: {i: r for r, i in enumerate(ranking, start=1)}
                 for name, ranking in (("keyword_rank", keyword), ("dense_rank", dense), ("sentence_rank", sentence),
                                       ("coverage_rank", covered))}
        out = []
        for hit in order:
            i = self.index.position[hit.chunk.id]
            out.append((i, {name: ranks.get(i) for name, ranks in place.items()} | {"fused": hit.score}))
        return out

    def _unit_ranking(self, similarities: np.ndarray, cities: list[str] | None, limit: int) -> list[int]:
        """Chunks by their best unit's similarity to the ask."""
        sims = similarities if not cities else np.where(np.isin(self.index.unit_city, cities), similarities, -1.0)
        order: list[int] = []
        for k in np.argsort(-sims):
            if sims[k] <= -1.0 or len(order) >= limit:
                break
            chunk = self.index.units[k].chunk_index
            if chunk not in order:
                order.append(chunk)
        return order

    def _rerank(self, query: Query, order: list[int], fused: dict[int, float]) -> list[int]:
        """Re-order the head of the fused list by how well each chunk's best unit answers."""
        depth = self.cfg["rerank_depth"]
        head, tail = order[:depth], order[depth:]
        evidence = self.reranker(query, head)
        top = fused[head[0]]
        weight = self.cfg["rerank_weight"]
        final = {i: fused[i] / top + weight * e for i, e in zip(head, evidence, strict=True)}
        return sorted(head, key=lambda i: -final[i]) + tail

    def search(self, question: Query | str, scope: Scope, k: int | None = None) -> list[Hit]:
        """Top hits for the scope; per-city scopes interleave the cities' rankings."""
        k = k or self.cfg["top_k"]
        query = self.prepare(question) if isinstance(question, str) else question
        if not scope.per_city:
            return self.ranked(query, scope.cities or None)[:k]
        per_city = [self.ranked(query, [city]) for city in scope.cities]
        merged: list[Hit] = []
        for rank in range(max((len(h) for h in per_city), default=0)):
            merged += [hits[rank] for hits in per_city if rank < len(hits)]
        return merged[:k]
