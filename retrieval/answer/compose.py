"""The default composer: quotes the notices' own sentences, no model, no network."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.answer import messages as msg
from retrieval.answer.evidence import Candidate, TermStats, candidates, rule_for
from retrieval.answer.types import Answer, Citation, Status
from retrieval.corpus import Chunk, Corpus, tunables
from retrieval.lexicon import asks_who
from retrieval.search import Hit, Scope
from retrieval.textnorm import match_key, to_simplified


@dataclass
class CityEvidence:
    city: str | None
    chosen: list[Candidate]
    best: Candidate | None


def _pick(cands: list[Candidate], cfg: dict) -> list[Candidate]:
    best = cands[0]
    chosen, seen = [best], {match_key(best.sentence)}
    for cand in cands[1:]:
        if len(chosen) >= cfg["max_sentences"]:
            break
        key = match_key(cand.sentence)
        if key in seen or cand.coverage < cfg["min_coverage"] or cand.score < cfg["follow_ratio"] * best.score:
            continue
        chosen.append(cand)
        seen.add(key)
    return chosen


def gather(question: str, hits: list[Hit], scope: Scope, corpus: Corpus, stats: TermStats) -> list[CityEvidence]:
    """Per city (or once for a single scope): the sentences that answer, if any do."""
    cfg = tunables()["answer"]
    rule = rule_for(question)
    groups: list[tuple[str | None, list[Chunk]]]
    if rule and rule.clause:
        cities = scope.cities or corpus.cities
        groups = [(c, [ch for ch in corpus.by_city(c).chunks if ch.clause_path == rule.clause]) for c in cities]
    elif scope.per_city:
        groups = [(c, [h.chunk for h in hits if h.chunk.city == c][: cfg["chunks_considered"]]) for c in scope.cities]
    else:
        groups = [(None, [h.chunk for h in hits][: cfg["chunks_considered"]])]
    out = []
    for city, chunks in groups:
        cands = candidates(question, chunks, stats)
        if rule:
            cands = [c for c in cands if rule.require.search(to_simplified(c.sentence))]
            # A fact of the asked kind in the named clause answers even with few shared words.
            ok = bool(cands) and (rule.clause is not None or cands[0].coverage >= cfg["min_coverage"])
        else:
            ok = bool(cands) and cands[0].coverage >= cfg["min_coverage"]
        best = cands[0] if cands else None
        out.append(CityEvidence(city=city, chosen=_pick(cands, cfg) if ok else [], best=best))
    return out


def compose_extractive(question: str, hits: list[Hit], scope: Scope, corpus: Corpus, stats: TermStats) -> Answer:
    evidence = gather(question, hits, scope, corpus, stats)
    answered = [e for e in evidence if e.chosen]
    if not answered:
        return decline(question, evidence, scope, corpus)
    citations: list[Citation] = []
    lines: list[str] = []
    many = scope.per_city or len({c.chunk.notice_id for e in answered for c in e.chosen}) > 1
    if many:
        lines.append(msg.ANSWER_LEAD_MANY)
    else:
        chunk = answered[0].chosen[0].chunk
        lines.append(msg.ANSWER_LEAD.format(title=chunk.title, city=chunk.city))
    for ev in evidence:
        if not ev.chosen:
            if scope.per_city and ev.city:
                lines.append(msg.CITY_SILENT.format(city=ev.city))
            continue
        for cand in ev.chosen:
            citations.append(Citation(chunk=cand.chunk, quote=cand.sentence))
            prefix = f"{cand.chunk.city}：" if many else ""
            lines.append(f"{prefix}「{cand.sentence}」[{len(citations)}]")
    if asks_who(question):
        lines += _departments(citations, corpus)
    return Answer(status=Status.ANSWERED, text="\n".join(lines), citations=citations)


def _departments(citations: list[Citation], corpus: Corpus) -> list[str]:
    """For "who is in charge?": the departments each cited clause names in its brackets."""
    out, seen = [], set()
    for n, citation in enumerate(citations, start=1):
        chunk = citation.chunk
        if (chunk.notice_id, chunk.clause_path) in seen or not chunk.departments:
            continue
        seen.add((chunk.notice_id, chunk.clause_path))
        out.append(msg.DEPARTMENTS.format(n=n, departments="、".join(chunk.departments)))
    return out


def decline(question: str, evidence: list[CityEvidence], scope: Scope, corpus: Corpus) -> Answer:
    rule = rule_for(question)
    lines = [getattr(msg, rule.message)] if rule else []
    if len(scope.cities) == 1 and not rule:
        notice = corpus.by_city(scope.cities[0])
        lines.append(msg.NO_EVIDENCE_SCOPE.format(title=notice.meta.title) if notice else msg.NO_EVIDENCE)
    elif not rule:
        lines.append(msg.NO_EVIDENCE)
    best = max((e.best for e in evidence if e.best), key=lambda c: c.coverage, default=None)
    if best and best.coverage >= 0.35 and best.chunk.departments:
        lines.append(msg.NO_EVIDENCE_HINT.format(departments="、".join(best.chunk.departments[:6])))
    return Answer(status=Status.NO_EVIDENCE, text="".join(lines))
