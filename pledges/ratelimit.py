"""Sliding-window rate limits stored in the database, so every app process shares them.

Keys (a session id, an IP address, a token) are stored only as keyed hashes.

Exact under concurrency: on PostgreSQL each bucket is locked (a transaction-scoped
advisory lock) before it is counted, so transactions checking the same key take turns
and each sees the others' committed events; a transaction that needs several buckets
locks them all first, in sorted order, so two cannot deadlock. SQLite needs no lock:
its writers are serialised (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from pledges.identity import keyed_hash
from pledges.messages import PledgeError
from pledges.models import RateEvent
from pledges.tunables import tunables, utcnow

# Advisory locks in the two-key space (namespace, key): apart from civic.db's one-key migration lock.
_LOCK_NAMESPACE = 0x7261_7465  # "rate"
_LOCK_SQL = text(
    "SELECT count(pg_advisory_xact_lock(CAST(:namespace AS integer), k))"
    " FROM (SELECT unnest(CAST(:keys AS integer[])) AS k ORDER BY k) AS sorted"
)


def bucket(rule: str, key: str) -> str:
    return keyed_hash(f"rate:{rule}", key)


def buckets_of(checks: list[tuple[str, str | None]]) -> list[str]:
    return [bucket(rule, key) for rule, key in checks if key]


def lock(*, session: Session, buckets: list[str]) -> None:
    """Hold these buckets until the transaction ends (PostgreSQL; SQLite is serialised anyway)."""
    if not buckets or session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({int(b[:8], 16) - 2**31 for b in buckets})  # int4, as the two-key lock takes
    session.execute(_LOCK_SQL, {"namespace": _LOCK_NAMESPACE, "keys": keys})


def hit(*, session: Session, rule: str, key: str | None) -> None:
    """Count one attempt for ``key`` under ``rule``; raise when over the limit.

    A missing key (e.g. no client address behind some proxies) is not limited.
    """
    hit_all(session=session, checks=[(rule, key)])


def hit_all(*, session: Session, checks: list[tuple[str, str | None]]) -> None:
    """Check every (rule, key) first and record attempts only if none is over its limit."""
    now = utcnow()
    lock(session=session, buckets=buckets_of(checks))  # a no-op when the caller locked them already
    buckets = []
    for rule, key in checks:
        if not key:
            continue
        limit = tunables()["rate"][rule]
        name = bucket(rule, key)
        since = now - timedelta(seconds=limit["window_s"])
        used = session.scalar(
            select(func.count()).select_from(RateEvent).where(RateEvent.bucket == name, RateEvent.at > since)
        )
        if used >= limit["count"]:
            raise PledgeError("rate_limited")
        buckets.append(name)
    session.add_all(RateEvent(bucket=b, at=now) for b in buckets)
    if buckets and secrets.randbelow(200) == 0:  # keep the table small without a scheduler
        prune(session=session)


def prune(*, session: Session, now: datetime | None = None) -> int:
    """Forget events older than the longest window."""
    cutoff = (now or utcnow()) - timedelta(seconds=tunables()["rate"]["keep_events_s"])
    result = session.execute(delete(RateEvent).where(RateEvent.at < cutoff))
    return result.rowcount or 0
