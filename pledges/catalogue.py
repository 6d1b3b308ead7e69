"""The pledge catalogue (data file next to this module) and the cities' districts (retrieval/places)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from retrieval.places import city_districts, places

HERE = Path(__file__).parent
OTHER_DISTRICT = "其他"


@dataclass(frozen=True)
class Citation:
    notice: str
    clause: str
    quote: str


@dataclass(frozen=True)
class Saving:
    kgco2e: float | None
    yuan: float | None
    source: str
    assumptions: str


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    description: str
    category: str
    cities: tuple[str, ...]
    tips: tuple[str, ...]
    citations: tuple[Citation, ...]
    saving: Saving | None = None


@dataclass(frozen=True)
class Catalogue:
    items: dict[str, Item]
    factors: dict = field(default_factory=dict)

    @property
    def districts(self) -> dict[str, tuple[str, ...]]:
        """Every city with a notice now (one published later included), its districts, then "其他"."""
        return {city: (*city_districts(city), OTHER_DISTRICT) for city in places()["cities"]}

    @property
    def cities(self) -> list[str]:
        return list(self.districts)

    def for_city(self, city: str | None) -> list[Item]:
        return [i for i in self.items.values() if city is None or city in i.cities]

    def categories(self) -> list[str]:
        return list(dict.fromkeys(i.category for i in self.items.values()))


def _item(raw: dict) -> Item:
    saving = raw.get("saving")
    return Item(
        id=raw["id"],
        title=raw["title"],
        description=raw["description"],
        category=raw["category"],
        cities=tuple(raw["cities"]),
        tips=tuple(raw.get("tips", ())),
        citations=tuple(Citation(**c) for c in raw.get("citations", ())),
        saving=Saving(
            kgco2e=saving.get("kgco2e"),
            yuan=saving.get("yuan"),
            source=saving["source"],
            assumptions=saving["assumptions"],
        )
        if saving
        else None,
    )


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    with open(HERE / "catalogue.toml", "rb") as fh:
        raw = tomllib.load(fh)
    items = {}
    for entry in raw["items"]:
        item = _item(entry)
        if item.id in items:
            raise ValueError(f"duplicate pledge item id: {item.id}")
        items[item.id] = item
    return Catalogue(
        items=items,
        factors=raw.get("factors", {}),
    )
