"""What staff taught reaches the answer path as data: linked questions and word pairs."""

from retrieval.answer import Status
from retrieval.answer.taught import TaughtLink, Teachings, WordPair

LINKED = "定州管饭店浪费粮食这摊事的，是哪几个部门？"
LINK = TaughtLink(id="L1", question=LINKED, notice_id="dingzhou", clause_path="三、（七）2.（1）",
                  quote="对餐饮服务经营者食品浪费违法行为，依法严肃查处。")


def test_a_close_question_is_answered_from_the_linked_sentence(asker):
    taught = Teachings(version="1", links=(LINK,))
    answer = asker.ask("定州饭店浪费粮食归哪些部门管？", "定州", teachings=taught)
    assert answer.status is Status.ANSWERED and answer.composer == "taught" and answer.taught_link == "L1"
    assert answer.citations[0].quote == LINK.quote
    assert "市商务局" in answer.text  # a "who" question still gets the clause's departments
    assert answer.steps[-1] == "verify_citations"


def test_an_unrelated_question_ignores_the_link(asker):
    taught = Teachings(version="1", links=(LINK,))
    answer = asker.ask("定州秸秆能在地里烧吗？", "定州", teachings=taught)
    assert answer.composer != "taught" and answer.taught_link is None


def test_a_link_applies_only_to_its_city(asker):
    taught = Teachings(version="1", links=(LINK,))
    answer = asker.ask("天津管饭店浪费粮食的是哪几个部门？", "天津", teachings=taught)
    assert answer.taught_link is None


def test_a_link_whose_sentence_is_gone_is_skipped(asker):
    stale = TaughtLink(id="L2", question=LINKED, notice_id="dingzhou", clause_path="三、（七）2.（1）",
                       quote="这句话不在通知里。")
    answer = asker.ask(LINKED, "定州", teachings=Teachings(version="2", links=(stale,)))
    assert answer.taught_link is None and answer.status is Status.ANSWERED


def test_a_word_pair_reaches_the_notice_words(asker):
    question = "定州加工粮食剩下的米糠麸皮能拿来干啥"
    pair = WordPair(id="P1", everyday="米糠麸皮", notice_words=("粮食加工副产物",))
    answer = asker.ask(question, "定州", teachings=Teachings(version="3", pairs=(pair,)))
    assert answer.word_pairs == ["P1"] and "粮食加工副产物" in answer.text


def test_a_failing_provider_does_not_stop_the_answer(asker):
    def broken():
        raise RuntimeError("database down")

    asker.teachings = broken
    try:
        answer = asker.ask("石嘴山城市生活污水集中处理率目标是多少？")
    finally:
        asker.teachings = None
    assert answer.status is Status.ANSWERED and "98%" in answer.text


def test_inspect_shows_each_score(asker):
    rows = asker.inspect("定州饭店浪费粮食归哪些部门管？", "定州", k=3)
    assert len(rows) == 3 and rows[0]["city"] == "定州"
    assert {"keyword_rank", "dense_rank", "sentence_rank", "coverage_rank", "fused", "best_sentence", "relevance"} <= set(rows[0])
