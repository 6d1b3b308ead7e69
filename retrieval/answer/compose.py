"""The default composer: quotes the notices' own units, no model, no network.

Per city (or once, for a question about one notice or all of them) the best units of
the retrieved chunks are judged:

- none is on the subject → the notices do not cover it (``no_evidence``);
- some are, and the question asks for a kind of fact (an amount, a list, who, when…) that
  none of them gives → the notice touches the subject but does not specify it
  (``not_specified``), with the closest unit quoted as context;
- otherwise the units that answer are quoted, and for "who is in charge?" the bracket of
  departments that follows the quoted sentence in its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.answer import messages as msg
from retrieval.answer.evidence import Candidate, TermStats, candidates, coverage, terms_for
from retrieval.answer.types import Answer, Citation, Status
from retrieval.corpus import Chunk, Corpus, tunables
from retrieval.index import NoticeIndex
from retrieval.lexicon import asks_for_figure
from retrieval.question import AskKind, Question, asks_which_cities, gives, quoted_terms
from retrieval.search import Hit, Query, Scope
from retrieval.textnorm import match_key, to_simplified
from retrieval.units import Unit


@dataclass
class CityEvidence:
    city: str | None
    chosen: list[Candidate]  # units that answer
    context: Candidate | None  # on the subject, but without what was asked
    best: Candidate | None  # the closest unit, whatever its relevance


def _pick(cands: list[Candidate], cfg: dict) -> list[Candidate]:
    best = cands[0]
    chosen, seen = [best], {best.unit.key}
    for cand in cands[1:]:
        if len(chosen) >= cfg["max_sentences"]:
            break
        if cand.unit.key in seen or cand.relevance < cfg["min_relevance"] or cand.score < cfg["follow_ratio"] * best.score:
            continue
        chosen.append(cand)
        seen.add(cand.unit.key)
    return chosen


def _figure_on_subject(cand: Candidate, terms: list, kind: AskKind) -> bool:
    """The number stands with the subject: a comma segment holding a number (not a year), with the
    segment before it ("新增及更新车辆中，新能源汽车比例不低于35%"), covers at least a share of what
    the whole unit covers (a target is stated inside a segment or two, not across the sentence)."""
    share = tunables()["answer"]["figure_segment_share"]
    context = match_key(cand.chunk.breadcrumb)
    segments = re.split(r"[，,；;：:]", cand.sentence)
    for n, segment in enumerate(segments):
        if kind.gives is not None and kind.gives.search(_YEARS.sub("", to_simplified(segment))):
            window = "".join(segments[max(0, n - 1): n + 1])
            if coverage(match_key(window), context, terms) >= share * cand.coverage:
                return True
    return False


_YEARS = re.compile(r"\d{4}\s*年(?:底|前|后)?")


def _clause_text(corpus: Corpus, chunk: Chunk) -> str:
    notice = corpus.notices.get(chunk.notice_id)
    clause = notice.clause(chunk.clause_path) if notice else None
    return clause.text if clause else chunk.text


def _groups(question: Question, hits: list[Hit], scope: Scope, corpus: Corpus,
            index: NoticeIndex) -> list[tuple[str | None, list[tuple[int, Chunk, list[int]]]]]:
    cfg = tunables()["answer"]
    kind = question.kind

    def items(chunks: list[Chunk]) -> list[tuple[int, Chunk, list[int]]]:
        return [(rank, c, index.units_of[index.position[c.id]]) for rank, c in enumerate(chunks, start=1)]

    if kind and kind.clause:
        cities = scope.cities or corpus.cities
        return [(c, items([ch for ch in corpus.by_city(c).chunks if ch.clause_path == kind.clause])) for c in cities]
    if scope.per_city:
        return [(c, items([h.chunk for h in hits if h.chunk.city == c][: cfg["chunks_considered"]]))
                for c in scope.cities]
    return [(None, items([h.chunk for h in hits][: cfg["chunks_considered"]]))]


def gather(question: Question, query: Query, hits: list[Hit], scope: Scope, corpus: Corpus,
           stats: TermStats, index: NoticeIndex) -> list[CityEvidence]:
    """Per city (or once for a single scope): the units that answer, or the context that does not."""
    cfg = tunables()["answer"]
    kind = question.kind
    wants_figure = asks_for_figure(question.ask) and not (kind and kind.name == "who")
    terms = terms_for(question, stats, query.extra)
    # A term the resident put in quotes, that the notices use, must stand in an answering unit.
    quoted = [match_key(t) for t in quoted_terms(question.text) if stats.df(match_key(t))]
    out = []
    # In a comparison, another city's answer shows the subject is one the notices discuss.
    threshold = cfg["min_relevance_compare"] if scope.per_city else cfg["min_relevance"]
    # A comparison whose asking clause names its own cities ("…天津点名要扣除哪些产品？") asks that
    # kind of fact of those cities only.
    kind_cities = [c for c in scope.cities if c in (question.asking or question.ask)] if scope.per_city else []
    which_cities = scope.per_city and asks_which_cities(question.asking or question.ask)
    for city, items in _groups(question, hits, scope, corpus, index):
        kind = question.kind if not kind_cities or city in kind_cities else None
        if which_cities and kind and kind.name in ("list", "which"):
            kind = None  # "哪些城市…": each city either says it or not
        cands = candidates(question, items, index.units, stats, query.unit_similarities,
                           wants_figure=wants_figure, terms=terms)
        best = cands[0] if cands else None
        on_subject = [c for c in cands if c.relevance >= threshold or (kind and kind.clause)]
        if not on_subject:
            out.append(CityEvidence(city, [], None, best))
            continue
        # A plain question's asking clause ("…本科学历能直接落户吗？") must be met, not only the subject
        # around it; a question for a kind of fact (a figure, who…) is met by that fact below. In a
        # comparison a city must meet what is asked of every city ("…政府给不给奖励？"), or be silent.
        meeting = [c for c in on_subject if (c.asks_covered and (c.asks_met or not scope.per_city))
                   or (kind and kind.gives is not None)]
        if not meeting:
            out.append(CityEvidence(city, [], on_subject[0], best))
            continue
        on_subject = meeting
        if quoted:
            naming = [c for c in on_subject if all(t in c.unit.key for t in quoted)]
            if not naming:
                out.append(CityEvidence(city, [], on_subject[0], best))
                continue
            on_subject = naming
        if kind and kind.gives is not None or kind and kind.name in ("which", "list"):
            answering = [c for c in on_subject
                         if gives(kind, c.sentence, _clause_text(corpus, c.chunk), question.ask)
                         and (kind.name != "figure" or _figure_on_subject(c, terms, kind))]
            if not answering:
                out.append(CityEvidence(city, [], on_subject[0], best))
                continue
            on_subject = answering
        out.append(CityEvidence(city, _pick(on_subject, cfg), None, best))
    return out


def compose_extractive(question: Question, query: Query, hits: list[Hit], scope: Scope, corpus: Corpus,
                       stats: TermStats, index: NoticeIndex) -> Answer:
    evidence = gather(question, query, hits, scope, corpus, stats, index)
    answered = [e for e in evidence if e.chosen]
    if not answered:
        return _unanswered(question, evidence, scope, corpus)
    citations: list[Citation] = []
    lines: list[str] = []
    many = scope.per_city or len({c.chunk.notice_id for e in answered for c in e.chosen}) > 1
    if many:
        lines.append(msg.ANSWER_LEAD_MANY)
    else:
        chunk = answered[0].chosen[0].chunk
        lines.append(msg.ANSWER_LEAD.format(title=chunk.title, city=chunk.city))
    silent: list[str] = []
    who = question.kind is not None and question.kind.name == "who"
    for ev in evidence:
        if not ev.chosen:
            if scope.per_city and ev.city:
                silent.append(ev.city)
                what = msg.NOT_SPECIFIED_WHAT.get(question.kind.message if question.kind else "", "")
                lines.append(msg.CITY_NOT_SPECIFIED.format(city=ev.city, what=what) if ev.context and what
                             else msg.CITY_SILENT.format(city=ev.city))
            continue
        for cand in ev.chosen:
            prefix = f"{cand.chunk.city}：" if many else ""
            citations.append(Citation(chunk=cand.chunk, quote=cand.sentence, lead=cand.unit.lead))
            lead = f"「{cand.unit.lead}」……" if cand.unit.lead and cand.unit.lead not in cand.sentence else ""
            lines.append(f"{prefix}{lead}「{cand.sentence}」[{len(citations)}]")
            if who:
                bracket = department_unit(index, cand.unit)
                if bracket is not None:
                    unit, chunk = bracket
                    citations.append(Citation(chunk=chunk, quote=unit.text))
                    lines.append(msg.DEPARTMENTS_QUOTE.format(quote=unit.text, n=len(citations)))
                    break  # the departments of the clause that holds the answer
    answer = Answer(status=Status.ANSWERED, text="\n".join(lines), citations=citations)
    answer.silent_cities = silent
    return answer


def department_unit(index: NoticeIndex, unit: Unit) -> tuple[Unit, Chunk] | None:
    """The bracket of responsible departments that follows a unit in its clause."""
    chunk_index = unit.chunk_index
    chunk = index.chunks[chunk_index]
    after = [k for k in index.units_of[chunk_index] if index.units[k].n > unit.n]
    j = chunk_index + 1
    while j < len(index.chunks) and index.chunks[j].notice_id == chunk.notice_id \
            and index.chunks[j].clause_path == chunk.clause_path:
        after += index.units_of[j]
        j += 1
    for k in after:
        if index.units[k].departments:
            found = index.units[k]
            return found, index.chunks[found.chunk_index]
    return None


def _unanswered(question: Question, evidence: list[CityEvidence], scope: Scope, corpus: Corpus) -> Answer:
    """Not specified (the subject is there, what was asked is not), or no evidence at all."""
    kind: AskKind | None = question.kind
    context = [e for e in evidence if e.context]
    if context:
        first = context[0].context
        what = msg.NOT_SPECIFIED_WHAT.get(kind.message if kind else "", msg.NOT_SPECIFIED_WHAT["NOT_SPECIFIED_DETAIL"])
        if len(scope.cities) == 1 or not scope.per_city and len(context) == 1:
            lead = msg.NOT_SPECIFIED.format(title=first.chunk.title, what=what)
        else:
            lead = msg.NOT_SPECIFIED_MANY.format(what=what)
        lines = [lead]
        citations = []
        for ev in context:
            cand = ev.context
            citations.append(Citation(chunk=cand.chunk, quote=cand.sentence))
            prefix = f"{cand.chunk.city}：" if scope.per_city else ""
            lines.append(f"{prefix}「{cand.sentence}」[{len(citations)}]")
        answer = Answer(status=Status.NOT_SPECIFIED, text="\n".join(lines), citations=citations)
        answer.silent_cities = [e.city for e in evidence if e.city]
        return answer
    if len(scope.cities) == 1:
        notice = corpus.by_city(scope.cities[0])
        text = msg.NO_EVIDENCE_SCOPE.format(title=notice.meta.title) if notice else msg.NO_EVIDENCE
    else:
        text = msg.NO_EVIDENCE
    if kind and kind.message in msg.NEVER_GIVEN:
        text += msg.NEVER_GIVEN[kind.message]
    answer = Answer(status=Status.NO_EVIDENCE, text=text)
    answer.silent_cities = [e.city for e in evidence if e.city]
    return answer
