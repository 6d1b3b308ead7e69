"""Comparison questions answered from the targets table, through the real pipeline."""

from __future__ import annotations

from retrieval.answer import Status
from retrieval.answer import messages as msg
from retrieval.answer.from_targets import compose_from_targets
from retrieval.corpus import find_clause
from retrieval.search import Scope
from retrieval.textnorm import match_key


def _verified(answer, corpus) -> bool:
    for c in answer.citations:
        clause = find_clause(c.chunk.notice_id, c.chunk.clause_path, corpus)
        if clause is None or match_key(c.quote) not in match_key(clause.text):
            return False
    return True


def test_which_city_is_highest_gets_a_table_and_a_verdict(asker):
    answer = asker.ask("天津、葫芦岛和运城，谁的秸秆综合利用率目标最高？")
    assert answer.status is Status.ANSWERED and answer.composer == "targets"
    assert [r["city"] for r in answer.table] == ["天津", "葫芦岛", "运城"]
    assert "98%" in answer.text and "90%以上" in answer.text
    assert msg.TARGETS_HIGHEST.format(cities="天津", value="98%") in answer.notes
    assert _verified(answer, asker.corpus)


def test_every_city_is_listed_and_silence_is_not_borrowed(asker):
    answer = asker.ask("五个城市的清洁取暖率目标各是多少？")
    assert answer.composer == "targets"
    by_city = {}
    for row in answer.table:
        by_city.setdefault(row["city"], []).append(row["value"])
    assert set(by_city) == set(asker.corpus.cities)
    assert by_city["定州"] == ["未提及"] and by_city["天津"] == ["未提及"]
    assert sorted(by_city["石嘴山"]) == ["60%以上（2025年）", "80%以上（2025年）"]
    assert msg.TARGETS_SILENT.format(city="定州") in answer.text
    assert not answer.notes  # two rows for one city: no single figure to rank


def test_same_or_different(asker):
    same = asker.ask("葫芦岛和天津单位地区生产总值能耗下降的目标一样吗？")
    assert same.composer == "targets"
    assert msg.TARGETS_SAME.format(cities="葫芦岛、天津", value="14.5%") in same.notes
    different = asker.ask("运城和天津的农村生活污水治理率目标相同吗？")
    assert different.notes and different.notes[0].startswith("按原文数字比较，各城市目标不同")


def test_residents_words_reach_the_table(asker):
    answer = asker.ask("石嘴山、运城、天津的新能源汽车销量占比目标哪个最高？")
    assert answer.composer == "targets"
    assert msg.TARGETS_HIGHEST.format(cities="天津", value="25%") in answer.notes


def test_every_number_shown_is_in_its_citation(asker):
    import re

    answer = asker.ask("各城市的秸秆综合利用率目标是多少？")
    cited = "".join(match_key(c.chunk.text) for c in answer.citations)
    for row in answer.table:
        for number in re.findall(r"\d+(?:\.\d+)?", row["value"]):
            assert number in cited


def test_questions_without_a_figure_still_quote_sentences(asker):
    answer = asker.ask("葫芦岛和天津对节能减排自愿承诺是怎么说的？")
    assert answer.status is Status.ANSWERED and answer.composer == "extractive" and not answer.table


def test_a_city_question_uses_the_table_only_when_it_fits(asker):
    stats, corpus, rows = asker.stats, asker.corpus, asker.targets
    one = compose_from_targets("秸秆综合利用率目标是多少", Scope(cities=["天津"], per_city=False), rows, corpus, stats)
    assert one is not None and [r["value"] for r in one.table] == ["98%（2025年）"]
    none = compose_from_targets("公交车票价是多少", Scope(cities=["天津"], per_city=False), rows, corpus, stats)
    assert none is None
