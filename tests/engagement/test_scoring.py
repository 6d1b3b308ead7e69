"""Scoring rules are pure functions: table-driven checks."""

import pytest

from engagement.questionnaire import load_questionnaire
from engagement.scoring import CategoryScore, category_scores, clamp, grade, overall_score

HEATING = load_questionnaire("heating")
FOOD = load_questionnaire("food")


def _scores(q, answers):
    resolved = {x.id: answers.get(x.id, x.default) for x in q.questions if x.kind == "choice"}
    return {c.id: c.score for c in category_scores(q, resolved)}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"main_heating": "gshp", "temperature": "t18_20", "insulation": "full", "windows": "efficient", "billing": "meter"},
         {"fuel": 95, "temperature": 100, "envelope": 100, "billing": 100}),
        ({"main_heating": "coal", "temperature": "above24", "insulation": "none", "windows": "single", "billing": "area"},
         {"fuel": 0, "temperature": 20, "envelope": 18, "billing": 50}),
        ({"main_heating": "central", "backup": "coal"}, {"fuel": 45}),
        ({"main_heating": "coal", "backup": "coal"}, {"fuel": 0}),  # clamped, never negative
        ({"main_heating": "ashp", "backup": "biomass"}, {"fuel": 75}),
        ({"insulation": "full", "windows": "single_sealed"}, {"envelope": 78}),
    ],
)
def test_heating_category_scores(answers, expected):
    scores = _scores(HEATING, answers)
    for category, value in expected.items():
        assert scores[category] == value


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"planning": "plan", "buying": "as_needed"}, {"planning": 100}),
        ({"planning": "no", "buying": "bulk"}, {"planning": 30}),
        ({"leftovers": "often", "leftover_handling": "throw"}, {"leftovers": 15}),
        ({"eat_out_order": "rarely_out", "doggy_bag": "rarely_out"}, {"eating_out": None}),  # not applicable
        ({"eat_out_order": "right", "doggy_bag": "always"}, {"eating_out": 100}),
        ({"kitchen_sort": "no_facility"}, {"sorting": 50}),
    ],
)
def test_food_category_scores(answers, expected):
    scores = _scores(FOOD, answers)
    for category, value in expected.items():
        assert scores[category] == value


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"fuel": 100, "temperature": 100, "envelope": 100, "billing": 100}, 100),
        ({"fuel": 0, "temperature": 0, "envelope": 0, "billing": 0}, 0),
        ({"fuel": 100, "temperature": 0, "envelope": 0, "billing": 0}, 40),
        ({"fuel": 50, "temperature": None, "envelope": None, "billing": None}, 50),  # only counted categories
    ],
)
def test_overall_is_weighted_mean_of_counted_categories(scores, expected):
    cats = [CategoryScore(id=k, label=k, score=v) for k, v in scores.items()]
    assert overall_score(HEATING, cats) == expected


def test_no_counted_category_scores_zero():
    assert overall_score(FOOD, [CategoryScore(id="planning", label="", score=None)]) == 0


@pytest.mark.parametrize(("score", "band"), [(100, "做得很好"), (85, "做得很好"), (84, "基本不错，还有提升空间"),
                                             (65, "基本不错，还有提升空间"), (40, "有较多可以改进的地方"), (39, "需要重点改进"), (0, "需要重点改进")])
def test_grade_bands(score, band):
    assert grade(score) == band


@pytest.mark.parametrize(("value", "expected"), [(-5, 0), (50, 50), (130, 100)])
def test_clamp(value, expected):
    assert clamp(value) == expected
