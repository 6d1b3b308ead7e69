"""The answer path as a visible list of steps over one context object.

    check_question → resolve_follow_up → route → retrieve → compose → verify_citations

Each step may stop the pipeline early with a status and a message (``_stop``).
"""

from __future__ import annotations

import html
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retrieval.answer import messages as msg
from retrieval.answer.compose import compose_extractive, department_unit
from retrieval.answer.evidence import TermStats, candidates, terms_for
from retrieval.answer.from_targets import asks_to_compare, compose_from_targets
from retrieval.answer.taught import NO_TEACHINGS, LinkIndex, Teachings, TeachingsProvider
from retrieval.answer.types import Answer, Citation, Status
from retrieval.conversation import resolve
from retrieval.corpus import find_clause, tunables
from retrieval.index import NoticeIndex
from retrieval.lexicon import asks_for_figure
from retrieval.places import places
from retrieval.question import understand
from retrieval.search import Hit, HybridSearch, Query, Scope, scope_for
from retrieval.targets import Target, load_targets
from retrieval.textnorm import match_key, to_simplified

log = logging.getLogger(__name__)

MAX_CHARS = 300
_TAG = re.compile(r"<[^>]{0,200}>")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_GREETING = re.compile(r"^(你好|您好|哈喽|嗨|hi|hello|在吗|早上好|下午好|晚上好)[啊呀呢吗！!。.,，~～？?\s]*$", re.I)
_THANKS = re.compile(r"^(谢谢|多谢|感谢|谢了|thanks?)[你您啦了！!。.,，~～\s]*$", re.I)
_INJECTION = re.compile(
    r"(忽略|无视|忘记|忘掉)(之前|以上|上面|前面|所有|全部|你的)|ignore (all|previous|the above)|system prompt|"
    r"系统提示|你现在是|扮演|越狱|developer mode",
    re.I,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Context:
    question: str
    city: str | None
    history: list[str] = field(default_factory=list)  # earlier questions of the conversation, oldest first
    cleaned: str = ""
    rewritten: bool = False  # ``cleaned`` is a follow-up written out from the history
    scope: Scope | None = None
    query: Query | None = None
    hits: list[Hit] = field(default_factory=list)
    teachings: Teachings = NO_TEACHINGS  # what staff taught, as of this question
    result: Answer | None = None
    stopped: bool = False  # a step ended the pipeline early
    steps: list[str] = field(default_factory=list)


Composer = Callable[[Context], Answer]


def _stop(ctx: Context, status: Status, text: str) -> None:
    ctx.result = Answer(status=status, text=text)
    ctx.stopped = True


class Asker:
    """Answers residents' questions from the indexed notices."""

    def __init__(self, search: HybridSearch, stats: TermStats, composer: Composer | None = None,
                 targets: list[Target] | None = None, teachings: TeachingsProvider | None = None):
        self.search = search
        self.corpus = search.index.corpus
        self.stats = stats
        self.composer = composer
        self.targets = targets or []
        self.teachings = teachings  # the app wires in the desk's provider; None: nothing taught
        self._links = LinkIndex()
        self.steps = [self.check_question, self.resolve_follow_up, self.route, self.retrieve, self.compose,
                      self.verify_citations]

    @classmethod
    def for_index(cls, index: NoticeIndex, *, bm25: bool = True, dense: bool = True, units: bool = True,
                  rerank: bool = True, composer: Composer | None = None, targets: bool = True) -> Asker:
        """The standard asker; switches turn off parts of retrieval (and the targets table) for baselines."""
        stats = TermStats(index.chunks)
        reranker = evidence_reranker(stats, index) if rerank else None
        rows = load_targets() if targets else []
        ranker = coverage_ranker(stats, index) if rerank else None
        search = HybridSearch(index, bm25=bm25, dense=dense, units=units, reranker=reranker, coverage=ranker)
        return cls(search, stats, composer, rows)

    def ask(self, question: str, city: str | None = None, history: list[str] | None = None,
            teachings: Teachings | None = None) -> Answer:
        """Answer one question; ``history`` holds the conversation's earlier questions, oldest first.

        ``teachings`` replaces what the provider would give (the desk's "test before saving").
        """
        if teachings is None:
            teachings = self._current_teachings()
        ctx = Context(question=question or "", city=city if city in self.corpus.cities else None,
                      history=[h for h in (history or []) if h and h.strip()], teachings=teachings)
        try:
            for step in self.steps:
                ctx.steps.append(step.__name__)
                step(ctx)
                if ctx.stopped:
                    break
        except Exception:  # noqa: BLE001 - a resident sees a message, never a traceback
            log.exception("answer pipeline failed")
            _stop(ctx, Status.ERROR, msg.ERROR)
        answer = ctx.result or Answer(status=Status.ERROR, text=msg.ERROR)
        answer.steps = ctx.steps
        answer.chunks = _with_cited(ctx.hits, answer)
        answer.cities = ctx.scope.cities if ctx.scope else []
        answer.question = ctx.cleaned or ctx.question
        answer.rewritten = ctx.rewritten
        if ctx.query is not None:
            answer.kind = ctx.query.question.kind_name
            answer.word_pairs = [p.id for p in ctx.teachings.pairs_in(ctx.cleaned)]
        return answer

    def _current_teachings(self) -> Teachings:
        if self.teachings is None:
            return NO_TEACHINGS
        try:
            return self.teachings()
        except Exception:  # noqa: BLE001 - what staff taught must never stop an answer
            log.exception("taught links could not be read; answering without them")
            return NO_TEACHINGS

    # -- steps -------------------------------------------------------------

    def check_question(self, ctx: Context) -> None:
        text = html.unescape(_TAG.sub(" ", ctx.question)).strip()
        if not text:
            return _stop(ctx, Status.INVALID_QUESTION, msg.EMPTY)
        if len(text) > MAX_CHARS:
            return _stop(ctx, Status.INVALID_QUESTION, msg.TOO_LONG.format(limit=MAX_CHARS))
        if _INJECTION.search(text):
            kept = [s for s in re.split(r"[。！？!?\n]", text) if s.strip() and not _INJECTION.search(s)]
            text = "。".join(kept)
            if not _CJK.search(text):
                return _stop(ctx, Status.INVALID_QUESTION, msg.INJECTION)
        if not _CJK.search(text):
            return _stop(ctx, Status.INVALID_QUESTION, msg.NO_CHINESE if _LATIN.search(text) else msg.NO_CONTENT)
        ctx.cleaned = to_simplified(text)

    def resolve_follow_up(self, ctx: Context) -> None:
        """A turn that refers back ("那天津呢？") is written out from the conversation's earlier questions."""
        if not ctx.history:
            return
        history = [to_simplified(html.unescape(_TAG.sub(" ", h)).strip())[:MAX_CHARS] for h in ctx.history[-5:]]
        resolved = resolve(ctx.cleaned, history, self.corpus.cities, ctx.city)
        if resolved.rewritten:
            ctx.cleaned = resolved.question
            ctx.rewritten = True

    def route(self, ctx: Context) -> None:
        if _GREETING.match(ctx.cleaned):
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.GREETING)
        if _THANKS.match(ctx.cleaned):
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.THANKS)
        ctx.scope = scope_for(ctx.cleaned, self.corpus.cities, ctx.city)
        if ctx.scope.other_places and not ctx.scope.cities:
            named = "、".join(ctx.scope.other_places)
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.OTHER_PLACE.format(places=named))
        named_city = any(c in ctx.cleaned for c in ctx.scope.cities) if ctx.scope.cities else False
        asked = understand(ctx.cleaned).kind
        if not named_city and re.search(places()["national"]["pattern"], ctx.cleaned) \
                and asked is not None and asked.name in ("figure", "money"):
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.NATIONAL)

    def retrieve(self, ctx: Context) -> None:
        assert ctx.scope is not None
        ctx.query = self.search.prepare(ctx.cleaned, ctx.teachings.expansions())
        ctx.hits = self.search.search(ctx.query, ctx.scope, max(10, 4 * len(ctx.scope.cities)))

    def compose(self, ctx: Context) -> None:
        """Comparisons of figures come from the targets table; everything else quotes sentences.

        A single-city question for a figure falls back to the table when no quoted sentence has a number.
        """
        assert ctx.scope is not None and ctx.query is not None
        if self._answer_from_link(ctx):
            return
        kind = ctx.query.question.kind
        # The table holds targets (rates, amounts of pollution…), never money, phones or dates.
        table_kind = kind is None or kind.name in ("figure", "standard", "which", "list")
        wants_figure = (asks_for_figure(ctx.cleaned) or asks_to_compare(ctx.cleaned)) and table_kind
        from_table = None
        if self.targets and wants_figure and (ctx.scope.per_city or len(ctx.scope.cities) == 1):
            from_table = compose_from_targets(ctx.cleaned, ctx.scope, self.targets, self.corpus, self.stats)
        if from_table is not None and ctx.scope.per_city:
            ctx.result = from_table
            return
        extractive = compose_extractive(ctx.query.question, ctx.query, ctx.hits, ctx.scope, self.corpus, self.stats,
                                        self.search.index)
        ctx.result = extractive
        numbered = any(_NUMBER.search(c.quote) for c in extractive.citations)
        if from_table is not None and (extractive.status is not Status.ANSWERED or not numbered):
            ctx.result = from_table
            return
        if self.composer and extractive.status is Status.ANSWERED:
            generated = self.composer(ctx)
            if generated.status is Status.ANSWERED and generated.citations:
                ctx.result = generated

    def _answer_from_link(self, ctx: Context) -> bool:
        """A question close to one staff linked to a sentence is answered from that sentence."""
        assert ctx.scope is not None and ctx.query is not None
        if not ctx.teachings.links or ctx.scope.per_city:
            return False
        index = self.search.index
        self._links.refresh(ctx.teachings, index.embed_query)
        vector = index.embed_query(ctx.cleaned)
        match = self._links.best(ctx.cleaned, vector, ctx.scope.cities, self.corpus)
        if match is None:
            return False
        chunk = match.chunk
        lines = [msg.ANSWER_LEAD.format(title=chunk.title, city=chunk.city), f"「{match.link.quote}」[1]"]
        citations = [Citation(chunk=chunk, quote=match.link.quote)]
        kind = ctx.query.question.kind
        if kind is not None and kind.name == "who":
            unit = next((index.units[k] for k in index.units_of[index.position[chunk.id]]
                         if match_key(match.link.quote) in index.units[k].key), None)
            bracket = department_unit(index, unit) if unit else None
            if bracket is not None:
                citations.append(Citation(chunk=bracket[1], quote=bracket[0].text))
                lines.append(msg.DEPARTMENTS_QUOTE.format(quote=bracket[0].text, n=2))
        ctx.result = Answer(status=Status.ANSWERED, text="\n".join(lines), citations=citations, composer="taught",
                            taught_link=match.link.id)
        return True

    def inspect(self, question: str, city: str | None = None, k: int = 10,
                teachings: Teachings | None = None) -> list[dict]:
        """What retrieval finds for a question, with each score (the desk's retrieval test).

        Per chunk: its rank in each ranking (keyword, chunk meaning, sentence meaning), the fused
        score, and its best unit with that unit's coverage, similarity and relevance.
        """
        teachings = self._current_teachings() if teachings is None else teachings
        cleaned = to_simplified(html.unescape(_TAG.sub(" ", question or "")).strip())[:MAX_CHARS]
        if not _CJK.search(cleaned):
            return []
        scope = scope_for(cleaned, self.corpus.cities, city if city in self.corpus.cities else None)
        query = self.search.prepare(cleaned, teachings.expansions())
        explained = self.search.explain(query, scope.cities or None)
        index = self.search.index
        terms = terms_for(query.question, self.stats, query.extra)
        rows = []
        for rank, (i, parts) in enumerate(explained[:k], start=1):
            chunk = index.chunks[i]
            cands = candidates(query.question, [(rank, chunk, index.units_of[i])], index.units, self.stats,
                               query.unit_similarities, terms=terms)
            best = cands[0] if cands else None
            rows.append({
                "rank": rank, "chunk_id": chunk.id, "notice_id": chunk.notice_id, "city": chunk.city,
                "clause": chunk.clause_path, "heading": chunk.heading, **parts,
                "best_sentence": best.sentence if best else "", "coverage": best.coverage if best else 0.0,
                "similarity": best.similarity if best else 0.0, "relevance": best.relevance if best else 0.0,
            })
        return rows

    def verify_citations(self, ctx: Context) -> None:
        """Every quote stands in its clause and every number in it stands in the cited text."""
        answer = ctx.result
        if answer is None or answer.status not in (Status.ANSWERED, Status.NOT_SPECIFIED):
            return
        for citation in answer.citations:
            clause = find_clause(citation.chunk.notice_id, citation.chunk.clause_path, self.corpus)
            ok = clause is not None
            for text in filter(None, (citation.quote, citation.lead)):
                quote = match_key(text)
                ok = ok and quote in match_key(clause.text) and quote in match_key(citation.chunk.text)
                ok = ok and all(n in match_key(citation.chunk.text) for n in _NUMBER.findall(quote))
            if not ok:
                log.error("citation failed verification: %s", citation.to_dict())
                _stop(ctx, Status.NO_EVIDENCE, msg.NO_EVIDENCE)
                return
        if not answer.citations:
            _stop(ctx, Status.NO_EVIDENCE, msg.NO_EVIDENCE)


