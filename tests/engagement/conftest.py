"""Storage tests run on SQLite and on PostgreSQL (tests/databases.py)."""

from __future__ import annotations

import pytest

from civic.db import get_engine


@pytest.fixture
def engine(database_url):
    return get_engine(database_url)
