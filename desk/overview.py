"""The figures staff see (MaxKB's 监控统计, GOV.UK Chat's status charts): per day, shares, clauses, cities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from desk.review import UNANSWERED, Group, QueueFilter, Row, groups_of, rows
from desk.tunables import local_day

OUTCOMES = {"answered": "已回答", "not_answered": "未回答", "out_of_scope": "超出范围", "other": "无效或出错"}


def outcome(status: str) -> str:
    if status == "answered":
        return "answered"
    if status in ("no_evidence", "not_specified"):
        return "not_answered"
    if status == "out_of_scope":
        return "out_of_scope"
    return "other"


@dataclass
class CityFigures:
    total: int = 0
    outcomes: Counter = field(default_factory=Counter)
    voted: int = 0
    not_useful: int = 0


@dataclass
class Overview:
    total: int
    outcomes: Counter  # outcome -> questions
    by_day: dict[date, Counter]  # local day -> outcome -> questions
    voted: int
    useful: int
    not_useful: int
    reasons: Counter
    top_clauses: list[tuple[tuple[str, str], int]]  # ((notice_id, clause_path), answers citing it)
    top_unanswered: list[Group]
    per_city: dict[str, CityFigures]
    taught: int  # answers given from a staff link

    def share(self, key: str) -> float:
        return self.outcomes[key] / self.total if self.total else 0.0

    @property
    def not_useful_share(self) -> float:
        """没用 among the answers that got a vote."""
        return self.not_useful / self.voted if self.voted else 0.0


def overview(*, session: Session, start: date | None, end: date | None, city: str | None = None,
             top: int = 10) -> Overview:
    items = rows(session=session, filter=QueueFilter(statuses=(), city=city, start=start, end=end, reviewed=None),
                 limit=10**7)
    return figures(items, top=top)


def figures(items: list[Row], top: int = 10) -> Overview:
    outcomes: Counter = Counter()
    by_day: dict[date, Counter] = {}
    clauses: Counter = Counter()
    reasons: Counter = Counter()
    per_city: dict[str, CityFigures] = {}
    voted = useful = not_useful = taught = 0
    for r in items:
        kind = outcome(r.status)
        outcomes[kind] += 1
        by_day.setdefault(local_day(r.asked_at), Counter())[kind] += 1
        if r.status == "answered":
            clauses.update(set(r.cited))
        if r.taught_link is not None:
            taught += 1
        city = per_city.setdefault(r.city, CityFigures())
        city.total += 1
        city.outcomes[kind] += 1
        if r.useful is not None:
            voted += 1
            city.voted += 1
            if r.useful:
                useful += 1
            else:
                not_useful += 1
                city.not_useful += 1
                reasons.update(r.reasons)
    unanswered = groups_of([r for r in items if r.status in UNANSWERED])
    return Overview(
        total=len(items), outcomes=outcomes, by_day=dict(sorted(by_day.items())), voted=voted, useful=useful,
        not_useful=not_useful, reasons=reasons, top_clauses=clauses.most_common(top),
        top_unanswered=unanswered[:top], per_city=dict(sorted(per_city.items(), key=lambda kv: -kv[1].total)),
        taught=taught,
    )
