"""The teachings provider the app hands to the answer path (``Asker.teachings``).

Calling it returns the current :class:`~retrieval.answer.taught.Teachings` at once, from memory:
the answer never waits for the database. A daemon thread reads ``desk_version`` every
``refresh_s`` (one small query) and reloads the links and pairs when the number changed, so a
change made in any app process — or by ``python -m desk import-teachings`` — is answered from in
every process within about a second, without a restart. :meth:`refresh` reloads at once (the
staff page calls it after a change, so its own process does not wait). While the database is
down the last teachings are kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Engine

from civic.db import session_scope
from desk.teach import current_teachings, read_version
from desk.tunables import tunables
from retrieval.answer.taught import NO_TEACHINGS, Teachings

log = logging.getLogger(__name__)


class TeachingsSource:
    def __init__(self, engine: Callable[[], Engine], *, interval: float | None = None) -> None:
        self._engine = engine
        self._interval = float(tunables()["teach"]["refresh_s"] if interval is None else interval)
        self._teachings: Teachings = NO_TEACHINGS
        self._version: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0  # reads that failed (database down); the last teachings were kept

    def __call__(self) -> Teachings:
        if self._thread is None:
            self.start()
        return self._teachings

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._poll, name="desk-teachings", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def refresh(self, *, force: bool = False) -> bool:
        """Reload when the version changed (or ``force``); False when the database could not be read."""
        try:
            with session_scope(self._engine(), read_only=True) as session:
                version = read_version(session)
                if force or version != self._version:
                    teachings = current_teachings(session=session)
                    self._teachings, self._version = teachings, int(teachings.version)
            return True
        except Exception:  # noqa: BLE001 - the answer path keeps the last teachings
            self.failures += 1
            log.warning("desk teachings could not be read; keeping the last ones", exc_info=self.failures == 1)
            return False

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.refresh()
            self._stop.wait(self._interval)
