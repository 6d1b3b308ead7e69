"""Estimates: published factors with sources, rounded ranges, and honest gaps."""

import pytest

from engagement.estimates import (
    Range,
    factors,
    fmt_co2,
    fmt_option,
    fmt_yuan,
    food_estimate,
    grid_factor,
    heating_estimate,
)


def test_every_factor_names_its_source():
    f = factors()
    assert "估算，仅供参考" in f["disclaimer"]
    assert f["grid"]["year"] == 2022 and "生态环境部" in f["grid"]["source"]
    for fuel in f["fuels"].values():
        assert fuel.get("co2_source")
        if "gj_per_unit" in fuel:
            assert fuel.get("gj_source")
    for key in ("efficiency", "prices"):
        assert "假设" in f[key]["source"]  # assumptions are labelled as such
    for key in ("household_source", "co2e_source", "halving_source", "spend_share_source"):
        assert f["food"][key]


@pytest.mark.parametrize(("grid", "value"), [("hebei", 0.7252), ("tianjin", 0.7041), ("shanxi", 0.7096),
                                             ("northeast", 0.5564), ("northwest", 0.5857), (None, 0.5366),
                                             ("nowhere", 0.5366)])
def test_grid_factors(grid, value):
    assert grid_factor(grid)[0] == value


@pytest.mark.parametrize(
    ("kwargs", "co2_tonnes"),
    [
        ({"fuel": "coal", "device": "coal", "amount": 3.0, "cost": None}, (4.2, 6.0)),
        ({"fuel": "gas", "device": "gas_boiler", "amount": 1000.0, "cost": None}, (2.1, 2.2)),
        ({"fuel": "electricity", "device": "ashp", "amount": 5000.0, "cost": None}, (3.52, 3.52)),  # 5000 x 0.7041
        ({"fuel": "heat", "device": "central", "amount": 40.0, "cost": None}, (4.4, 4.4)),
    ],
)
def test_heating_current_emissions(kwargs, co2_tonnes):
    est = heating_estimate(grid_key="tianjin", **kwargs)
    assert est.current.co2_kg.low / 1000 == pytest.approx(co2_tonnes[0], rel=1e-3)
    assert est.current.co2_kg.high / 1000 == pytest.approx(co2_tonnes[1], rel=1e-3)
    assert est.sources and est.disclaimer.startswith("估算，仅供参考")


def test_coal_household_sees_cleaner_alternatives():
    est = heating_estimate(fuel="coal", device="coal", amount=3.0, cost=None, grid_key="northwest")
    labels = [a.label for a in est.alternatives]
    assert labels == ["空气源热泵", "燃气壁挂炉"]
    for alt in est.alternatives:
        assert alt.co2_kg.high < est.current.co2_kg.high


def test_bill_alone_gives_a_range():
    est = heating_estimate(fuel="coal", device="coal", amount=None, cost=3000.0, grid_key="hebei")
    assert est.current.cost_yuan == Range(3000.0, 3000.0)
    assert est.current.co2_kg.low < est.current.co2_kg.high  # price range widens the estimate
    assert any("花费 3000 元" in n for n in est.notes)


def test_the_basis_is_stated():
    est = heating_estimate(fuel="gas", device="gas_boiler", amount=1200.0, cost=None, grid_key="hebei")
    assert "按您填写的一个采暖季用量 1200 立方米（天然气）估算。" in est.notes


@pytest.mark.parametrize(
    ("kwargs", "note"),
    [
        ({"fuel": "coal", "device": "coal", "amount": None, "cost": None}, "无法估算"),
        ({"fuel": "biomass", "device": None, "amount": 2.0, "cost": None}, "生物源"),
        ({"fuel": None, "device": None, "amount": None, "cost": None}, "暂无可靠"),
        ({"fuel": "heat", "device": "central", "amount": None, "cost": 2000.0}, "无法估算"),  # no heat price
    ],
)
def test_no_estimate_without_a_sound_basis(kwargs, note):
    est = heating_estimate(grid_key=None, **kwargs)
    assert est.current is None and any(note in n for n in est.notes)


def test_food_estimate_scales_with_household_and_behaviour():
    good = food_estimate(persons=3, behaviour_score=100, monthly_spend=None)
    poor = food_estimate(persons=3, behaviour_score=0, monthly_spend=None)
    assert poor.current.co2_kg.low == pytest.approx(good.current.co2_kg.low * 3)
    assert good.current.cost_yuan is None
    halved = poor.alternatives[0]
    assert halved.label == "浪费减半后" and halved.co2_kg.high == pytest.approx(poor.current.co2_kg.high / 2)


def test_food_cost_from_spend():
    est = food_estimate(persons=2, behaviour_score=50, monthly_spend=2000.0)
    # 2000 x 12 x 11% x 1.0, plus or minus 20 %
    assert est.current.cost_yuan.low == pytest.approx(2112.0)
    assert est.current.cost_yuan.high == pytest.approx(3168.0)


@pytest.mark.parametrize(
    ("value", "text"),
    [(Range(4216.3, 6022.9), "约 4.2～6 吨 CO₂"), (Range(393.2, 884.7), "约 390～880 千克 CO₂"),
     (Range(3520.5, 3520.5), "约 3.5 吨 CO₂")],
)
def test_rounded_no_invented_precision(value, text):
    assert fmt_co2(value) == text


def test_option_lines_show_cost_only_with_a_basis():
    food = food_estimate(persons=1, behaviour_score=100, monthly_spend=None)
    assert fmt_option(food.current, food.gas) == "您家现在：约 51～120 千克 CO₂当量"
    assert any("未填写每月伙食开支" in n for n in food.notes)
    heat = heating_estimate(fuel="coal", device="coal", amount=3.0, cost=None, grid_key="hebei")
    assert fmt_option(heat.current, heat.gas) == "您家现在（散煤）：约 4.2～6 吨 CO₂，约 2700～4500 元"


def test_money_format():
    assert fmt_yuan(Range(2712.0, 4521.0)) == "约 2700～4500 元"
    assert fmt_yuan(None) == "—"
