"""Bad input from the issue: a clear Chinese message, nothing lost, never a crash."""

import pytest

from engagement.selfcheck import run_check


def test_skipped_questions_use_defaults_and_say_so():
    result = run_check("heating", {"city": "定州"}, "express")
    assert result.answers.skipped == ["area", "housing", "main_heating", "temperature", "insulation"]
    assert any("未回答" in p and "冬季主要取暖方式" in p for p in result.problems)
    assert result.answers.resolved["main_heating"] == "central"
    assert 0 <= result.overall <= 100


def test_not_asked_questions_are_not_reported_as_skipped():
    result = run_check("food", {"city": "定州", "household_size": "p2", "planning": "plan",
                                "leftovers": "rarely", "eat_out_order": "right", "kitchen_sort": "always"}, "express")
    assert result.answers.skipped == [] and not any("未回答" in p for p in result.problems)


def test_unknown_answer_falls_back_to_default_and_says_so():
    result = run_check("food", {"city": "定州", "leftovers": "unknown"})
    assert result.answers.resolved["leftovers"] == "sometimes"
    assert any("不清楚" in p and "家里饭菜吃不完的情况" in p for p in result.problems)


@pytest.mark.parametrize(
    ("topic", "answers", "words"),
    [
        ("heating", {"housing": "building", "main_heating": "coal"}, "较少见"),
        ("heating", {"main_heating": "central", "billing": "self_fuel"}, "请确认"),
        ("heating", {"main_heating": "coal", "backup": "coal"}, "备用"),
        ("food", {"eat_out_order": "rarely_out", "doggy_bag": "always"}, "在外就餐"),
        ("food", {"leftovers": "rarely", "leftover_handling": "throw"}, "很少剩"),
    ],
)
def test_contradictions_ask_to_confirm_and_still_give_a_result(topic, answers, words):
    result = run_check(topic, {"city": "石嘴山", **answers}, "full")
    assert any(words in c for c in result.confirmations)
    assert result.categories and result.actions  # a full result all the same
    for qid, value in answers.items():
        assert result.answers.explicit[qid] == value  # nothing lost


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("yearly_cost", "-5", "不能为负数"),
        ("yearly_cost", "10000000", "超出"),
        ("yearly_cost", "¥10,000,000", "超出"),
        ("yearly_cost", "很多", "请填写数字"),
        ("yearly_cost", "nan", "请填写数字"),
        ("fuel_amount", "500", "超出"),  # 500 tonnes of coal
        ("fuel_amount", "0", "不清楚"),
    ],
)
def test_absurd_numbers_are_refused_with_a_message(field, value, words):
    result = run_check("heating", {"city": "运城", "main_heating": "coal", "fuel_amount": "3", field: value}, "full")
    assert any(words in p for p in result.problems)
    assert field not in result.answers.numbers
    assert result.answers.raw[field] == value  # kept as typed, for the resident to correct
    assert result.estimate is not None  # the rest still works


def test_sensible_numbers_are_accepted():
    result = run_check("heating", {"city": "运城", "main_heating": "coal", "fuel_amount": "3", "yearly_cost": "¥3,000"}, "full")
    assert result.answers.numbers == {"fuel_amount": 3.0, "yearly_cost": 3000.0}
    assert result.estimate.current is not None


def test_food_spend_bounds():
    result = run_check("food", {"city": "定州", "food_spend": "-5"}, "full")
    assert any("不能为负数" in p for p in result.problems) and result.estimate.current.cost_yuan is None


@pytest.mark.parametrize("city", ["北京", "<script>alert(1)</script>", "shizuishan2"])
def test_unknown_city_says_which_are_supported(city):
    result = run_check("heating", {"city": city, "main_heating": "coal"})
    assert result.city_name is None and result.quotes == []
    message = next(p for p in result.problems if "暂不支持" in p)
    assert "定州、葫芦岛、石嘴山、运城、天津" in message
    assert result.actions["bigger"]  # advice still given


def test_no_city_is_explained():
    result = run_check("food", {})
    assert any("未选择城市" in p for p in result.problems)


def test_district_must_belong_to_the_city():
    ok = run_check("heating", {"city": "石嘴山", "district": "平罗县"}, "full")
    assert ok.answers.district == "平罗县"
    bad = run_check("heating", {"city": "石嘴山", "district": "和平区"}, "full")
    assert bad.answers.district is None and any("不在石嘴山" in p for p in bad.problems)


def test_unknown_option_value_is_treated_as_skipped():
    result = run_check("heating", {"city": "天津", "main_heating": "nuclear"}, "express")
    assert "main_heating" in result.answers.skipped
