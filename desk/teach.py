"""What staff teach the answer path: links (question → sentence of a clause) and word pairs.

Every change records who and when, bumps ``desk_version`` in the same transaction (so every app
process notices it), and can be undone (the row stays, marked undone, so the history is kept).
:func:`current_teachings` hands the active ones to the answer path as plain data.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desk.masking import mask
from desk.messages import DeskError
from desk.models import Link, Version, WordPair
from desk.text import staff_text
from desk.tunables import tunables, utcnow
from retrieval.answer.taught import TaughtLink, Teachings
from retrieval.answer.taught import WordPair as TaughtPair
from retrieval.corpus import Corpus
from retrieval.textnorm import match_key, to_simplified
from retrieval.units import chunk_units

T = TypeVar("T", Link, WordPair)

_SPLIT = re.compile(r"[、，,；;／/\s]+")


def link_key(link_id: int) -> str:
    return f"L{link_id}"


def pair_key(pair_id: int) -> str:
    return f"P{pair_id}"


def parse_key(key: str | None, prefix: str) -> int | None:
    """The row id in a key such as ``L12`` (None for anything else, e.g. a draft)."""
    if key and key.startswith(prefix) and key[1:].isdigit():
        return int(key[1:])
    return None


# -- the version every process watches ---------------------------------------

def read_version(session: Session) -> int:
    return int(session.scalar(select(Version.version).where(Version.id == 1)) or 0)


def bump_version(session: Session) -> None:
    updated = session.execute(update(Version).where(Version.id == 1).values(version=Version.version + 1))
    if not updated.rowcount:
        session.add(Version(id=1, version=1))
    session.flush()


# -- links ------------------------------------------------------------------

def answering_units(notice_id: str, clause_path: str, corpus: Corpus) -> list[str]:
    """The sentences and list items of a clause a link can answer with (not its department brackets)."""
    notice = corpus.notices.get(notice_id)
    if notice is None:
        return []
    texts: list[str] = []
    for n, chunk in enumerate(notice.chunks):
        if chunk.clause_path == clause_path:
            texts.extend(u.text for u in chunk_units(chunk, n) if not u.departments and u.text not in texts)
    return texts


def check_link(*, question: str, notice_id: str, clause_path: str, quote: str, corpus: Corpus) -> TaughtLink:
    """The link as the answer path would use it; DeskError if the question or the sentence is not usable."""
    question = staff_text(mask(question), what="问题", limit=tunables()["teach"]["question_max"])
    if notice_id not in corpus.notices:
        raise DeskError("notice_unknown")
    if quote not in answering_units(notice_id, clause_path, corpus):
        raise DeskError("quote_not_in_clause")
    return TaughtLink(id="", question=question, notice_id=notice_id, clause_path=clause_path, quote=quote)


def add_link(*, session: Session, question: str, notice_id: str, clause_path: str, quote: str,
             created_by: str, corpus: Corpus) -> Link:
    taught = check_link(question=question, notice_id=notice_id, clause_path=clause_path, quote=quote, corpus=corpus)
    same = session.scalar(select(Link.id).where(
        Link.undone_at.is_(None), Link.question == taught.question, Link.notice_id == notice_id,
        Link.clause_path == clause_path, Link.quote == quote,
    ))
    if same is not None:
        raise DeskError("link_exists")
    link = Link(question=taught.question, city=corpus.notices[notice_id].meta.city, notice_id=notice_id,
                clause_path=clause_path, quote=quote, created_by=created_by[:40], created_at=utcnow(), uses=0)
    session.add(link)
    bump_version(session)
    return link


def undo_link(*, session: Session, link_id: int, undone_by: str) -> Link:
    return _undo(session, Link, link_id, undone_by)


def _undo(session: Session, model: type[T], row_id: int, undone_by: str) -> T:
    """Mark a link or word pair undone (kept, with who and when) and tell every process."""
    row = session.get(model, row_id)
    if row is None:
        raise DeskError("not_found")
    if row.undone_at is not None:
        raise DeskError("already_undone")
    row.undone_at, row.undone_by = utcnow(), undone_by[:40]
    bump_version(session)
    return row


# -- word pairs -------------------------------------------------------------

_KEYS: dict[str, tuple[str, ...]] = {}


def _notice_keys(corpus: Corpus) -> tuple[str, ...]:
    """Each notice's text as a match key (cached per version of the corpus)."""
    fingerprint = corpus.fingerprint()
    if fingerprint not in _KEYS:
        _KEYS.clear()
        _KEYS[fingerprint] = tuple(match_key("".join(c.text for c in n.chunks)) for n in corpus.notices.values())
    return _KEYS[fingerprint]


