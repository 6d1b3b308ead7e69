"""What staff taught the Q&A, handed in as data: linked questions and word pairs.

The desk (a separate package with storage) links a resident's question to the sentence
of a clause that answers it, and adds residents'-words → notice-words pairs. The answer
path never reads a database: the app gives the :class:`~retrieval.answer.Asker` a
*provider*, a function returning the current :class:`Teachings` (cheap to call; the desk
caches it and refreshes when another process changes it).

- A question close enough to a linked one (meaning, by the sentence encoder, and words
  in common) is answered from the linked sentence — still an exact quote of its clause,
  still through the citation check (MaxKB's 直接回答, Dify's annotation reply).
- A word pair works like an entry of the residents' words layer: the resident's word,
  found in a question, is covered by the notice words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retrieval.corpus import Chunk, Corpus, tunables
from retrieval.lexicon import query_terms
from retrieval.textnorm import match_key, to_simplified


@dataclass(frozen=True)
class TaughtLink:
    id: str
    question: str  # the resident's question the link was made from (masked as logged)
    notice_id: str
    clause_path: str
    quote: str  # the answering sentence: exact text of the clause


@dataclass(frozen=True)
class WordPair:
    id: str
    everyday: str  # the resident's word
    notice_words: tuple[str, ...]  # words that stand in the notices


@dataclass(frozen=True)
class Teachings:
    version: str = ""  # changes whenever a link or a pair is added or undone
    links: tuple[TaughtLink, ...] = ()
    pairs: tuple[WordPair, ...] = ()

    def expansions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The pairs as (resident's word, notice words), Simplified, for the term weighting."""
        return tuple((to_simplified(p.everyday), tuple(to_simplified(w) for w in p.notice_words)) for p in self.pairs)

    def pairs_in(self, text: str) -> list[WordPair]:
        simplified = to_simplified(text)
        return [p for p in self.pairs if to_simplified(p.everyday) in simplified]


NO_TEACHINGS = Teachings()
TeachingsProvider = Callable[[], Teachings]


@dataclass
class LinkMatch:
    link: TaughtLink
    similarity: float  # meaning: cosine of the two questions' vectors
    overlap: float  # words: share of the linked question's content words in the new one
    chunk: Chunk


@dataclass
class LinkIndex:
    """The linked questions' vectors, computed once per version of the teachings."""

    version: str = ""
    links: tuple[TaughtLink, ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 1), dtype=np.float32))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self, teachings: Teachings, embed: Callable[[str], np.ndarray]) -> None:
        with self._lock:
            if teachings.version == self.version and len(teachings.links) == len(self.links):
                return
            links = teachings.links
            vectors = np.asarray([embed(to_simplified(link.question)) for link in links], dtype=np.float32)
            self.links, self.vectors, self.version = links, vectors.reshape(len(links), -1), teachings.version

    def best(self, question: str, vector: np.ndarray, cities: list[str], corpus: Corpus) -> LinkMatch | None:
        """The linked question closest to ``question`` within its city scope, if close enough."""
        cfg = tunables()["taught"]
        with self._lock:
            links, vectors = self.links, self.vectors
        if not links:
            return None
        sims = vectors @ vector
        words = set(query_terms(question))
        for k in np.argsort(-sims):
            link = links[int(k)]
            notice = corpus.notices.get(link.notice_id)
            if notice is None or (cities and notice.meta.city not in cities):
                continue
            theirs = set(query_terms(link.question))
            overlap = len(words & theirs) / max(len(theirs), 1)
            sim = float(sims[k])
            if sim < cfg["min_similarity"]:
                return None
            if overlap < cfg["min_overlap"] and sim < cfg["similar_enough"]:
                continue
            chunk = chunk_for(link, corpus)
            if chunk is not None:
                return LinkMatch(link=link, similarity=sim, overlap=overlap, chunk=chunk)
        return None


def chunk_for(link: TaughtLink, corpus: Corpus) -> Chunk | None:
    """The chunk of the linked clause that holds the quote (None if the notice changed under it)."""
    notice = corpus.notices.get(link.notice_id)
    key = match_key(link.quote)
    if notice is None or not key:
        return None
    return next((c for c in notice.chunks if c.clause_path == link.clause_path and key in match_key(c.text)), None)
