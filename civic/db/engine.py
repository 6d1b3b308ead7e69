"""Engines and sessions for every package: one engine per database URL per process.

``get_engine`` caches the engine and migrates the database the first time a process uses
it; ``session_scope`` is one transaction. SQLite runs in WAL mode with a busy timeout and
takes the write lock at BEGIN (``BEGIN IMMEDIATE``), so concurrent writers queue instead
of failing on a lock upgrade. PostgreSQL connections are pre-pinged and time out quickly.
Numbers live in ``tunables.toml`` beside this module.
"""

from __future__ import annotations

import logging
import threading
import tomllib
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from civic.db.errors import CommitOutcomeUnknown, DatabaseUnavailable, is_unavailable
from civic.db.schema import migrate

log = logging.getLogger(__name__)
_ENGINES: dict[tuple[str, int | None], Engine] = {}
_MIGRATED: set[str] = set()
# SQLite allows one writer at a time and every transaction here begins IMMEDIATE.
# Queueing a process's transactions on a lock is fairer and faster than letting
# them poll in SQLite's busy handler, which sleeps in growing steps; other
# processes still meet the busy timeout.
_SQLITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_READ_ONLY = "civic_read_only"


@lru_cache(maxsize=1)
def tunables() -> dict:
    with open(Path(__file__).with_name("tunables.toml"), "rb") as fh:
        return tomllib.load(fh)


def _pool_args(pool_size: int | None) -> dict:
    pool = tunables()["pool"]
    return {"pool_size": pool_size or int(pool["size"]), "max_overflow": int(pool["max_overflow"])}


def _sqlite_engine(url: str, pool_size: int | None) -> Engine:
    path = url.removeprefix("sqlite:///")
    in_memory = not path or path == ":memory:"
    if not in_memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    kwargs = {} if in_memory else _pool_args(pool_size)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    sqlite = tunables()["sqlite"]
    busy_ms = int(sqlite["busy_timeout_ms"])
    synchronous = str(sqlite["synchronous"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI types
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A reader (session_scope(read_only=True)) takes no write lock: in WAL mode it never waits for a writer.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(_READ_ONLY) else "BEGIN IMMEDIATE")

    _SQLITE_LOCKS[engine] = threading.RLock()
    return engine


def _postgres_engine(url: str, pool_size: int | None) -> Engine:
    timeout = int(tunables()["postgres"]["connect_timeout_s"])
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": timeout}, **_pool_args(pool_size))


def new_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """A configured engine for ``url``, neither cached nor migrated: the caller disposes it."""
    return _sqlite_engine(url, pool_size) if url.startswith("sqlite") else _postgres_engine(url, pool_size)


def get_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """The cached, migrated engine for ``url``; raises DatabaseUnavailable.

    ``pool_size`` overrides the pool's size (the benchmark gives each writer a connection).
    """
    key = (url, pool_size)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = new_engine(url, pool_size=pool_size)
        if url not in _MIGRATED:
            migrate(engine)
            _MIGRATED.add(url)
    return engine


def default_engine() -> Engine:
    """The engine for the app's database (``get_settings().sqlalchemy_url``)."""
    from civic.settings import get_settings

    return get_engine(get_settings().sqlalchemy_url)


def dispose_engines() -> None:
    """Close every cached engine (tests and the benchmark call this)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _SQLITE_LOCKS.clear()
        _MIGRATED.clear()


@contextmanager
def session_scope(engine: Engine, *, read_only: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back everything on any error.

    A lost or unreachable database raises :class:`DatabaseUnavailable` (its subclass
    :class:`CommitOutcomeUnknown` when only the COMMIT failed); the broken
    connection is discarded, so the next call reconnects (the engine's pre-ping also
    replaces connections that died while idle in the pool).

    ``read_only``: nothing is written (the transaction is rolled back), and on SQLite it
    neither takes nor waits for the write lock — for pollers on a resident's path
    (published notices, taught links).
    """
    lock = None if read_only else _SQLITE_LOCKS.get(engine)
    if lock:
        lock.acquire()
    session = Session(engine, expire_on_commit=False)
    committing = False
    try:
        if read_only:
            session.connection(execution_options={_READ_ONLY: True})
        yield session
        if read_only:
            session.rollback()
            return
        session.flush()  # pending rows are written before COMMIT, where a failure is still certain
        committing = True
        session.commit()
    except BaseException as exc:
        _rollback(session)
        if is_unavailable(exc):
            detail = str(getattr(exc, "orig", None) or exc)
            # Lost during COMMIT: the server may have written it before the connection died.
            raise (CommitOutcomeUnknown if committing else DatabaseUnavailable)(detail) from exc
        raise
    finally:
        try:
            session.close()
        except DBAPIError:  # the connection died: throw it away rather than reuse it
            session.invalidate()
        if lock:
            lock.release()


def _rollback(session: Session) -> None:
    """Roll back; on a dead connection the rollback itself fails, so invalidate it instead.

    psycopg can fail here with e.g. "cannot exit pipeline mode while busy" when
    the server went away in the middle of a multi-row insert.
    """
    try:
        session.rollback()
    except DBAPIError:
        log.warning("rollback failed; discarding the connection", exc_info=True)
        session.invalidate()
