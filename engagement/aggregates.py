"""Anonymous aggregates for publicity departments: per city and per district only.

A group is shown only when it has at least ``min_group_size`` responses (data file).
A district is also hidden when the rest of its city is a non-empty group smaller
than that size, since city minus district would reveal those few answers.
Individual answers never leave this module.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.models import responses
from engagement.questionnaire import load_questionnaire, tunables


@dataclass(frozen=True)
class GroupStats:
    city: str
    district: str | None  # None: the whole city
    responses: int
    mean_overall: int
    mean_by_category: dict[str, int | None]  # category label -> mean score
    share_label: str = ""
    share_percent: int | None = None  # e.g. share of households heating mainly with loose coal


def min_group_size() -> int:
    return int(tunables()["aggregates"]["min_group_size"])


Row = tuple[str, str | None, int, dict, dict]  # city, district, overall, category scores, answers


def _share(members: list[tuple[int, dict, dict]], rule: dict) -> int | None:
    answered = [a.get(rule["question"]) for _, _, a in members if a.get(rule["question"]) not in (None, "unknown")]
    if not answered:
        return None
    return round(100 * sum(v in rule["values"] for v in answered) / len(answered))


def summarise(rows: list[Row], topic: str, minimum: int) -> list[GroupStats]:
    """Pure: stored rows → the groups that may be shown."""
    labels = {c.id: c.label for c in load_questionnaire(topic).categories}
    rule = tunables()["aggregates"]["share"][topic]
    groups: dict[tuple[str, str | None], list[tuple[int, dict, dict]]] = defaultdict(list)
    for city, district, overall, cats, answers in rows:
        groups[(city, None)].append((overall, cats, answers))
        if district:
            groups[(city, district)].append((overall, cats, answers))
    out = []
    for (city, district), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        n = len(members)
        if n < minimum:
            continue
        if district is not None:
            rest = len(groups[(city, None)]) - n
            if 0 < rest < minimum:
                continue
        by_cat = {}
        for cid, label in labels.items():
            values = [c[cid] for _, c, _ in members if c.get(cid) is not None]
            by_cat[label] = round(sum(values) / len(values)) if values else None
        mean = round(sum(o for o, _, _ in members) / n)
        out.append(GroupStats(city, district, n, mean, by_cat, rule["label"], _share(members, rule)))
    return out


def city_aggregates(*, session: Session, topic: str) -> list[GroupStats]:
    query = select(
        responses.c.city, responses.c.district, responses.c.overall, responses.c.categories, responses.c.answers
    ).where(
        responses.c.topic == topic, responses.c.counted.is_(True), responses.c.city.is_not(None),
        responses.c.overall.is_not(None),
    )
    rows = [
        (r.city, r.district, r.overall, json.loads(r.categories or "{}"), json.loads(r.answers or "{}"))
        for r in session.execute(query)
    ]
    return summarise(rows, topic, min_group_size())
