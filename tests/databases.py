"""Every storage test runs on SQLite and on PostgreSQL: the shared ``database_url`` fixture.

PostgreSQL comes from TEST_POSTGRES_URL (scripts/test.sh starts a throwaway server); each
test gets its own schema, dropped afterwards. Without the variable the PostgreSQL runs
fail in CI (env CI set) and are skipped locally. Packages' fixtures (tests/pledges,
tests/engagement, tests/civic) build on this one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, String, Text, cast, create_engine, inspect, select, text

from civic.db import dispose_engines, model_metadata

KINDS = ("sqlite", "postgres")


def postgres_base_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: run the suite through scripts/test.sh")
        pytest.skip("TEST_POSTGRES_URL not set (scripts/test.sh provides a throwaway PostgreSQL)")
    return url


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """A URL whose connections use a fresh schema of the test server; dropped afterwards."""
    base = postgres_base_url()
    schema = f"{prefix}_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in base else "?"
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def database(kind: str, folder: Path, name: str = "civic.sqlite3") -> Iterator[str]:
    """An empty database of ``kind`` as a URL: SQLite in ``folder`` (the settings' default
    file when ``folder`` is the test's data dir), or a fresh PostgreSQL schema."""
    if kind == "sqlite":
        try:
            yield f"sqlite:///{folder / name}"
        finally:
            dispose_engines()
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(params=KINDS)
def database_url(request, data_dir) -> Iterator[str]:
    """An empty database per test, on SQLite and on PostgreSQL."""
    with database(request.param, data_dir) as url:
        yield url


def tables_holding(engine: Engine, needle: str) -> list[str]:
    """Every ``table.column`` of the app's tables with a text value containing ``needle``."""
    found = []
    names = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in model_metadata().sorted_tables:
            if table.name not in names:
                continue
            for column in table.columns:
                if isinstance(column.type, (String, Text)) and conn.execute(
                        select(table).where(cast(column, Text).contains(needle)).limit(1)).first():
                    found.append(f"{table.name}.{column.name}")
    return found
