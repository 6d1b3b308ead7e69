"""Group commit: concurrent signing requests in one process share a transaction.

Under a burst (a campaign shared in a big WeChat group), one writer thread per
engine takes every request waiting in the queue and signs them with
:func:`pledges.signing.sign_batch`: a few multi-row statements and one commit
instead of a transaction each. Callers still get their own result or error.

Faults stay inside one batch: when the database is unreachable, every caller in
that batch gets ``PledgeError('db_unavailable')`` and the worker goes on with the
next batch (reconnecting once the database is back); an unexpected error in a
batch is retried request by request, so only the request that causes it fails.

When the connection is lost during COMMIT the batch may or may not be stored. If
every request in it carries its submission's idempotency key, the batch is signed
again (a few times, after short waits): the retry finds what the first attempt
stored and returns it. Otherwise, or while the database stays away, each caller
gets ``PledgeError('commit_unknown')`` — never a "没有保存" that may be false — and
can repeat the same submission safely. A caller that stops waiting while its batch
is being written gets the same error.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace

from sqlalchemy import Engine

from civic.db import CommitOutcomeUnknown, session_scope
from pledges.messages import PledgeError, unavailable_as_pledge_error
from pledges.signing import SignRequest, SignResult, sign_batch
from pledges.tunables import tunables

log = logging.getLogger(__name__)
Outcome = SignResult | BaseException


class GroupCommitter:
    def __init__(self, engine: Engine, max_batch: int | None = None) -> None:
        self.engine = engine
        self.max_batch = max_batch or int(tunables()["group_commit"]["max_batch"])
        self._queue: queue.Queue[tuple[SignRequest, Future]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pledge-group-commit", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def sign(self, request: SignRequest, timeout: float | None = 60) -> SignResult:
        """Queue one request and wait for its result; raises its PledgeError.

        A request still queued when ``timeout`` runs out is withdrawn and reported
        as ``db_unavailable``: it will never be written.
        """
        future: Future = Future()
        self._queue.put((request, future))
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            if future.cancel():
                raise PledgeError("db_unavailable") from None
            raise PledgeError("commit_unknown") from None  # its batch is being written

    def _run(self) -> None:
        while True:
            batch = self._take()
            if not batch:
                continue
            try:
                outcomes = self._sign(batch)
            except BaseException as exc:  # noqa: BLE001 - never let the worker die
                log.exception("group commit worker")
                outcomes = [exc] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    def _take(self) -> list[tuple[SignRequest, Future]]:
        """The next batch: every request waiting, up to max_batch, minus withdrawn ones."""
        waiting = [self._queue.get()]
        while len(waiting) < self.max_batch:
            try:
                waiting.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return [(r, f) for r, f in waiting if f.set_running_or_notify_cancel()]

    def _sign(self, batch: list[tuple[SignRequest, Future]]) -> list[Outcome]:
        try:
            return self._transaction([r for r, _ in batch])
        except PledgeError as err:  # e.g. database unreachable: nothing was written
            return [err] * len(batch)
        except Exception:
            if len(batch) == 1:
                raise
            log.exception("group commit batch failed; retrying its requests one by one")
        outcomes: list[Outcome] = []
        for request, _ in batch:
            try:
                outcomes.extend(self._transaction([request]))
            except Exception as exc:  # noqa: BLE001 - handed to this request's caller
                outcomes.append(exc)
        return outcomes

    def _transaction(self, requests: list[SignRequest]) -> list[Outcome]:
        try:
            with unavailable_as_pledge_error(), session_scope(self.engine) as session:
                return sign_batch(session=session, requests=requests)
        except PledgeError as err:
            if err.code != "commit_unknown" or not isinstance(err.__cause__, CommitOutcomeUnknown):
                raise
            if not all(r.submission_key for r in requests):
                raise
            return self._resolve(requests)

    def _resolve(self, requests: list[SignRequest]) -> list[Outcome]:
        """After a lost COMMIT: sign the keyed batch again until one attempt completes."""
        conf = tunables()["group_commit"]
        waits = list(conf["commit_retry_wait_s"])[: int(conf["commit_retries"])]
        requests = [replace(r, resent=True) for r in requests]
        for wait in waits:
            time.sleep(wait)
            try:
                with unavailable_as_pledge_error(), session_scope(self.engine) as session:
                    outcomes = sign_batch(session=session, requests=requests)
            except PledgeError as err:
                if err.code in ("db_unavailable", "commit_unknown"):
                    continue
                raise
            log.info("lost commit resolved by retrying a batch of %d", len(requests))
            return outcomes
        raise PledgeError("commit_unknown")


_COMMITTERS: dict[int, GroupCommitter] = {}
_LOCK = threading.Lock()


def committer_for(engine: Engine) -> GroupCommitter:
    """The one committer of this engine in this process (a new one if its worker died)."""
    with _LOCK:
        committer = _COMMITTERS.get(id(engine))
        if committer is None or committer.engine is not engine or not committer.alive:
            committer = _COMMITTERS[id(engine)] = GroupCommitter(engine)
        return committer
