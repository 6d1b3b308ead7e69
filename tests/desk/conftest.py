"""Desk fixtures: every storage test runs on SQLite and PostgreSQL (``database_url``, tests/databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest

from civic.db import get_engine, session_scope
from desk.questions import Entry, new_ref, write_entries
from desk.tunables import utcnow
from retrieval.corpus import load_corpus

# A real sentence of 定州's notice and its clause (三、（七）2.（1）: 餐饮服务经营者食品浪费).
NOTICE, CLAUSE = "dingzhou", "三、（七）2.（1）"
QUOTE = "对餐饮服务经营者食品浪费违法行为，依法严肃查处。"


class Desk:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = get_engine(url)

    @contextmanager
    def session(self):
        with session_scope(self.engine) as session:
            yield session

    def log(self, question: str, *, status: str = "no_evidence", city: str | None = "定州",
            asked_at: datetime | None = None, **fields) -> str:
        entry = Entry(ref=fields.pop("ref", None) or new_ref(), conversation=fields.pop("conversation", "c1"),
                      asked_at=asked_at or utcnow(), question=question, city_chosen=city, status=status, **fields)
        with self.session() as session:
            write_entries(session=session, entries=[entry])
        return entry.ref


@pytest.fixture
def desk(database_url) -> Iterator[Desk]:
    yield Desk(database_url)


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()
