"""City tailoring: every reference resolves, silence is explicit, and each city gets its own result."""

import pytest

from engagement.cities import cited_quotes, find_city, load_cities, subjects
from engagement.selfcheck import run_check
from retrieval.corpus import find_clause, load_corpus, quote_in_clause

CITIES = ["dingzhou", "huludao", "shizuishan", "yuncheng", "tianjin"]
TOPICS = ["heating", "food"]


def test_the_five_notices_are_covered():
    assert sorted(load_cities()) == sorted(CITIES)
    assert sorted(load_corpus().notices) == sorted(CITIES)


@pytest.mark.parametrize("city_id", CITIES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_citation_resolves_in_its_clause(city_id, topic):
    city = load_cities()[city_id]
    assert city.citations[topic], "each city cites its notice on each topic"
    for c in city.citations[topic]:
        assert find_clause(city_id, c.clause) is not None, c.clause
        assert quote_in_clause(city_id, c.clause, c.quote), (c.clause, c.quote)


@pytest.mark.parametrize("city_id", CITIES)
@pytest.mark.parametrize("topic", TOPICS)
def test_every_subject_is_cited_or_declared_silent(city_id, topic):
    city = load_cities()[city_id]
    cited = {c.subject for c in city.citations[topic]}
    silent = set(city.silent[topic])
    assert not cited & silent
    assert cited | silent == set(subjects(topic))


def test_silence_is_real_where_declared():
    """Spot-check the words a silent notice would need: none of them appear in it."""
    corpus = load_corpus()
    for city_id, words in {
        "tianjin": ["光盤", "小份", "廚餘", "餐飲", "膳食", "散煤", "清潔取暖率", "农村清洁取暖", "農村清潔取暖"],
        "huludao": ["光盘", "小份", "厨余", "餐厨", "餐饮", "膳食", "禁燃"],
        "yuncheng": ["光盘", "小份", "厨余", "餐厨", "餐饮", "膳食", "禁燃"],
        "shizuishan": ["光盘", "小份", "餐饮", "膳食", "禁燃", "禁煤"],
        "dingzhou": ["散煤", "禁燃", "禁煤", "清洁取暖率"],
    }.items():
        raw = corpus.notices[city_id].raw
        assert not [w for w in words if w in raw], city_id


def test_tianjin_quotes_stay_traditional():
    quotes = cited_quotes(load_cities()["tianjin"], "heating")
    assert any("禁燃區" in q.quote for q in quotes)
    assert all(q.resolved for q in quotes)


@pytest.mark.parametrize("value", ["石嘴山", "石嘴山市", "shizuishan"])
def test_city_names_and_ids_resolve(value):
    assert find_city(value).id == "shizuishan"


def test_unknown_city_does_not_resolve():
    assert find_city("北京") is None and find_city("") is None


@pytest.mark.parametrize("topic", TOPICS)
def test_each_city_gets_a_different_correctly_cited_result(topic):
    answers = {"area": "rural", "housing": "bungalow", "main_heating": "coal", "planning": "no", "leftovers": "often"}
    seen = {}
    for city_id in CITIES:
        result = run_check(topic, {**answers, "city": city_id})
        notice = load_corpus().notices[city_id]
        assert result.city_name == notice.meta.city
        assert result.notice_title == notice.meta.title
        assert result.quotes and all(q.resolved and q.notice_title == notice.meta.title for q in result.quotes)
        seen[city_id] = (tuple(q.quote for q in result.quotes), result.silent_message, result.target)
    assert len(set(seen.values())) == len(CITIES)


def test_shizuishan_rural_target_is_sixty_percent():
    result = run_check("heating", {"city": "石嘴山", "area": "rural", "main_heating": "coal"})
    assert result.target.city_value == 60 and result.target.clause == "三、（三）"
    urban = run_check("heating", {"city": "石嘴山", "area": "urban", "main_heating": "coal"})
    assert urban.target.city_value == 100


def test_huludao_has_no_rural_number_and_says_so():
    result = run_check("heating", {"city": "葫芦岛", "area": "rural"})
    assert result.target is None and "没有给出" in result.target_note
    assert run_check("heating", {"city": "葫芦岛", "area": "urban"}).target.city_value == 80


def test_food_silence_is_stated_not_borrowed():
    result = run_check("food", {"city": "天津"})
    assert "光盘行动" in result.silent_message and "不借用" in result.silent_message
    assert not any("光盘" in q.quote or "光盤" in q.quote for q in result.quotes)
    dingzhou = run_check("food", {"city": "定州"})
    assert dingzhou.silent_message is None
    assert any("光盘行动" in q.quote for q in dingzhou.quotes)
    assert any("小份菜" in q.quote for q in dingzhou.quotes)


def test_subjects_touching_the_household_come_first_and_are_marked():
    result = run_check("heating", {"city": "天津", "main_heating": "coal"})
    assert result.quotes[0].relevant
    relevant = [q.subject for q in result.quotes if q.relevant]
    assert set(relevant) == {"approach", "ban_zone"}
    assert [q.relevant for q in result.quotes] == sorted((q.relevant for q in result.quotes), reverse=True)
    central = run_check("heating", {"city": "天津", "main_heating": "central", "billing": "area"})
    assert [q.subject for q in central.quotes if q.relevant] == ["metering"]
    rural = run_check("heating", {"city": "石嘴山", "area": "rural"})
    assert [q.subject for q in rural.quotes if q.relevant] == ["target", "rural"]


def test_nothing_is_marked_without_answers():
    result = run_check("food", {"city": "定州"})
    assert not any(q.relevant for q in result.quotes)


@pytest.mark.parametrize(
    ("city", "area", "words"),
    [
        ("石嘴山", "rural", "石嘴山通知的目标：清洁取暖率（2025年）达到 60%（三、（三））"),
        ("葫芦岛", "county", "葫芦岛通知的目标：城镇清洁取暖率（2025年）达到 80%（三、（三））"),
        ("天津", "rural", "天津通知没有给出"),
        ("运城", "urban", "运城通知没有给出"),
        ("定州", "rural", "定州通知没有给出"),
    ],
)
def test_coal_headline_answers_the_residents_question_per_city(city, area, words):
    result = run_check("heating", {"city": city, "area": area, "main_heating": "coal"})
    assert result.headline.startswith("您家以散煤为主要取暖方式") and words in result.headline


def test_no_headline_for_other_heating():
    assert run_check("heating", {"city": "天津", "main_heating": "ashp"}).headline is None
    assert run_check("food", {"city": "天津"}).headline is None