def _with_cited(hits: list[Hit], answer: Answer) -> list:
    """The retrieved chunks, with any chunk an answer cites but retrieval did not rank (the bracket of
    departments at the end of a long clause) placed right after the chunk of its clause."""
    chunks = [h.chunk for h in hits]
    ids = {c.id for c in chunks}
    for citation in answer.citations:
        chunk = citation.chunk
        if chunk.id in ids:
            continue
        same = [i for i, c in enumerate(chunks) if c.notice_id == chunk.notice_id and c.clause_path == chunk.clause_path]
        chunks.insert(same[0] + 1 if same else len(chunks), chunk)
        ids.add(chunk.id)
    return chunks


def evidence_reranker(stats: TermStats, index: NoticeIndex):
    """A reranker for :class:`retrieval.search.HybridSearch`: each chunk's best unit relevance."""

    def rerank(query: Query, chunk_ids: list[int]) -> list[float]:
        terms = terms_for(query.question, stats, query.extra)
        items = [(1, index.chunks[i], index.units_of[i]) for i in chunk_ids]
        best = {i: 0.0 for i in chunk_ids}
        for cand in candidates(query.question, items, index.units, stats, query.unit_similarities, terms=terms,
                               ranking=True):
            i = cand.unit.chunk_index
            best[i] = max(best[i], cand.relevance)
        cap = tunables()["retrieval"]["rerank_cap"]
        return [min(best[i], cap) for i in chunk_ids]

    return rerank


