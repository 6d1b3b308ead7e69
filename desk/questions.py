"""The question log: what a resident asked and how it was answered, personal data masked.

An :class:`Entry` is made on the answer's path from the :class:`~retrieval.answer.Answer` (cheap:
no masking, no database); :func:`write_entries` masks and stores a batch, off that path
(``desk.logger``), and counts which taught links and word pairs were used.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from desk.masking import mask
from desk.models import Link, LoggedQuestion, WordPair
from desk.teach import parse_key
from desk.tunables import tunables, utcnow
from retrieval.answer import Answer


def new_ref() -> str:
    """A random token naming one answer (the browser that asked votes with it)."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Entry:
    ref: str
    conversation: str
    asked_at: datetime
    question: str  # as typed; masked when written
    city_chosen: str | None
    status: str
    cities: tuple[str, ...] = ()
    rewritten: str | None = None
    kind: str = ""
    cited: tuple[tuple[str, str], ...] = ()
    taught_link: int | None = None
    word_pairs: tuple[int, ...] = field(default_factory=tuple)
    latency_ms: int = 0


def entry_for(answer: Answer, *, question: str, city: str | None, latency_s: float, conversation: str,
              ref: str | None = None, asked_at: datetime | None = None) -> Entry:
    cited = tuple(dict.fromkeys((c.chunk.notice_id, c.chunk.clause_path) for c in answer.citations))
    pairs = tuple(p for p in (parse_key(k, "P") for k in answer.word_pairs) if p is not None)
    return Entry(
        ref=ref or new_ref(), conversation=conversation, asked_at=asked_at or utcnow(), question=question or "",
        city_chosen=city, status=answer.status.value, cities=tuple(answer.cities),
        rewritten=answer.question if answer.rewritten else None, kind=answer.kind or "", cited=cited,
        taught_link=parse_key(answer.taught_link, "L"), word_pairs=pairs, latency_ms=round(latency_s * 1000),
    )


def write_entries(*, session: Session, entries: list[Entry]) -> None:
    """Store a batch of entries, masked; count each link and word pair they used."""
    limit = tunables()["log"]["question_max"]
    for e in entries:
        session.add(LoggedQuestion(
            ref=e.ref[:32], conversation=e.conversation[:32], asked_at=e.asked_at, city_chosen=e.city_chosen,
            cities="、".join(e.cities)[:120], question=mask(e.question[: limit * 2])[:limit],
            rewritten=mask(e.rewritten[: limit * 2])[:limit] if e.rewritten else None, status=e.status[:20],
            kind=e.kind[:20], cited=json.dumps([list(c) for c in e.cited], ensure_ascii=False),
            taught_link=e.taught_link, word_pairs=",".join(map(str, e.word_pairs))[:200],
            latency_ms=max(0, min(e.latency_ms, 2**31 - 1)), reasons="", comment="",
        ))
        if e.taught_link is not None:
            session.execute(update(Link).where(Link.id == e.taught_link)
                            .values(uses=Link.uses + 1, last_used_at=e.asked_at))
        if e.word_pairs:
            session.execute(update(WordPair).where(WordPair.id.in_(e.word_pairs))
                            .values(uses=WordPair.uses + 1, last_used_at=e.asked_at))
    session.flush()
