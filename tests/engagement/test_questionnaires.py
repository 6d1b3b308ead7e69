"""The questionnaires are data: check their shape so a typo cannot break a page."""

import re

import pytest

from engagement import messages
from engagement.questionnaire import TOPICS, UNKNOWN, load_questionnaire, tunables

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("topic", TOPICS)
def test_express_mode_has_at_most_six_questions(topic):
    q = load_questionnaire(topic)
    assert 0 < len(q.questions_for("express")) <= tunables()["limits"]["max_express_questions"]
    assert len(q.questions_for("full")) > len(q.questions_for("express"))


@pytest.mark.parametrize("topic", TOPICS)
def test_every_choice_has_unknown_and_a_sensible_default(topic):
    for question in load_questionnaire(topic).questions:
        if question.kind != "choice":
            continue
        assert UNKNOWN in question.option_ids, question.id
        assert question.option(UNKNOWN).label == "不清楚"
        assert question.default in question.option_ids and question.default != UNKNOWN, question.id


@pytest.mark.parametrize("topic", TOPICS)
def test_every_question_has_chinese_text_and_help(topic):
    for question in load_questionnaire(topic).questions:
        assert CJK.search(question.text) and CJK.search(question.help), question.id
        for option in question.options:
            assert CJK.search(option.label) or option.label[0].isdigit(), option.id


@pytest.mark.parametrize("topic", TOPICS)
def test_scores_name_real_categories_and_checks_real_answers(topic):
    q = load_questionnaire(topic)
    categories = {c.id for c in q.categories}
    assert abs(sum(c.weight for c in q.categories) - 1.0) < 1e-9
    for question in q.questions:
        for option in question.options:
            assert set(option.score) | set(option.adjust) <= categories
            assert all(0 <= v <= 100 for v in option.score.values())
    for check in q.checks:
        assert CJK.search(check.ask)
        for qid, allowed in check.when.items():
            assert set(allowed) <= set(q.question(qid).option_ids), (qid, allowed)


@pytest.mark.parametrize("topic", TOPICS)
def test_number_questions_have_units_and_limits(topic):
    for question in load_questionnaire(topic).questions:
        if question.kind == "number":
            assert question.units and set(question.units) == set(question.max)


def test_unknown_topic_is_refused():
    with pytest.raises(ValueError):
        load_questionnaire("water")


def test_every_canned_message_is_chinese():
    texts = [v for k, v in vars(messages).items() if k.isupper() and isinstance(v, str)]
    assert texts and all(CJK.search(t) for t in texts)
    assert "估算，仅供参考" in messages.DISCLAIMER
