from pathlib import Path

import pytest

from retrieval.corpus import load_corpus, normalise_path
from retrieval.parse import heading_level, parse_notice, split_departments
from retrieval.textnorm import match_key

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sample_notice.md"


@pytest.fixture(scope="module")
def sample():
    return parse_notice(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("line", "level"),
    [("一、总体要求", 1), ("（三）积极推进", 2), ("(十一)遏制", 2), ("2. 推进", 3), ("1．加强", 3),
     ("（4）建立", 4), ("(5) 加强", 4), ("2025年目标", 0), ("到2025年", 0), ("10.5%的比例", 0)],
)
def test_heading_levels(line, level):
    assert heading_level(line) == level


def test_sample_clause_paths(sample):
    paths = [c.path for c in sample.clauses]
    assert paths == ["通知", "一、", "二、", "二、（一）", "二、（二）", "二、（二）1.", "二、（二）1.（1）"]


def test_lead_paragraph_is_dropped(sample):
    assert "宣传周" in sample.dropped_lead
    assert all("宣传周" not in c.text for c in sample.clauses)


def test_departments_are_metadata_and_stay_in_the_quoted_text(sample):
    """Names are metadata; the bracket stays in the clause (it is quoted for "who is in charge?")
    but is left out of what is indexed (it says who, not what)."""
    first = next(c for c in sample.clauses if c.path == "二、（一）")
    assert first.departments == ["市机关事务局", "市发展改革委"]
    assert "（责任单位：市机关事务局、市发展改革委）" in first.text
    second = next(c for c in sample.clauses if c.path == "二、（二）")
    assert second.departments == ["市住房城乡建设局", "市生态环境局"]
    assert split_departments(second.text)[0] and "按职责分工负责" not in split_departments(second.text)[0]


def test_bare_department_brackets_are_recognised():
    assert split_departments("实施年度成效考核。〔市生态环境局负责〕")[1] == ["市生态环境局"]
    assert split_departments("本领。（牵头部门：市委组织部、市委宣传部）")[1] == ["市委组织部", "市委宣传部"]
    assert split_departments("（党政机关不低于50%；农村居民不低于20%）")[1] == []


def test_broken_line_joined_and_artefacts_cleaned(sample):
    second = next(c for c in sample.clauses if c.path == "二、（二）")
    assert "逐步淘汰散煤取暖炉具。" in second.text
    first = next(c for c in sample.clauses if c.path == "二、（一）")
    assert "**" not in first.text and "一级能效" in first.text
    deepest = sample.clauses[-1]
    assert "外墙保温和节能门窗" in deepest.text


def test_nested_brackets_in_department_list():
    text, names = split_departments("完成任务。〔市发展改革委等按职责分工负责，各县(市)区政府负责落实〕")
    assert text == "完成任务。"
    assert names == ["市发展改革委", "各县(市)区政府"]


def test_bundled_notices_structure():
    corpus = load_corpus()
    assert set(corpus.notices) == {"dingzhou", "huludao", "shizuishan", "yuncheng", "tianjin"}
    dingzhou = corpus.notices["dingzhou"]
    food = dingzhou.clause("三、（七）2.（5）")
    assert food is not None and food.heading == "减少家庭和个人食品浪费"
    assert dingzhou.clause("三、（四）1.") is not None  # "#### (四)" markdown heading
    tianjin = corpus.notices["tianjin"]
    assert tianjin.clause("三、(八)") is tianjin.clause("三、（八）")
    assert "禁燃區" in tianjin.clause("三、（八）").text  # displayed in the original script


@pytest.mark.parametrize(("notice", "lead"), [("huludao", "近日"), ("shizuishan", "炉具网讯"), ("tianjin", "政策原文如下")])
def test_reprint_leads_are_not_indexed(notice, lead):
    n = load_corpus().notices[notice]
    assert lead in n.dropped_lead
    assert all(lead not in c.text for c in n.chunks)


def test_no_sentence_indexed_twice():
    for notice in load_corpus().notices.values():
        keys = [match_key(s) for c in notice.chunks for s in split_departments(c.text)[0].split("。") if len(s) > 20]
        assert len(keys) == len(set(keys)), notice.meta.id


def test_chunk_offsets_point_into_the_raw_file():
    for notice in load_corpus().notices.values():
        for chunk in notice.chunks:
            raw = match_key(notice.raw[chunk.start : chunk.end])
            assert match_key(chunk.text)[:8] in raw, chunk.id


def test_normalise_path():
    assert normalise_path("三、(五)2．") == "三、（五）2."


def test_departments_stand_in_the_raw_clause():
    for notice in load_corpus().notices.values():
        for clause in notice.clauses:
            raw = match_key(notice.raw[clause.start : clause.end + 400])
            for name in clause.departments:
                assert match_key(name) in raw, (notice.meta.id, clause.path, name)


def test_no_chunk_starts_or_ends_inside_a_bracket():
    """A "；" inside brackets (定州's "5432" standard lists four ratios in one) does not cut a
    chunk there: a quote never starts at "农村居民不低于20%）"."""
    for notice in load_corpus().notices.values():
        for chunk in notice.chunks:
            depth = 0
            for ch in chunk.text:
                depth += (ch in "（(") - (ch in "）)")
                assert depth >= 0, (chunk.id, chunk.text[:40])
            assert depth == 0, (chunk.id, chunk.text[-40:])
    dingzhou = load_corpus().notices["dingzhou"]
    five_four_three_two = [c.text for c in dingzhou.chunks if "“5432”标准" in c.text]
    assert five_four_three_two and "农村居民不低于20%）" in five_four_three_two[0]
