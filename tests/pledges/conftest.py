"""Storage fixtures: every storage test runs on SQLite and on PostgreSQL (tests/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from civic.db import get_engine, session_scope
from pledges import campaigns
from tests.databases import tables_holding

ITEMS = ("clean-plate", "small-portions", "save-standby")


class Db:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = get_engine(url)

    @contextmanager
    def session(self):
        with session_scope(self.engine) as session:
            yield session

    def tables_holding(self, needle: str) -> list[str]:
        """Every ``table.column`` of the whole database with a value containing ``needle``."""
        return tables_holding(self.engine, needle)

    def campaign(self, slug: str = "test-campaign", **overrides) -> str:
        data = dict(
            slug=slug, title="测试活动", city=None, starts_on=None, ends_on=None, goal=100, item_ids=ITEMS,
        )
        data.update(overrides)
        with self.session() as session:
            campaigns.create_campaign(session=session, data=campaigns.CampaignInput(**data))
        return slug


@pytest.fixture
def db(database_url) -> Iterator[Db]:
    yield Db(database_url)
