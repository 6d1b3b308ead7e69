"""Storage tests run on SQLite and, when TEST_POSTGRES_URL is set, on PostgreSQL too.

Each PostgreSQL run gets its own schema, dropped afterwards (same approach as
tests/pledges/conftest.py; scripts/test.sh provides a throwaway server).
"""

from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import create_engine, text

from engagement.store import make_engine


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, data_dir):
    if request.param == "sqlite":
        eng = make_engine()  # the settings' default: SQLite in the test's data dir
        yield eng
        eng.dispose()
        return
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: run the suite through scripts/test.sh")
        pytest.skip("TEST_POSTGRES_URL not set (scripts/test.sh provides a throwaway PostgreSQL)")
    schema = f"sc_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(f"{base}?options=-csearch_path%3D{schema}")
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
