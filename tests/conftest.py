"""Shared fixtures: every test gets its own data directory and fresh settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT, get_settings, reset_settings
from retrieval.index import sync

# jieba and chroma write caches; keep them out of /tmp and out of the user's home.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point CIVIC_DATA_DIR at a temp folder for each test."""
    directory = tmp_path / "data"
    monkeypatch.setenv("CIVIC_DATA_DIR", str(directory))
    monkeypatch.setenv("CIVIC_SECRET_KEY", "test-secret")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CHROMA_URL", raising=False)
    reset_settings()
    yield directory
    reset_settings()


@pytest.fixture(autouse=True)
def _desk_threads():
    """Stop the desk's per-process log writer and teachings poller (and forget the published
    notices' provider) after a test that ran a page.

    The pages start them once per process and database (webui/desk_services.py); tests switch
    databases, so each test's threads stop with it instead of polling a deleted database.
    """
    yield
    import sys

    module = sys.modules.get("webui.desk_services")
    if module is not None:
        module.close_all()
    # The app installs the published-notices provider for its process, on the test's database;
    # the next test has another database.
    published = sys.modules.get("publishing.provider")
    if published is not None and published.installed() is not None:
        published.uninstall()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def settings(data_dir: Path):
    return get_settings()


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("CIVIC_DATA_DIR", str(directory))
    reset_settings()
    sync()
    mp.undo()
    reset_settings()
    return directory


@pytest.fixture
def indexed(built_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the settings at the session's built index."""
    monkeypatch.setenv("CIVIC_DATA_DIR", str(built_index))
    reset_settings()
    return built_index


@pytest.fixture
def asker(indexed):
    from retrieval.answer import get_asker

    return get_asker()


from tests.browser import _browser, browser_page, served_app  # noqa: E402,F401  (fixtures)
from tests.databases import database_url  # noqa: E402,F401  (fixture: SQLite and PostgreSQL)
from tests.smtp import smtp_inbox  # noqa: E402,F401  (fixture: a real SMTP server on 127.0.0.1)
