"""Publishing tests run on SQLite and PostgreSQL, with the fast packaged embedder and the real index."""

from __future__ import annotations

import pytest

from civic.db import default_engine
from civic.settings import reset_settings
from publishing import provider
from retrieval.corpus import NoticeMeta
from tests.fixtures import newcity

STAFF = "staff-a"


@pytest.fixture
def db(database_url, monkeypatch):
    """The app's database is ``database_url``; the provider is installed, polling at every call."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")
    reset_settings()
    published = provider.install(provider.Published(poll_seconds=0))
    yield default_engine()
    provider.uninstall()
    assert published is not None


def wangchuan_meta(**changes) -> NoticeMeta:
    values = dict(newcity.META, file="", districts=newcity.DISTRICTS, district_aliases=newcity.DISTRICT_ALIASES)
    values.update(changes)
    return NoticeMeta(**values)