def check_pair(*, everyday: str, notice_words: str | list[str], corpus: Corpus) -> TaughtPair:
    """The pair as the answer path would use it; DeskError for anything unusable or unsafe."""
    cfg = tunables()["teach"]
    word = staff_text(everyday, what="居民说法", limit=cfg["everyday_max"])
    if len(word) < cfg["everyday_min"]:
        raise DeskError("everyday_length", min=cfg["everyday_min"], max=cfg["everyday_max"])
    raw = notice_words if isinstance(notice_words, list) else _SPLIT.split(notice_words or "")
    if sum(len(w) for w in raw) > cfg["notice_word_max"] * cfg["notice_words_max"] * 4:
        raise DeskError("notice_words_too_many", max=cfg["notice_words_max"])
    words = list(dict.fromkeys(
        staff_text(w, what="通知用词", limit=cfg["notice_word_max"], chinese=False) for w in raw if w and w.strip()
    ))
    if not words:
        raise DeskError("notice_words_empty")
    if len(words) > cfg["notice_words_max"]:
        raise DeskError("notice_words_too_many", max=cfg["notice_words_max"])
    keys = _notice_keys(corpus)
    for w in words:
        if not any(match_key(w) in k for k in keys):
            raise DeskError("notice_word_missing", word=w)
    if [to_simplified(word)] == [to_simplified(w) for w in words]:
        raise DeskError("pair_same")
    return TaughtPair(id="", everyday=word, notice_words=tuple(words))


def add_pair(*, session: Session, everyday: str, notice_words: str | list[str], created_by: str,
             corpus: Corpus) -> WordPair:
    taught = check_pair(everyday=everyday, notice_words=notice_words, corpus=corpus)
    if session.scalar(select(WordPair.id).where(WordPair.undone_at.is_(None), WordPair.everyday == taught.everyday)):
        raise DeskError("pair_exists", word=taught.everyday)
    pair = WordPair(everyday=taught.everyday, notice_words="、".join(taught.notice_words), created_by=created_by[:40],
                    created_at=utcnow(), uses=0)
    session.add(pair)
    bump_version(session)
    return pair


def undo_pair(*, session: Session, pair_id: int, undone_by: str) -> WordPair:
    return _undo(session, WordPair, pair_id, undone_by)


# -- listing and handing over ------------------------------------------------

def list_links(*, session: Session, include_undone: bool = True) -> list[Link]:
    query = select(Link).order_by(Link.undone_at.is_not(None), Link.created_at.desc(), Link.id.desc())
    if not include_undone:
        query = query.where(Link.undone_at.is_(None))
    return list(session.scalars(query))


def list_pairs(*, session: Session, include_undone: bool = True) -> list[WordPair]:
    query = select(WordPair).order_by(WordPair.undone_at.is_not(None), WordPair.created_at.desc(), WordPair.id.desc())
    if not include_undone:
        query = query.where(WordPair.undone_at.is_(None))
    return list(session.scalars(query))


def current_teachings(*, session: Session) -> Teachings:
    """The active links and word pairs, as the answer path takes them."""
    version = read_version(session)
    links = tuple(
        TaughtLink(id=link_key(r.id), question=r.question, notice_id=r.notice_id, clause_path=r.clause_path,
                   quote=r.quote)
        for r in list_links(session=session, include_undone=False)
    )
    pairs = tuple(
        TaughtPair(id=pair_key(r.id), everyday=r.everyday, notice_words=tuple(r.notice_words.split("、")))
        for r in list_pairs(session=session, include_undone=False)
    )
    return Teachings(version=str(version), links=links, pairs=pairs)


DRAFT_LINK = "L-draft"
DRAFT_PAIR = "P-draft"


def with_draft(base: Teachings, *, link: TaughtLink | None = None, pair: TaughtPair | None = None) -> Teachings:
    """``base`` plus a link or pair not saved yet: what the answer would be after saving (test before saving)."""
    links, pairs, tag = base.links, base.pairs, []
    if link is not None:
        links = (*links, replace(link, id=DRAFT_LINK))
        tag.append(f"{link.question}|{link.notice_id}|{link.clause_path}|{link.quote}")
    if pair is not None:
        pairs = (*(p for p in pairs if p.everyday != pair.everyday), replace(pair, id=DRAFT_PAIR))
        tag.append(f"{pair.everyday}|{'、'.join(pair.notice_words)}")
    return Teachings(version=f"{base.version}+draft:{hash(tuple(tag)) & 0xFFFFFFFF:x}", links=links, pairs=pairs)
