"""Actions: tiered, skip what the household already does, link to real pledge items."""

from urllib.parse import parse_qs, urlparse

import pytest

from engagement.actions import TIERS, _data, as_url, ask_query, pick_actions, pledge_items, pledge_query
from engagement.selfcheck import run_check

PLEDGE_IDS = {
    "save-standby", "ac-26", "efficient-appliances", "save-water", "green-commute", "ev-choice", "clean-plate",
    "small-portions", "meal-plan", "sort-kitchen-waste", "sort-waste", "clean-heating", "heating-temp",
    "home-insulation", "green-shopping",
}


@pytest.mark.parametrize("topic", ["heating", "food"])
def test_actions_are_well_formed(topic):
    for raw in _data()[topic]:
        assert raw["tier"] in TIERS
        assert raw.get("pledge") is None or raw["pledge"] in PLEDGE_IDS
        assert "{city}" in raw["ask"]


def _ids(actions):
    return {a.id for tier in TIERS for a in actions[tier]}


@pytest.mark.parametrize(
    ("topic", "explicit", "present", "absent"),
    [
        ("heating", {"temperature": "t23_24"}, {"lower-temp"}, set()),
        ("heating", {"temperature": "t18_20"}, set(), {"lower-temp"}),
        ("heating", {"insulation": "full", "windows": "efficient"}, set(), {"insulate", "seal-windows"}),
        ("heating", {"main_heating": "coal"}, {"briquette", "switch-clean", "co-safety"}, set()),
        ("heating", {"main_heating": "gshp"}, set(), {"briquette", "switch-clean", "co-safety"}),
        ("heating", {"main_heating": "central", "billing": "area"}, {"metering"}, set()),
        ("heating", {"main_heating": "central", "billing": "meter"}, set(), {"metering"}),
        ("food", {"leftovers": "rarely"}, set(), {"clean-plate", "family-campaign"}),
        ("food", {"eat_out_order": "rarely_out"}, set(), {"order-right", "doggy-bag"}),
        ("food", {"kitchen_sort": "no_facility"}, {"ask-facility"}, {"sort-kitchen"}),
        ("food", {"planning": "plan"}, set(), {"meal-plan"}),
    ],
)
def test_actions_skip_what_is_already_done(topic, explicit, present, absent):
    result = run_check(topic, {"city": "定州", **explicit}, "full")
    ids = _ids(result.actions)
    assert present <= ids and not (absent & ids)


def test_unanswered_questions_never_hide_advice():
    actions = pick_actions("food", resolved={"leftovers": "rarely"}, explicit={}, city_name=None)
    assert "clean-plate" in _ids(actions)


def test_questions_name_the_city_and_links_carry_parameters():
    result = run_check("heating", {"city": "石嘴山", "main_heating": "coal"})
    questions = [a.ask for tier in TIERS for a in result.actions[tier]]
    assert questions and all(q.startswith("石嘴山") for q in questions)
    items = pledge_items(result.actions)
    assert "clean-heating" in items and len(items) == len(set(items))
    url = as_url("/pledge", pledge_query(items, "石嘴山"))
    params = parse_qs(urlparse(url).query)
    assert params["city"] == ["石嘴山"] and params["items"][0].split(",") == items
    ask = parse_qs(urlparse(as_url("/ask", ask_query(questions[0], "石嘴山"))).query)
    assert ask == {"q": [questions[0]], "city": ["石嘴山"]}


def test_without_city_questions_say_this_city():
    result = run_check("food", {})
    assert all("本市" in a.ask for tier in TIERS for a in result.actions[tier])
    assert "city" not in pledge_query(["clean-plate"], None)
