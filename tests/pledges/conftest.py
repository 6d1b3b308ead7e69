"""Storage fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from TEST_POSTGRES_URL (scripts/test.sh starts a throwaway
server); each test gets its own schema. Without the variable the PostgreSQL runs
fail in CI (env CI set) and are skipped locally.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from pledges import campaigns
from pledges.db import dispose_engines, get_engine, session_scope

ITEMS = ("clean-plate", "small-portions", "save-standby")


class Db:
    def __init__(self, url: str, kind: str) -> None:
        self.url = url
        self.kind = kind
        self.engine = get_engine(url)

    @contextmanager
    def session(self):
        with session_scope(self.engine) as session:
            yield session

    def campaign(self, slug: str = "test-campaign", **overrides) -> str:
        data = dict(
            slug=slug, title="测试活动", city=None, starts_on=None, ends_on=None, goal=100, item_ids=ITEMS,
        )
        data.update(overrides)
        with self.session() as session:
            campaigns.create_campaign(session=session, data=campaigns.CampaignInput(**data))
        return slug


def postgres_base_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_POSTGRES_URL is not set: run the suite through scripts/test.sh")
        pytest.skip("TEST_POSTGRES_URL not set (scripts/test.sh provides a throwaway PostgreSQL)")
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, data_dir) -> Iterator[Db]:
    if request.param == "sqlite":
        yield Db(f"sqlite:///{data_dir / 'pledges.sqlite3'}", "sqlite")
        dispose_engines()
        return
    base = postgres_base_url()
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in base else "?"
        yield Db(f"{base}{sep}options=-csearch_path%3D{schema}", "postgres")
    finally:
        dispose_engines()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
