"""Near-identical questions as one line: the twenty ways of asking about 烧煤 show once, with a count.

A question's *signature* is its content words plus the notices' words the residents'-words
layer adds for them (烧煤 → 散煤、燃煤、清洁取暖), without place names — so "村里还能烧煤吗" and
"天津烧煤取暖有啥规定" share 散煤/燃煤/清洁取暖. Questions are taken newest first; each joins the
group whose *core* (the words at least half its members have) it overlaps most, if the overlap
coefficient reaches ``[review] group_overlap``, else starts a group. The same text (ignoring
punctuation, spaces and script) always lands in the same group. Measured on sentence vectors
instead, unrelated questions about heating and about coal scored as close as two ways of asking
about coal, so words decide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

from desk.tunables import tunables
from retrieval.lexicon import expand, query_terms
from retrieval.places import city_names, places
from retrieval.textnorm import match_key, to_simplified

T = TypeVar("T")
_GENERIC = {"政策", "规定", "要求", "什么", "怎么", "怎么办", "可以", "能不能", "是不是", "有没有", "现在", "我们",
            "我家", "咱们", "俺家", "请问", "一下", "问问", "知道", "这个", "那个", "有啥", "啥"}


@lru_cache(maxsize=1)
def _place_words() -> tuple[str, ...]:
    names = {n for city in places()["cities"] for n in city_names(city)}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=20_000)
def signature(question: str) -> frozenset[str]:
    text = to_simplified(question or "")
    for name in _place_words():
        text = text.replace(name, " ")
    terms = expand(query_terms(text), text)
    return frozenset(t for t in terms if len(t) > 1 and t not in _GENERIC)


def same_text_key(question: str) -> str:
    return match_key(question or "")


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass
class _Group(Generic[T]):
    members: list[T] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    core: frozenset[str] = frozenset()

    def add(self, item: T, sig: frozenset[str]) -> None:
        self.members.append(item)
        self.counts.update(sig)
        half = len(self.members) / 2
        self.core = frozenset(t for t, n in self.counts.items() if n >= half)


def group(items: Iterable[T], text: Callable[[T], str], threshold: float | None = None) -> list[list[T]]:
    """``items`` in groups of near-identical questions, in order of each group's first item."""
    threshold = tunables()["review"]["group_overlap"] if threshold is None else threshold
    groups: list[_Group[T]] = []
    by_text: dict[str, _Group[T]] = {}
    for item in items:
        question = text(item)
        key = same_text_key(question)
        sig = signature(question)
        target = by_text.get(key)
        if target is None and sig:
            scored = [(overlap(sig, g.core), -n) for n, g in enumerate(groups)]
            if scored:
                best, neg = max(scored)
                if best >= threshold:
                    target = groups[-neg]
        if target is None:
            target = _Group()
            groups.append(target)
        target.add(item, sig)
        by_text.setdefault(key, target)
    return [g.members for g in groups]
