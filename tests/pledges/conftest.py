"""Storage fixtures: every storage test runs on SQLite and on PostgreSQL (tests/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import String, Text, cast, inspect, or_, select

from civic.db import get_engine, model_metadata, session_scope
from pledges import campaigns

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
        found = []
        names = set(inspect(self.engine).get_table_names())
        with self.engine.connect() as conn:
            for table in model_metadata().sorted_tables:
                if table.name not in names:
                    continue
                columns = [c for c in table.columns if isinstance(c.type, (String, Text))]
                for column in columns:
                    hit = conn.execute(select(table).where(or_(cast(column, Text).contains(needle))).limit(1)).first()
                    if hit:
                        found.append(f"{table.name}.{column.name}")
        return found

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
