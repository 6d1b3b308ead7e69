"""The staff review queue: logged questions filtered (status, 没用, city, dates, reviewed) and grouped.

Like govuk-chat's questions filter (status, dates, useful) and FastGPT's 仅看踩 / 仅看未读; near-
identical questions are one line with a count (``desk.grouping``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from desk.grouping import group, same_text_key
from desk.models import LoggedQuestion
from desk.tunables import day_start_utc, tunables, utcnow

STATUS_LABELS = {
    "no_evidence": "没有找到答案",
    "not_specified": "通知未写明",
    "out_of_scope": "超出范围",
    "answered": "已回答",
    "invalid_question": "无效提问",
    "error": "出错",
}
UNANSWERED = ("no_evidence", "not_specified", "out_of_scope")


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[str, ...] = UNANSWERED  # empty: every status
    not_useful_only: bool = False
    city: str | None = None  # the city chosen on the page, or one of the cities searched
    start: date | None = None  # local days, inclusive
    end: date | None = None
    reviewed: bool | None = False  # False: not yet reviewed; True: reviewed; None: both


@dataclass(frozen=True)
class Row:
    id: int
    ref: str
    conversation: str
    asked_at: datetime
    question: str
    rewritten: str | None
    city_chosen: str | None
    cities: tuple[str, ...]
    status: str
    kind: str
    cited: tuple[tuple[str, str], ...]
    taught_link: int | None
    latency_ms: int
    useful: bool | None
    reasons: tuple[str, ...]
    comment: str
    reviewed_at: datetime | None
    reviewed_by: str | None

    @property
    def city(self) -> str:
        """The city the question was about: chosen on the page, else the one searched, else 未指定."""
        if self.city_chosen:
            return self.city_chosen
        return self.cities[0] if len(self.cities) == 1 else "未指定"

    @property
    def shown_question(self) -> str:
        return self.rewritten or self.question


@dataclass
class Group:
    rows: list[Row]  # newest first
    cities: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def question(self) -> str:
        """The wording asked most often, ignoring punctuation and spaces (the newest among equals)."""
        counts = Counter(same_text_key(r.shown_question) for r in self.rows)
        return max(self.rows, key=lambda r: counts[same_text_key(r.shown_question)]).shown_question

    @property
    def example(self) -> Row:
        question = self.question
        return next(r for r in self.rows if r.shown_question == question)

    @property
    def not_useful(self) -> int:
        return sum(1 for r in self.rows if r.useful is False)

    @property
    def latest(self) -> datetime:
        return self.rows[0].asked_at

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.rows]


def _row(q: LoggedQuestion) -> Row:
    return Row(
        id=q.id, ref=q.ref, conversation=q.conversation, asked_at=q.asked_at, question=q.question,
        rewritten=q.rewritten, city_chosen=q.city_chosen, cities=tuple(c for c in q.cities.split("、") if c),
        status=q.status, kind=q.kind, cited=tuple(tuple(c) for c in json.loads(q.cited or "[]")),
        taught_link=q.taught_link, latency_ms=q.latency_ms, useful=q.useful,
        reasons=tuple(r for r in q.reasons.split("、") if r), comment=q.comment, reviewed_at=q.reviewed_at,
        reviewed_by=q.reviewed_by,
    )


def where(f: QueueFilter) -> list:
    conditions = []
    if f.statuses:
        conditions.append(LoggedQuestion.status.in_(f.statuses))
    if f.not_useful_only:
        conditions.append(LoggedQuestion.useful.is_(False))
    if f.city:
        conditions.append(or_(LoggedQuestion.city_chosen == f.city, LoggedQuestion.cities.contains(f.city)))
    if f.start:
        conditions.append(LoggedQuestion.asked_at >= day_start_utc(f.start))
    if f.end:
        conditions.append(LoggedQuestion.asked_at < day_start_utc(f.end + timedelta(days=1)))
    if f.reviewed is True:
        conditions.append(LoggedQuestion.reviewed_at.is_not(None))
    elif f.reviewed is False:
        conditions.append(LoggedQuestion.reviewed_at.is_(None))
    return conditions


def rows(*, session: Session, filter: QueueFilter, limit: int | None = None) -> list[Row]:
    """The newest logged questions matching ``filter`` (at most ``[review] rows_max``)."""
    limit = limit or tunables()["review"]["rows_max"]
    query = (select(LoggedQuestion).where(*where(filter))
             .order_by(LoggedQuestion.asked_at.desc(), LoggedQuestion.id.desc()).limit(limit))
    return [_row(q) for q in session.scalars(query)]


def groups_of(items: list[Row]) -> list[Group]:
    out = []
    for members in group(items, text=lambda r: r.shown_question):
        g = Group(rows=members)
        for r in members:
            g.cities[r.city] += 1
            g.statuses[r.status] += 1
            g.reasons.update(r.reasons)
        out.append(g)
    out.sort(key=lambda g: (-g.count, -g.latest.timestamp()))
    return out


def queue(*, session: Session, filter: QueueFilter) -> list[Group]:
    """The review queue: groups of near-identical questions, the most asked first."""
    return groups_of(rows(session=session, filter=filter))


def find(*, session: Session, question_id: int) -> Row | None:
    q = session.get(LoggedQuestion, question_id)
    return _row(q) if q else None


def mark_reviewed(*, session: Session, ids: list[int], by: str, reviewed: bool = True) -> int:
    """Mark questions reviewed (or back to unreviewed); returns how many changed."""
    if not ids:
        return 0
    values = {"reviewed_at": utcnow(), "reviewed_by": by[:40]} if reviewed else {"reviewed_at": None,
                                                                                 "reviewed_by": None}
    result = session.execute(update(LoggedQuestion).where(LoggedQuestion.id.in_(ids)).values(**values))
    return int(result.rowcount or 0)
