"""Which targets of different cities can be compared: like grouped with like.

Plain functions over :class:`retrieval.targets.Target` rows (no Streamlit), used by
the 目标对比 page. A row joins a named concept when its indicator holds one of
the concept's word lists (``retrieval/data/target_groups.toml``); otherwise it joins the first
group whose indicator is nearly the same wording. Grouping runs over the whole
table, not one theme, so a city's row filed under another theme still counts and
is never shown as 未提及.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from retrieval.targets.table import Target

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "target_groups.toml"
# Qualifiers that follow the number (Target.display_value already appends them).
QUALIFIERS_AFTER = ("以上", "左右", "以内", "以下")
_NOISE = re.compile(r"[\s、，,“”\"（）()《》]")


@dataclass(frozen=True)
class Concept:
    name: str
    patterns: tuple[tuple[str, ...], ...]

    def matches(self, text: str) -> bool:
        return any(all(word in text for word in words) for words in self.patterns)


@dataclass(frozen=True)
class CompareRules:
    similarity: float
    min_contained: int
    synonyms: dict[str, str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    concepts: tuple[Concept, ...]


@lru_cache(maxsize=1)
def rules() -> CompareRules:
    with open(RULES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    return CompareRules(
        similarity=float(data["similarity"]),
        min_contained=int(data["min_contained"]),
        synonyms=dict(data["synonyms"]),
        prefixes=tuple(sorted(data["filler"]["prefixes"], key=len, reverse=True)),
        suffixes=tuple(sorted(data["filler"]["suffixes"], key=len, reverse=True)),
        concepts=tuple(Concept(c["name"], tuple(tuple(p) for p in c["patterns"])) for c in data["concepts"]),
    )


def _with_synonyms(text: str, r: CompareRules) -> str:
    for word, same in r.synonyms.items():
        text = text.replace(word, same)
    return text


def normalise(indicator: str, r: CompareRules | None = None) -> str:
    """The words of an indicator that say what is measured, for comparing wordings."""
    r = r or rules()
    text = _NOISE.sub("", _with_synonyms(indicator, r))
    changed = True
    while changed and text:
        changed = False
        for word in r.prefixes:
            if text.startswith(word):
                text, changed = text[len(word):], True
        for word in r.suffixes:
            if text.endswith(word) and len(text) > len(word):
                text, changed = text[: -len(word)], True
    return text


def concept_for(indicator: str, r: CompareRules | None = None) -> Concept | None:
    r = r or rules()
    text = _with_synonyms(indicator, r)
    return next((c for c in r.concepts if c.matches(text)), None)


def _bigrams(text: str) -> set[str]:
    return {text[i: i + 2] for i in range(len(text) - 1)} or {text}


def similar(a: str, b: str, r: CompareRules | None = None) -> bool:
    """Nearly the same wording: equal, one contained in the other, or close in bigrams."""
    r = r or rules()
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) >= r.min_contained and short in long_:
        return True
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) >= r.similarity


@dataclass
class Group:
    """Targets that measure the same thing, from one or more cities."""

    name: str
    rows: list[Target] = field(default_factory=list)
    concept: bool = False
    _key: str = ""

    @property
    def cities(self) -> list[str]:
        return list(dict.fromkeys(r.city for r in self.rows))

    @property
    def themes(self) -> set[str]:
        return {r.theme for r in self.rows}

    def rows_of(self, city: str) -> list[Target]:
        return [r for r in self.rows if r.city == city]

    def own_wording(self, row: Target) -> bool:
        """Whether a row words its indicator differently from the rest of the group (worth showing).

        With no wording shared by two rows, every row shows its own."""
        wordings = Counter(normalise(r.indicator) for r in self.rows)
        common, count = wordings.most_common(1)[0]
        if len(wordings) == 1:
            return False
        return count < 2 or normalise(row.indicator) != common


def short_quote(quote: str, limit: int = 24) -> str:
    return quote if len(quote) <= limit else quote[:limit] + "…"


def group_targets(rows: list[Target]) -> list[Group]:
    """Every row in exactly one group; groups with more cities first, then in table order."""
    r = rules()
    groups: list[Group] = []
    by_concept: dict[str, Group] = {}
    for row in rows:
        concept = concept_for(row.indicator, r)
        if concept:
            group = by_concept.get(concept.name)
            if group is None:
                group = by_concept[concept.name] = Group(concept.name, concept=True)
                groups.append(group)
            group.rows.append(row)
            continue
        key = normalise(row.indicator, r)
        group = next((g for g in groups if not g.concept and similar(key, g._key, r)), None)
        if group is None:
            group = Group("", _key=key)
            groups.append(group)
        group.rows.append(row)
    for group in groups:
        if not group.concept:
            group.name = _common_name(group.rows)
    order = {id(g): i for i, g in enumerate(groups)}
    return sorted(groups, key=lambda g: (-len(g.cities), order[id(g)]))


def _common_name(rows: list[Target]) -> str:
    names = Counter(r.indicator.strip() for r in rows if r.indicator.strip())
    if not names:
        return short_quote(rows[0].quote)
    top = max(names.values())
    return min((n for n, c in names.items() if c == top), key=len)


def chart_rows(group: Group) -> tuple[str, list[Target]]:
    """The unit most of the group's rows share and those rows; empty unless two cities share it."""
    units = Counter(r.unit for r in group.rows)
    unit, _ = units.most_common(1)[0]
    rows = [r for r in group.rows if r.unit == unit]
    if len({r.city for r in rows}) < 2:
        return unit, []
    return unit, rows


def _qualifiers(row: Target) -> tuple[str, str]:
    """Qualifiers read before the number (力争, 不低于…) and those after it that
    ``display_value`` does not already add (及以上); 超过 is dropped where 不超过 is there."""
    quals = [q for q in row.qualifier.split("、") if q]
    before = [q for q in quals if not q.endswith(QUALIFIERS_AFTER) and not any(q != o and q in o for o in quals)]
    after = [q for q in quals if q.endswith(QUALIFIERS_AFTER) and q not in QUALIFIERS_AFTER]
    return "".join(dict.fromkeys(before)), "".join(after)


def short_value(row: Target) -> str:
    """The value with its qualifiers, without baseline or year, for a chart label: 力争17%, 25%左右."""
    before, after = _qualifiers(row)
    value = row.display_value
    if row.baseline and value.startswith(row.baseline):
        value = value[len(row.baseline):]
    return before + value + after


def target_text(row: Target) -> str:
    """A value as a resident reads it: 力争比2020年下降17%（2025年）, 25%左右（2025年）."""
    before, after = _qualifiers(row)
    value = row.display_value
    # display_value already leads with a baseline that names a change (比2020年下降); add any other.
    baseline = row.baseline if row.baseline and not value.startswith(row.baseline) else ""
    text = before + baseline + value + after
    return f"{text}（{row.year}年）" if row.year else text


def theme_order(rows: list[Target], names: list[str]) -> list[str]:
    """Themes that have rows, in the configured order; unknown themes after, as found."""
    present = list(dict.fromkeys(r.theme for r in rows))
    return [n for n in names if n in present] + [t for t in present if t not in names]
