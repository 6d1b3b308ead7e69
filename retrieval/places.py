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

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from civic.settings import get_settings
from retrieval.sources import NoticeMeta, notice_metas
from retrieval.textnorm import to_simplified

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=1)
def _static() -> dict:
    with open(DATA_DIR / "places.toml", "rb") as fh:
        return tomllib.load(fh)


def places() -> dict:
    """``{"cities": {city: {"aliases", "districts", "district_aliases", "province"}},
    "other": {"places": [...]}, …}`` for the notices in the corpus now; the other sections
    of ``places.toml`` (``compare``, ``national``…) as they are."""
    return _derived(notice_metas(get_settings().corpus_dir))[0]


_memo: list = [None, None]  # [metas, (places, names pattern)]: the last corpus's place knowledge


def _derived(metas: tuple[NoticeMeta, ...]) -> tuple[dict, re.Pattern[str] | None]:
    if _memo[0] is not metas:  # notice_metas returns the same object while nothing changed
        built = _places(metas)
        _memo[1], _memo[0] = (built, _names_pattern(built)), metas
    return _memo[1]


def _places(metas: tuple[NoticeMeta, ...]) -> dict:
    static = _static()
    cities = {m.city: _city(m) for m in metas}
    names = {n for info in cities.values() for n in (*info["aliases"], *info["districts"], *info["district_aliases"])}
    # A place the static list calls uncovered is covered once a notice names it.
    other = [p for p in static["other"]["places"] if not any(p in n or n in p for n in names)]
    return {**static, "cities": cities, "other": {**static["other"], "places": other}}


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



def strip_places(text: str) -> str:
    """The text with every known city and district name replaced by a comma.

    The answer step weighs a question's words by what they ask about; a place only routes
    the question to a city. A name the domain dictionary does not know (a new city's
    川东区) would otherwise be cut into pieces (川东 + 区) that count as content.
    """
    pattern = _derived(notice_metas(get_settings().corpus_dir))[1]
    return pattern.sub("，", to_simplified(text)) if pattern else text


def _names_pattern(built: dict) -> re.Pattern[str] | None:
    names = {n for info in built["cities"].values()
             for n in (*info["aliases"], *info["districts"], *info["district_aliases"])}
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
