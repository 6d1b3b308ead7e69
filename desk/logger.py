"""Writing the question log off the answer's path: a queue and one writer thread per process.

``submit`` never waits and never raises: the resident's answer is already on screen. The writer
takes what is queued in batches, one transaction each. When the database is down a batch is
dropped and counted (``failed``); when the queue is full a question is not logged (``dropped``).
The writer also deletes rows older than the retention setting, at most every ``purge_every_s``.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine

from civic.db import session_scope
from desk.questions import Entry, write_entries
from desk.retention import purge
from desk.tunables import tunables

log = logging.getLogger(__name__)
_STOP = object()


class QuestionLogger:
    def __init__(self, engine: Callable[[], Engine], *, retention_days: int | None = None) -> None:
        """``engine`` is called for each batch, so a database that was down at start is used once it is up."""
        cfg = tunables()["log"]
        self._engine = engine
        self._retention_days = retention_days
        self._queue: queue.Queue = queue.Queue(maxsize=int(cfg["queue_size"]))
        self._batch = int(cfg["batch_size"])
        self._purge_every = float(cfg["purge_every_s"])
        self._last_purge = float("-inf")
        self._last_warning = float("-inf")
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.written = 0
        self.failed = 0  # entries lost because their batch could not be written
        self.dropped = 0  # entries not queued: the queue was full

    def submit(self, entry: Entry) -> bool:
        """Queue one entry; False if it could not be queued. Never blocks, never raises."""
        try:
            self._ensure_started()
            self._queue.put_nowait(entry)
            return True
        except queue.Full:
            self.dropped += 1
            return False
        except Exception:  # noqa: BLE001 - logging must never break an answer
            log.exception("could not queue a question for the log")
            self.dropped += 1
            return False

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far is written (or given up); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def close(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout)
            self._thread = None

    def _ensure_started(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="desk-question-log", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                self._queue.task_done()
                return
            batch = [first]
            while len(batch) < self._batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)  # after this batch
                    self._queue.task_done()
                    break
                batch.append(item)
            try:
                self._write(batch)
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list[Entry]) -> None:
        try:
            engine = self._engine()
            with session_scope(engine) as session:
                write_entries(session=session, entries=batch)
            self.written += len(batch)
        except Exception:  # noqa: BLE001 - a lost log row is counted, never raised
            first = not self.failed
            self.failed += len(batch)
            if first or time.monotonic() - self._last_warning >= 60:  # one line a minute during an outage
                self._last_warning = time.monotonic()
                log.warning("question log: %d questions not written so far", self.failed, exc_info=first)
            return
        if time.monotonic() - self._last_purge >= self._purge_every:
            self._last_purge = time.monotonic()
            try:
                with session_scope(engine) as session:
                    purge(session=session, days=self._retention_days)
            except Exception:  # noqa: BLE001
                log.warning("question log: old rows could not be deleted", exc_info=True)
