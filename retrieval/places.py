"""City knowledge shared by the app: how a city is named, and its districts.

Search uses the names to scope a question; the pledge form and the self-checks offer
the canonical district lists. One data file, ``retrieval/data/places.toml``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def places() -> dict:
    with open(DATA_DIR / "places.toml", "rb") as fh:
        return tomllib.load(fh)


def city_districts(city: str) -> tuple[str, ...]:
    """The canonical districts, counties or towns of a city (empty for an unknown city)."""
    info = places()["cities"].get(city)
    return tuple(info["districts"]) if info else ()


def city_names(city: str) -> list[str]:
    """Every way a question may name the city: aliases, districts and their short forms."""
    info = places()["cities"].get(city, {"aliases": [city], "districts": [], "district_aliases": []})
    return info["aliases"] + info["districts"] + info.get("district_aliases", [])
