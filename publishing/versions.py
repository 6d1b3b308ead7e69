"""Counters every app process polls to see that something was published or reviewed."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from publishing.models import Version

NAMES = ("notices", "targets")


def bump(*, session: Session, name: str) -> None:
    """Add one to a counter, in the transaction that made the change it announces."""
    done = session.execute(update(Version).where(Version.name == name).values(version=Version.version + 1))
    if not done.rowcount:
        session.add(Version(name=name, version=1))
    session.flush()


def read(*, session: Session) -> dict[str, int]:
    found = {name: version for name, version in session.execute(select(Version.name, Version.version)).all()}
    return {name: found.get(name, 0) for name in NAMES}
