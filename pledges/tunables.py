"""Tunable numbers from ``tunables.toml`` (rate limits, lockout, lifetimes)."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).parent


@lru_cache(maxsize=1)
def tunables() -> dict:
    with open(HERE / "tunables.toml", "rb") as fh:
        return tomllib.load(fh)


def local_zone() -> ZoneInfo:
    return ZoneInfo(tunables()["timezone"])


def utcnow() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL columns store naive UTC timestamps."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_date(moment: datetime | None = None) -> date:
    """The local calendar date of a naive-UTC moment (now by default)."""
    moment = moment or utcnow()
    return moment.replace(tzinfo=UTC).astimezone(local_zone()).date()


def to_local(moment: datetime) -> datetime:
    """A naive-UTC moment as an aware local time."""
    return moment.replace(tzinfo=UTC).astimezone(local_zone())
