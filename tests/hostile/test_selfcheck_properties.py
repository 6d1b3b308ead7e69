"""Self-check validators: any answers give a result with Chinese messages, never an exception."""

from __future__ import annotations

import math

from hypothesis import example, given
from hypothesis import strategies as st

from engagement.answers import clean_answers, parse_number
from engagement.questionnaire import MODES, TOPICS, load_questionnaire
from engagement.selfcheck import run_check
from engagement.store import clean_for_storage
from tests.hostile.payloads import has_chinese
from tests.hostile.strategies import FAST, hostile_text


def question_ids(topic: str) -> list[str]:
    return [q.id for q in load_questionnaire(topic).questions]


def raw_answers(topic: str) -> st.SearchStrategy[dict]:
    """Answers as a page or a resume code could hand them over: known option ids, junk, numbers as text."""
    questionnaire = load_questionnaire(topic)
    options = [o.id for q in questionnaire.questions for o in q.options] + ["unknown", "定州", "shizuishan",
                                                                              "石嘴山市", "和平区", "惠农区"]
    value = st.one_of(st.sampled_from(options), hostile_text(20), st.none(),
                      st.floats(allow_nan=True, allow_infinity=True).map(str),
                      st.sampled_from(["1e308", "-0", "1_000", "１５００", "٣٠٠", "0x10", "nan", "∞", "1,500", "¥800"]))
    keys = st.one_of(st.sampled_from(question_ids(topic)), hostile_text(10))
    return st.dictionaries(keys, value, max_size=12)


@FAST
@given(topic=st.sampled_from(TOPICS), mode=st.one_of(st.sampled_from(MODES), hostile_text(8)), data=st.data())
def test_any_answers_give_a_result_with_chinese_messages(topic, mode, data):
    raw = data.draw(raw_answers(topic))
    result = run_check(topic, raw, mode)
    questionnaire = load_questionnaire(topic)
    answers = result.answers
    assert answers.raw == raw  # nothing the resident typed is lost
    for q in questionnaire.questions:
        if q.kind == "choice":
            assert answers.resolved[q.id] in q.option_ids or answers.resolved[q.id] == "unknown"
    for qid, number in answers.numbers.items():
        question = questionnaire.question(qid)
        assert math.isfinite(number) and number > 0
        assert number <= max(question.max.values())
    assert answers.district is None or (answers.city and answers.district in answers.city.districts)
    assert 0 <= result.overall <= 100
    for message in answers.problems + answers.confirmations:
        assert has_chinese(message)
    stored = clean_for_storage(topic, raw)
    assert set(stored) <= set(question_ids(topic)) and all(len(v) <= 40 for v in stored.values())


@FAST
@given(st.one_of(hostile_text(30), st.floats().map(str), st.integers().map(str), st.none(),
                 st.text(alphabet="0123456789.,-+eE_ ¥￥，", max_size=12)))
@example("1" * 5000)
@example("9" * 400)
def test_a_number_is_valid_and_in_range_or_explained(value):
    question = load_questionnaire("heating").question("yearly_cost")
    number, problem = parse_number(question, value, "all")
    if number is None:
        assert problem is None or (has_chinese(problem) and len(problem) < 300)
        return
    assert problem is None and math.isfinite(number) and 0 < number <= question.max["all"]


def test_what_the_resident_typed_is_quoted_short_and_plain():
    result = clean_answers(load_questionnaire("heating"), {"city": "<script>" * 50, "yearly_cost": "<b>" * 100})
    for message in result.problems:
        assert len(message) < 300


@FAST
@given(hostile_text(12))
def test_unknown_topics_are_refused_with_the_documented_error(topic):
    try:
        questionnaire = load_questionnaire(topic)
    except ValueError:
        return
    assert topic in TOPICS and questionnaire.topic == topic
