"""Sliding-window rate limits stored in the database, so every app process shares them.

Keys (a session id, an IP address, a token) are stored only as keyed hashes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pledges.identity import keyed_hash
from pledges.messages import PledgeError
from pledges.models import RateEvent
from pledges.tunables import tunables, utcnow


def hit(*, session: Session, rule: str, key: str | None) -> None:
    """Count one attempt for ``key`` under ``rule``; raise when over the limit.

    A missing key (e.g. no client address behind some proxies) is not limited.
    """
    hit_all(session=session, checks=[(rule, key)])


def hit_all(*, session: Session, checks: list[tuple[str, str | None]]) -> None:
    """Check every (rule, key) first and record attempts only if none is over its limit."""
    now = utcnow()
    buckets = []
    for rule, key in checks:
        if not key:
            continue
        limit = tunables()["rate"][rule]
        bucket = keyed_hash(f"rate:{rule}", key)
        since = now - timedelta(seconds=limit["window_s"])
        used = session.scalar(
            select(func.count()).select_from(RateEvent).where(RateEvent.bucket == bucket, RateEvent.at > since)
        )
        if used >= limit["count"]:
            raise PledgeError("rate_limited")
        buckets.append(bucket)
    session.add_all(RateEvent(bucket=b, at=now) for b in buckets)
    if buckets and secrets.randbelow(200) == 0:  # keep the table small without a scheduler
        prune(session=session)


def prune(*, session: Session) -> int:
    """Forget events older than the longest window."""
    cutoff = utcnow() - timedelta(seconds=tunables()["rate"]["keep_events_s"])
    result = session.execute(delete(RateEvent).where(RateEvent.at < cutoff))
    return result.rowcount or 0
