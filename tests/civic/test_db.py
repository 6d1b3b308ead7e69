"""The shared engine and sessions: SQLite settings, caching, rollback, an unreachable database, the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from civic.db import (
    DatabaseUnavailable,
    default_engine,
    dispose_engines,
    get_engine,
    head_revision,
    session_scope,
    tunables,
)
from civic.settings import REPO_ROOT

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:9/none"  # port 9: refused at once


def test_sqlite_runs_in_wal_with_the_busy_timeout_from_the_data_file(data_dir):
    engine = default_engine()
    assert engine.url.database == str(data_dir / "civic.sqlite3")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == tunables()["sqlite"]["busy_timeout_ms"]
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_one_engine_per_url_shared_by_every_package(database_url):
    engine = get_engine(database_url)
    assert get_engine(database_url) is engine
    assert engine.pool.size() == tunables()["pool"]["size"]
    dispose_engines()
    assert get_engine(database_url) is not engine


def test_a_failed_transaction_writes_nothing(database_url):
    engine = get_engine(database_url)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.execute(text("INSERT INTO pledge_rate_events (bucket, at) VALUES ('x', CURRENT_TIMESTAMP)"))
        raise RuntimeError("crash after the insert")
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM pledge_rate_events")).scalar() == 0


def test_an_unreachable_database_is_one_neutral_error():
    with pytest.raises(DatabaseUnavailable) as err:
        get_engine(UNREACHABLE)
    assert err.value.message == "数据库暂时无法连接，请稍后再试。"
    dispose_engines()


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "civic.db", *args, "--url", url], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_migrations_run_from_the_command_line(database_url):
    head = head_revision()
    before = _cli("current", url=database_url)
    assert before.returncode == 1 and "空库" in before.stdout and "python -m civic.db upgrade" in before.stderr
    done = _cli("upgrade", url=database_url)
    assert done.returncode == 0 and f"迁移到 {head}" in done.stdout
    now = _cli("current", url=database_url)
    assert now.returncode == 0 and f"当前版本 {head}" in now.stdout


def test_the_command_line_reports_an_unreachable_database():
    result = _cli("upgrade", url=UNREACHABLE)
    assert result.returncode == 2 and "数据库暂时无法连接" in result.stderr
