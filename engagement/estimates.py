"""Yearly CO2 and cost estimates, as rounded ranges, from the factors data file.

Pure functions. Heating: the household's fuel amount (or its bill, converted with a
price range) gives the heat delivered to the home; the same heat is then priced and
costed for cleaner alternatives. Food: the UNEP per-person household food-waste
figure, scaled by the household's answers. Every factor carries its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from math import floor, log10

from engagement import messages
from engagement.questionnaire import read_toml


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def scale(self, low: float, high: float | None = None) -> Range:
        return Range(self.low * low, self.high * (low if high is None else high))


@dataclass(frozen=True)
class Option:
    label: str
    co2_kg: Range
    cost_yuan: Range | None


@dataclass
class Estimate:
    current: Option | None = None
    alternatives: list[Option] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    disclaimer: str = messages.DISCLAIMER
    gas: str = "CO₂"  # "CO₂当量" where the factor covers all greenhouse gases (food)


@lru_cache(maxsize=1)
def factors() -> dict:
    return read_toml("factors.toml")


def grid_factor(grid_key: str | None) -> tuple[float, str]:
    table = factors()["grid"]["factors"]
    entry = table.get(grid_key or "national", table["national"])
    return entry["value"], entry["label"]


ALTERNATIVES = {"ashp": ("空气源热泵", "electricity"), "gas_boiler": ("燃气壁挂炉", "gas")}


def heating_estimate(
    *, fuel: str | None, device: str | None, amount: float | None, cost: float | None, grid_key: str | None
) -> Estimate:
    f = factors()
    est = Estimate()
    if fuel == "biomass":
        est.notes.append(messages.BIOMASS_NOTE)
        return est
    if fuel is None or device is None:
        est.notes.append(messages.NO_ESTIMATE_FUEL.format(fuel="太阳能或未知方式"))
        return est
    prices = f["prices"]
    price = prices.get(fuel)
    fuel_info = f["fuels"][fuel]
    if amount is not None:
        used = Range(amount, amount)
        est.notes.append(messages.BASIS_AMOUNT.format(amount=f"{amount:g}", unit=fuel_info["unit"], fuel=fuel_info["label"]))
    elif cost is not None and price:
        used = Range(cost / price[1], cost / price[0])
        est.notes.append(messages.BASIS_COST.format(cost=f"{cost:g}"))
    else:
        est.notes.append(messages.NO_ESTIMATE_AMOUNT)
        return est
    grid, grid_label = grid_factor(grid_key)
    co2 = _co2_per_unit(fuel, grid)
    eff = f["efficiency"][device]
    heat_gj = Range(used.low * f["fuels"][fuel]["gj_per_unit"] * eff[0], used.high * f["fuels"][fuel]["gj_per_unit"] * eff[1])
    current_cost = Range(cost, cost) if cost is not None else (used.scale(*price) if price else None)
    est.current = Option(label=f"您家现在（{f['fuels'][fuel]['label']}）", co2_kg=used.scale(*co2), cost_yuan=current_cost)
    for alt_device, (label, alt_fuel) in ALTERNATIVES.items():
        if alt_device == device:
            continue
        alt_eff = f["efficiency"][alt_device]
        per_unit_gj = f["fuels"][alt_fuel]["gj_per_unit"]
        energy = Range(heat_gj.low / alt_eff[1] / per_unit_gj, heat_gj.high / alt_eff[0] / per_unit_gj)
        alt_co2 = _co2_per_unit(alt_fuel, grid)
        alt_price = prices.get(alt_fuel)
        est.alternatives.append(
            Option(label=label, co2_kg=energy.scale(*alt_co2), cost_yuan=energy.scale(*alt_price) if alt_price else None)
        )
    est.sources = [
        f"电网排放因子：{grid_label} {grid} 千克二氧化碳/千瓦时，{f['grid']['source']}",
        f"{f['fuels'][fuel]['label']}：{f['fuels'][fuel].get('co2_source', '')}",
        f"天然气：{f['fuels']['gas']['co2_source']}",
        f"热值：{f['fuels'][fuel]['gj_source']}",
        f"设备效率：{f['efficiency']['source']}",
        f"价格：{f['prices']['source']}",
    ]
    return est


def _co2_per_unit(fuel: str, grid: float) -> tuple[float, float]:
    if fuel == "electricity":
        return grid, grid
    low, high = factors()["fuels"][fuel]["co2_per_unit"]
    return low, high


def food_estimate(*, persons: float, behaviour_score: float, monthly_spend: float | None) -> Estimate:
    """Household food waste: persons x UNEP per-capita figure x a behaviour multiplier (0.5-1.5)."""
    food = factors()["food"]
    multiplier = 1.5 - max(0.0, min(100.0, behaviour_score)) / 100.0
    waste_kg = Range(persons * food["household_kg_per_person"] * multiplier * 0.8,
                     persons * food["household_kg_per_person"] * multiplier * 1.2)
    co2 = waste_kg.scale(*food["co2e_per_kg"])
    cost = None
    if monthly_spend is not None:
        share = food["spend_share"] * multiplier
        cost = Range(monthly_spend * 12 * share * 0.8, monthly_spend * 12 * share * 1.2)
    est = Estimate(gas="CO₂当量")
    est.current = Option(label="您家现在", co2_kg=co2, cost_yuan=cost)
    est.alternatives.append(
        Option(label="浪费减半后", co2_kg=co2.scale(0.5), cost_yuan=cost.scale(0.5) if cost else None)
    )
    est.notes.append(f"按您的回答估计，全家每年浪费食物{fmt_kg(waste_kg)}。")
    est.sources = [food["household_source"], food["co2e_source"], food["halving_source"]]
    if monthly_spend is not None:
        est.sources.append(food["spend_share_source"])
    else:
        est.notes.append(messages.NO_FOOD_COST)
    return est


def _round(value: float) -> float:
    """Two significant figures at most: no invented precision."""
    if value <= 0:
        return 0.0
    digits = 1 - int(floor(log10(value)))
    return round(value, digits)


def _span(r: Range, unit: str, divisor: float = 1.0) -> str:
    low, high = _round(r.low / divisor), _round(r.high / divisor)
    text = f"{low:g}" if low == high else f"{low:g}～{high:g}"
    return f"约 {text} {unit}"


def fmt_co2(r: Range, gas: str = "CO₂") -> str:
    return _span(r, f"吨 {gas}", 1000.0) if r.high >= 1000 else _span(r, f"千克 {gas}")


def fmt_option(option: Option, gas: str = "CO₂") -> str:
    """One line per option: emissions, and the cost when there is a basis for it."""
    text = f"{option.label}：{fmt_co2(option.co2_kg, gas)}"
    return text + (f"，{fmt_yuan(option.cost_yuan)}" if option.cost_yuan else "")


def fmt_kg(r: Range) -> str:
    return _span(r, "千克")


def fmt_yuan(r: Range | None) -> str:
    return _span(r, "元") if r else "—"
