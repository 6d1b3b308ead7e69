"""What every app process asks for, many times a second: the published notices and reviewed targets.

:func:`install` registers one :class:`Published` per process with ``retrieval`` (as its
notice and targets provider). It asks the database for the version counters at most once
every ``poll_seconds`` (``tunables.toml``) and reloads the notices or the rows only when a
counter moved, so a publication, an unpublication or a review made by any process on any
server reaches this one within that time, without a restart. If the database cannot be
reached, the last notices and rows read stay in use (and the bundled ones always answer).
"""

from __future__ import annotations

import logging
import threading
import time
import tomllib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine

from civic.db import default_engine, session_scope
from publishing import versions
from publishing.notices import published_sources
from publishing.targets import shown_rows
from retrieval.sources import NoticeSource, set_notice_provider
from retrieval.targets import Target, set_targets_provider

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def tunables() -> dict:
    with open(Path(__file__).with_name("tunables.toml"), "rb") as fh:
        return tomllib.load(fh)


class Published:
    """The published notices and reviewed rows of one database, polled and cached."""

    def __init__(self, engine: Callable[[], Engine] = default_engine, poll_seconds: float | None = None):
        self._engine = engine
        self.poll_seconds = tunables()["poll_seconds"] if poll_seconds is None else poll_seconds
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._versions: dict[str, int] | None = None
        self._notices: tuple[NoticeSource, ...] = ()
        self._rows: tuple[Target, ...] = ()

    def notices(self) -> tuple[str, tuple[NoticeSource, ...]]:
        self._poll()
        return f"n{(self._versions or {}).get('notices', 0)}", self._notices

    def targets(self) -> tuple[str, tuple[Target, ...]]:
        self._poll()
        versions_now = self._versions or {}
        return f"n{versions_now.get('notices', 0)}t{versions_now.get('targets', 0)}", self._rows

    def refresh(self) -> None:
        """Read again at the next call (this process just published or reviewed something)."""
        self._checked = float("-inf")

    def _poll(self) -> None:
        if time.monotonic() - self._checked < self.poll_seconds:
            return
        with self._lock:
            if time.monotonic() - self._checked < self.poll_seconds:
                return
            try:
                with session_scope(self._engine(), read_only=True) as session:
                    now = versions.read(session=session)
                    if now != self._versions:
                        if self._versions is None or now["notices"] != self._versions["notices"]:
                            self._notices = published_sources(session=session)
                        self._rows = shown_rows(session=session)
                        self._versions = now
            except Exception:  # noqa: BLE001 - keep answering with what was last read
                log.exception("could not read the published notices; keeping the last ones read")
            self._checked = time.monotonic()


_installed: Published | None = None


def install(published: Published | None = None) -> Published:
    """Register the provider with retrieval for this process (once; later calls return it)."""
    global _installed
    if published is None and _installed is not None:
        return _installed
    _installed = published or Published()
    set_notice_provider(_installed.notices)
    set_targets_provider(_installed.targets)
    return _installed


def uninstall() -> None:
    global _installed
    _installed = None
    set_notice_provider(None)
    set_targets_provider(None)


def installed() -> Published | None:
    return _installed
