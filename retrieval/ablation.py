"""Switch one lever of the answer path off, for measuring what it brings (evaluation only).

    python -m retrieval.evaluate ../shared/eval/hard.jsonl --ablate ask,prior,meaning

Each ablation is a context manager that replaces one function or tunable for the
duration of a run and clears the caches that remember it. The app never uses this.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from unittest import mock

from retrieval import lexicon, question
from retrieval.answer import evidence
from retrieval.corpus import tunables


def _clear() -> None:
    for cached in (lexicon.lexicon, lexicon.residents_words, lexicon._phrase_words, lexicon._phrases):
        if hasattr(cached, "cache_clear"):  # a patched stand-in has no cache
            cached.cache_clear()


@contextlib.contextmanager
def _tunable(section: str, key: str, value: float) -> Iterator[None]:
    cfg = tunables()[section]
    old = cfg[key]
    cfg[key] = value
    try:
        yield
    finally:
        cfg[key] = old


def _switch(section: str, key: str, value: float | bool, doc: str) -> Callable[[], contextlib.AbstractContextManager]:
    """An ablation that sets one tunable for the duration of a run."""

    def switch() -> contextlib.AbstractContextManager:
        return _tunable(section, key, value)

    switch.__doc__ = doc
    return switch


@contextlib.contextmanager
def _patched(*patches) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for p in patches:
            stack.enter_context(p)
        _clear()
        try:
            yield
        finally:
            _clear()


def no_ask_split():
    """The whole message counts as the question (no background)."""
    return _patched(mock.patch.object(question, "split_ask", lambda text: (text.strip(), "")))


def no_general_prior():
    """Every word weighs by its rarity in the notices alone; no word is "everyday"."""
    return _patched(mock.patch.object(evidence, "everyday", lambda word: False),
                    mock.patch.object(evidence, "general_scale", lambda word: 1.0))


@contextlib.contextmanager
def no_sentence_meaning() -> Iterator[None]:
    """No sentence-level similarity: neither in ranking nor in relevance."""
    with _tunable("retrieval", "weight_units", 0.0), _tunable("answer", "dense_weight", 0.0):
        yield


def no_residents_words():
    """Without the residents' words layer (the lexicon's hand-written entries stay)."""
    return _patched(mock.patch.object(lexicon, "residents_words", lambda: {}))


def no_kinds():
    """No kinds of question: nothing is "not specified" for lack of an amount, a list, who…"""
    return _patched(mock.patch.object(question, "kind_of", lambda ask: None))


no_unknown_words = _switch("answer", "unknown_term_weight", 2.0, "A rare word the notices never use weighs against an answer again (the earlier rule).")


no_heads = _switch("answer", "head_credit", 0.0, "No credit for the head of a resident's compound (土灶 → 灶).")


no_modified_heads = _switch("answer", "head_of_modified", False, "A compound that shares only its modifier with the notices counts only that (塑料膜 → 塑料).")


no_background_cap = _switch("answer", "background_cap", 0.0, "A long message's background may outweigh its ask (the earlier rule).")


def no_formation():
    """No residents' words made by rule (省油 → 节能)."""
    return _patched(mock.patch.object(lexicon, "_formed", lambda rule: {}))


no_turned_pairs = _switch("answer", "turned_pairs", False, "A residents' word counts only as written (沟臭 is not 臭沟).")


no_coverage_ranking = _switch("retrieval", "weight_coverage", 0.0, "Retrieval without the ranking of chunks by their best sentence's coverage.")


no_background_adds_only = _switch("answer", "background_adds_only", False, "A long message's background dilutes a unit that answers the ask alone (the earlier rule).")


no_adverb_scale = _switch("answer", "adverb_scale", 1.0, "An adverb of the question (单独, 直接) weighs like a content word.")


no_place_contraction = _switch("answer", "contract_places", False, "\"岸上的电\" is not read as 岸电.")


no_modal_unglue = _switch("answer", "unglue_modals", False, "A modal verb jieba glued to a neighbour stays glued (会铺, 水能).")


no_fragment_weight = _switch("answer", "fragment_unknown_weight", False, "In a fragment (天津电动车上牌材料) an unknown word weighs nothing, as elsewhere.")


no_parts_weight = _switch("answer", "parts_weigh_as_parts", False, "A word known only by a part (第三阶段 → 阶段) weighs like the rare word itself.")


_LEXICON = lexicon.lexicon  # the real one, for the stand-in below


def no_monosyllables():
    """A one-character verb or adjective of the ask (改, 老, 换) does not count as the notices' two-character word."""
    return _patched(mock.patch.object(evidence, "lexicon", _without_monosyllables))


def _without_monosyllables() -> lexicon.Lexicon:
    return dataclasses.replace(_LEXICON(), monosyllables={})


ABLATIONS: dict[str, Callable[[], contextlib.AbstractContextManager]] = {
    "ask": no_ask_split,
    "prior": no_general_prior,
    "meaning": no_sentence_meaning,
    "residents": no_residents_words,
    "kinds": no_kinds,
    "unknown": no_unknown_words,
    "heads": no_heads,
    "modified": no_modified_heads,
    "background": no_background_cap,
    "formation": no_formation,
    "turned": no_turned_pairs,
    "coverage": no_coverage_ranking,
    "dilute": no_background_adds_only,
    "adverbs": no_adverb_scale,
    "places": no_place_contraction,
    "modals": no_modal_unglue,
    "monosyllables": no_monosyllables,
    "fragments": no_fragment_weight,
    "parts": no_parts_weight,
}
