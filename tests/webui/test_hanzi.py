"""天津's Traditional notice shown in Simplified: exact, one character for one, the citation check intact."""

from __future__ import annotations

import re

import pytest

from engagement.cities import load_cities
from retrieval.corpus import load_corpus
from retrieval.targets import load_targets
from retrieval.textnorm import to_simplified
from webui import hanzi

NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")


@pytest.fixture(scope="module")
def tianjin():
    return load_corpus().notices["tianjin"]


def _clause_text(clause) -> str:
    return "\n".join(p.text for p in clause.paragraphs)


def round_trip(original_text: str, quote: str) -> None:
    """The display quote stands in the display text where the quote stands in the original, and maps back to it."""
    shown_text, shown_quote = hanzi.simplified(original_text), hanzi.simplified(quote)
    pos = shown_text.find(shown_quote)
    assert pos >= 0, quote
    assert original_text[pos:pos + len(quote)] == quote  # back to the exact published words
    assert NUMBER.findall(shown_quote) == NUMBER.findall(quote)  # every figure as published


def test_the_manifest_names_the_traditional_notice():
    assert hanzi.is_traditional("tianjin")
    assert not any(hanzi.is_traditional(n) for n in ("dingzhou", "huludao", "shizuishan", "yuncheng"))


def test_the_whole_notice_converts_one_character_for_one(tianjin):
    texts = [_clause_text(c) for c in tianjin.clauses] + [c.heading for c in tianjin.clauses]
    assert sum(map(len, texts)) > 8_000
    for text in texts:
        shown = hanzi.simplified(text)
        assert len(shown) == len(text)
        assert to_simplified(shown) == shown  # no Traditional character left
        assert not re.search(r"[\u3400-\u9fff][,;:()?!]|[,;:()?!][\u3400-\u9fff]", shown)  # Chinese punctuation
        for original, converted in zip(text, shown, strict=True):
            if original != converted:
                assert converted == to_simplified(original) or hanzi._PUNCT.get(original) == converted


def test_punctuation_keeps_numbers_and_times():
    assert hanzi.simplified("1,500噸(一)低(無);8:30,好") == "1,500吨（一）低（无）；8:30，好"


def test_every_chunk_sentence_round_trips(tianjin):
    """The answer path quotes whole sentences of chunks: each one shown in Simplified still passes the check."""
    clauses = {c.path: _clause_text(c) for c in tianjin.clauses}
    sentences = 0
    for chunk in tianjin.chunks:
        for sentence in re.findall(r"[^。；;]+[。；;]?", chunk.text):
            if sentence.strip() and chunk.clause_path in clauses and sentence in clauses[chunk.clause_path]:
                round_trip(clauses[chunk.clause_path], sentence)
                sentences += 1
    assert sentences > 100


def test_answers_about_tianjin_show_simplified_quotes_that_round_trip(asker, tianjin):
    for question in ("天津新能源汽车比例有什么要求？", "天津对清洁取暖有什么要求？", "天津的秸秆综合利用率目标是多少？"):
        answer = asker.ask(question, None)
        cited = [c for c in answer.citations if c.chunk.notice_id == "tianjin"]
        assert cited, question
        shown = hanzi.shown_quotes(answer.text, [(c.chunk.notice_id, c.quote) for c in answer.citations])
        assert to_simplified(shown) == shown
        for citation in cited:
            round_trip(_clause_text(tianjin.clause(citation.chunk.clause_path)), citation.quote)
            assert hanzi.simplified(citation.quote) in shown
        assert hanzi.shown_quotes(answer.text, [], original=True) == answer.text  # the original, one tap away


def test_targets_and_self_check_quotes_of_tianjin_round_trip(tianjin):
    quotes = [(r.clause, r.quote) for r in load_targets() if r.notice_id == "tianjin"]
    city = load_cities()["tianjin"]
    quotes += [(c.clause, c.quote) for topic in city.citations.values() for c in topic]
    assert len(quotes) > 20
    for clause, quote in quotes:
        round_trip(_clause_text(tianjin.clause(clause)), quote)
