"""An index over the bundled notices, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic.settings import reset_settings
from retrieval.index import sync


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
