"""Place knowledge shared by the app: how a city is named, and its districts.

Cities come from the notices themselves: each notice's manifest entry (or the
metadata of a notice the app hands in, see :mod:`retrieval.sources`) names its
city, province, other names of the city, its districts and their short forms, so
adding a notice registers its places. ``retrieval/data/places.toml`` keeps only
what belongs to no notice: places the notices do not cover, and the phrases that
ask about several cities at once.

Search uses the names to scope a question (a district routes to its city), the
answer step never counts them as content words, and the pledge form and the
self-checks offer the district lists.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from civic.settings import get_settings
from retrieval.sources import NoticeMeta, notice_metas

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _static() -> dict:
    with open(DATA_DIR / "places.toml", "rb") as fh:
        return tomllib.load(fh)


def places() -> dict:
    """``{"cities": {city: {"aliases", "districts", "district_aliases", "province"}},
    "other": {"places": [...]}, "compare": {...}}`` for the notices in the corpus now."""
    return _places(tuple(notice_metas(get_settings().corpus_dir)))


@lru_cache(maxsize=8)
def _places(metas: tuple[NoticeMeta, ...]) -> dict:
    static = _static()
    cities = {m.city: _city(m) for m in metas}
    names = {n for info in cities.values() for n in (*info["aliases"], *info["districts"], *info["district_aliases"])}
    # A place the static list calls uncovered is covered once a notice names it.
    other = [p for p in static["other"]["places"] if not any(p in n or n in p for n in names)]
    return {"cities": cities, "other": {"places": other}, "compare": static["compare"]}


def _city(meta: NoticeMeta) -> dict:
    implied = [meta.city] if meta.city.endswith("市") else [meta.city, meta.city + "市"]
    return {
        "aliases": list(dict.fromkeys([*implied, *meta.aliases])),
        "districts": list(meta.districts),
        "district_aliases": list(meta.district_aliases),
        "province": meta.province,
    }


def city_districts(city: str) -> tuple[str, ...]:
    """The canonical districts, counties or towns of a city (empty for an unknown city)."""
    info = places()["cities"].get(city)
    return tuple(info["districts"]) if info else ()


def city_names(city: str) -> list[str]:
    """Every way a question may name the city: aliases, districts and their short forms."""
    info = places()["cities"].get(city, {"aliases": [city], "districts": [], "district_aliases": []})
    return info["aliases"] + info["districts"] + info["district_aliases"]


def city_of_place(name: str) -> str | None:
    """The city a name belongs to: the city itself, an alias, a district or a district's short form."""
    for city in places()["cities"]:
        if name in city_names(city):
            return city
    return None
