"""Fixtures for the hostile-input tests."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from pledges import accounts
from tests.engagement.conftest import engine  # noqa: F401  (fixture: SQLite and PostgreSQL)
from tests.pledges.conftest import db  # noqa: F401  (fixture: SQLite and PostgreSQL)


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """The real argon2id with small cost parameters: the same code paths in a hundredth of the time."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", lambda: cheap)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()