def coverage_ranker(stats: TermStats, index: NoticeIndex):
    """A ranking for :class:`retrieval.search.HybridSearch`: chunks by their best unit's coverage of the
    question's weighted words (residents' words through the notices' words), ties by meaning.

    BM25 scores whole chunks, so one apt sentence in a long chunk (能效标识 for 冰箱空调) can rank
    below chunks that repeat a common word; coverage looks at sentences and at word weights.
    """
    keys = [u.key for u in index.units]
    cities_of = index.unit_city
    masks: dict[str, np.ndarray] = {}
    lock = threading.Lock()

    def holds(word: str) -> np.ndarray:
        found = masks.get(word)
        if found is None:
            found = np.fromiter((word in k for k in keys), dtype=bool, count=len(keys))
            with lock:
                if len(masks) >= 8192:
                    masks.clear()
                masks[word] = found
        return found

    def rank(query: Query, cities: list[str] | None, limit: int) -> list[int]:
        terms = terms_for(query.question, stats, query.extra)
        total = sum(t.weight for t in terms)
        if not total or not keys:
            return []
        score = np.zeros(len(keys))
        for t in terms:
            if t.alternatives and t.weight:
                score += t.weight * np.logical_or.reduce([holds(a) for a in t.alternatives])
        score /= total
        if query.unit_similarities is not None:
            score += 1e-3 * query.unit_similarities  # ties: the closer in meaning first
        if cities:
            score = np.where(np.isin(cities_of, cities), score, -1.0)
        order: list[int] = []
        for k in np.argsort(-score, kind="stable"):
            if score[k] <= 0.01 or len(order) >= limit:
                break
            chunk = index.units[k].chunk_index
            if chunk not in order:
                order.append(chunk)
        return order

    return rank
