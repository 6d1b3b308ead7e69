"""Group commit: concurrent signing requests in one process share a transaction.

Under a burst (a campaign shared in a big WeChat group), one writer thread per
engine takes every request waiting in the queue and signs them with
:func:`pledges.signing.sign_batch`: a few multi-row statements and one commit
instead of a transaction each. Callers still get their own result or error.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from sqlalchemy import Engine

from pledges.db import session_scope
from pledges.messages import PledgeError
from pledges.signing import SignRequest, SignResult, sign_batch
from pledges.tunables import tunables


class GroupCommitter:
    def __init__(self, engine: Engine, max_batch: int | None = None) -> None:
        self.engine = engine
        self.max_batch = max_batch or int(tunables()["group_commit"]["max_batch"])
        self._queue: queue.Queue[tuple[SignRequest, Future]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pledge-group-commit", daemon=True)
        self._thread.start()

    def sign(self, request: SignRequest, timeout: float | None = 60) -> SignResult:
        """Queue one request and wait for its result; raises its PledgeError."""
        future: Future = Future()
        self._queue.put((request, future))
        result = future.result(timeout=timeout)
        if isinstance(result, PledgeError):
            raise result
        return result

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                with session_scope(self.engine) as session:
                    results = sign_batch(session=session, requests=[r for r, _ in batch])
            except PledgeError as err:  # e.g. database unreachable: nothing was written
                results = [err] * len(batch)
            except Exception as exc:  # noqa: BLE001 - hand every waiter the failure
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)


_COMMITTERS: dict[int, GroupCommitter] = {}
_LOCK = threading.Lock()


def committer_for(engine: Engine) -> GroupCommitter:
    """The one committer of this engine in this process."""
    with _LOCK:
        committer = _COMMITTERS.get(id(engine))
        if committer is None or committer.engine is not engine:
            committer = _COMMITTERS[id(engine)] = GroupCommitter(engine)
        return committer
