"""The answer path as a visible list of steps over one context object.

    check_question → route → retrieve → compose → verify_citations

Each step may stop the pipeline early with a status and a message (``_stop``).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from retrieval.answer import messages as msg
from retrieval.answer.compose import compose_extractive
from retrieval.answer.evidence import TermStats, evidence_reranker
from retrieval.answer.from_targets import asks_to_compare, compose_from_targets
from retrieval.answer.types import Answer, Status
from retrieval.corpus import find_clause
from retrieval.index import NoticeIndex
from retrieval.lexicon import asks_for_figure
from retrieval.search import Hit, HybridSearch, Scope, scope_for
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
    cleaned: str = ""
    scope: Scope | None = None
    hits: list[Hit] = field(default_factory=list)
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
                 targets: list[Target] | None = None):
        self.search = search
        self.corpus = search.index.corpus
        self.stats = stats
        self.composer = composer
        self.targets = targets or []
        self.steps = [self.check_question, self.route, self.retrieve, self.compose, self.verify_citations]

    @classmethod
    def for_index(cls, index: NoticeIndex, *, bm25: bool = True, dense: bool = True, rerank: bool = True,
                  composer: Composer | None = None, targets: bool = True) -> Asker:
        """The standard asker; switches turn off halves of retrieval (and the targets table) for baselines."""
        stats = TermStats(index.chunks)
        reranker = evidence_reranker(stats) if rerank else None
        rows = load_targets() if targets else []
        return cls(HybridSearch(index, bm25=bm25, dense=dense, reranker=reranker), stats, composer, rows)

    def ask(self, question: str, city: str | None = None) -> Answer:
        ctx = Context(question=question or "", city=city if city in self.corpus.cities else None)
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
        answer.chunks = [h.chunk for h in ctx.hits]
        answer.cities = ctx.scope.cities if ctx.scope else []
        return answer

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

    def route(self, ctx: Context) -> None:
        if _GREETING.match(ctx.cleaned):
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.GREETING)
        if _THANKS.match(ctx.cleaned):
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.THANKS)
        ctx.scope = scope_for(ctx.cleaned, self.corpus.cities, ctx.city)
        if ctx.scope.other_places and not ctx.scope.cities:
            places = "、".join(ctx.scope.other_places)
            return _stop(ctx, Status.OUT_OF_SCOPE, msg.OTHER_PLACE.format(places=places))

    def retrieve(self, ctx: Context) -> None:
        assert ctx.scope is not None
        ctx.hits = self.search.search(ctx.cleaned, ctx.scope, max(10, 4 * len(ctx.scope.cities)))

    def compose(self, ctx: Context) -> None:
        """Comparisons of figures come from the targets table; everything else quotes sentences.

        A single-city question for a figure falls back to the table when no quoted sentence has a number.
        """
        assert ctx.scope is not None
        wants_figure = asks_for_figure(ctx.cleaned) or asks_to_compare(ctx.cleaned)
        from_table = None
        if self.targets and wants_figure and (ctx.scope.per_city or len(ctx.scope.cities) == 1):
            from_table = compose_from_targets(ctx.cleaned, ctx.scope, self.targets, self.corpus, self.stats)
        if from_table is not None and ctx.scope.per_city:
            ctx.result = from_table
            return
        extractive = compose_extractive(ctx.cleaned, ctx.hits, ctx.scope, self.corpus, self.stats)
        ctx.result = extractive
        numbered = any(_NUMBER.search(c.quote) for c in extractive.citations)
        if from_table is not None and (extractive.status is not Status.ANSWERED or not numbered):
            ctx.result = from_table
            return
        if self.composer and extractive.status is Status.ANSWERED:
            generated = self.composer(ctx)
            if generated.status is Status.ANSWERED and generated.citations:
                ctx.result = generated

    def verify_citations(self, ctx: Context) -> None:
        """Every quote stands in its clause and every number in it stands in the cited text."""
        answer = ctx.result
        if answer is None or answer.status is not Status.ANSWERED:
            return
        for citation in answer.citations:
            clause = find_clause(citation.chunk.notice_id, citation.chunk.clause_path, self.corpus)
            quote = match_key(citation.quote)
            ok = clause is not None and quote in match_key(clause.text) and quote in match_key(citation.chunk.text)
            ok = ok and all(n in match_key(citation.chunk.text) for n in _NUMBER.findall(quote))
            if not ok:
                log.error("citation failed verification: %s", citation.to_dict())
                _stop(ctx, Status.NO_EVIDENCE, msg.NO_EVIDENCE)
                return
        if not answer.citations:
            _stop(ctx, Status.NO_EVIDENCE, msg.NO_EVIDENCE)
