"""Engines, sessions and migrations.

One engine per database URL per process (cached); a session per operation.
SQLite runs in WAL mode with a busy timeout and takes the write lock at BEGIN, so
concurrent writers queue instead of failing on a lock upgrade. Migrations run
programmatically the first time an engine is used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from pledges.messages import PledgeError
from pledges.tunables import tunables

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
_ENGINES: dict[tuple[str, int | None], Engine] = {}
_MIGRATED: set[str] = set()
# SQLite allows one writer at a time and every transaction here begins IMMEDIATE.
# Queueing a process's transactions on a lock is fairer and faster than letting
# them poll in SQLite's busy handler, which sleeps in growing steps; other
# processes still meet the busy timeout.
_SQLITE_LOCKS: dict[Engine, threading.RLock] = {}
_LOCK = threading.Lock()
_PG_MIGRATION_LOCK = 7_243_101  # advisory lock id: one migrator at a time across processes


def _sqlite_engine(url: str, pool_size: int | None) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    kwargs = {"pool_size": pool_size, "max_overflow": 10} if pool_size else {}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
    busy_ms = int(tunables()["sqlite"]["busy_timeout_ms"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001 - DBAPI types
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    _SQLITE_LOCKS[engine] = threading.RLock()
    return engine


def get_engine(url: str, *, pool_size: int | None = None) -> Engine:
    """The cached, migrated engine for ``url``; raises PledgeError('db_unavailable')."""
    key = (url, pool_size)
    with _LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            if url.startswith("sqlite"):
                engine = _sqlite_engine(url, pool_size)
            else:
                kwargs = {"pool_size": pool_size, "max_overflow": 10} if pool_size else {}
                engine = create_engine(
                    url, pool_pre_ping=True, connect_args={"connect_timeout": 5}, **kwargs
                )
            _ENGINES[key] = engine
        if url not in _MIGRATED:
            migrate(engine)
            _MIGRATED.add(url)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        if is_unavailable(exc):
            raise PledgeError("db_unavailable") from exc
        raise


def dispose_engines() -> None:
    """Close every cached engine (tests and the benchmark call this)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _SQLITE_LOCKS.clear()
        _MIGRATED.clear()


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached (rather than a bug or a bad row)."""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout)):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back everything on any error.

    A lost or unreachable database raises ``PledgeError('db_unavailable')``; the
    broken connection is discarded, so the next call reconnects (the engine's
    pre-ping also replaces connections that died while idle in the pool).
    """
    lock = _SQLITE_LOCKS.get(engine)
    if lock:
        lock.acquire()
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException as exc:
        _rollback(session)
        if is_unavailable(exc):
            raise PledgeError("db_unavailable") from exc
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


def default_engine() -> Engine:
    from civic.settings import get_settings

    return get_engine(get_settings().sqlalchemy_url)
