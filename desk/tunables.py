"""Tunable numbers of the desk (``tunables.toml``) and its clock: naive UTC in storage, local days on screen."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo


@lru_cache(maxsize=1)
def tunables() -> dict:
    with open(Path(__file__).with_name("tunables.toml"), "rb") as fh:
        return tomllib.load(fh)


def utcnow() -> datetime:
    """Naive UTC, as both SQLite and PostgreSQL columns here store it."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_zone() -> ZoneInfo:
    return ZoneInfo(tunables()["timezone"])


def to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(local_zone())


def local_day(moment: datetime) -> date:
    return to_local(moment).date()


def day_start_utc(day: date) -> datetime:
    """The naive-UTC moment a local day begins."""
    start = datetime(day.year, day.month, day.day, tzinfo=local_zone())
    return start.astimezone(UTC).replace(tzinfo=None)
