"""The search index missing or damaged when the app starts: rebuilt with a message.

Each test copies a built store, damages it the way a disk, a crash or a careless
clean-up would, and opens the Ask page in-process (Streamlit's AppTest): the page
must show a Chinese message, no traceback, rebuild the index and then answer.
The store is built with the small ``static`` embedder to keep the tests quick;
the repair path does not depend on the model.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT, reset_settings
from retrieval.index import IndexDamaged, IndexMissing, open_index, sync

APP = str(REPO_ROOT / "streamlit_app.py")
BUILT = "检索索引已建立，可以提问了。"
REBUILT = "检索索引已重新建立，可以提问了。"


@pytest.fixture(scope="module")
def static_store(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("static-index")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CIVIC_DATA_DIR", str(directory))
        mp.setenv("CIVIC_EMBEDDING_MODEL", "static")
        reset_settings()
        sync()
    reset_settings()
    return directory


@pytest.fixture
def store(static_store, data_dir, monkeypatch) -> Path:
    """A private copy of the built store in this test's data dir."""
    shutil.copytree(static_store, data_dir)
    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")
    reset_settings()
    st.cache_resource.clear()  # the page caches its asker per process
    yield data_dir / "index" / "chroma"
    st.cache_resource.clear()


def _delete_store(chroma: Path) -> None:
    shutil.rmtree(chroma)


def _garble_sqlite(chroma: Path) -> None:
    db = chroma / "chroma.sqlite3"
    db.write_bytes(bytes(range(256)) * (db.stat().st_size // 256))


def _truncate_sqlite(chroma: Path) -> None:
    db = chroma / "chroma.sqlite3"
    with db.open("r+b") as fh:
        fh.truncate(db.stat().st_size // 3)


def _drop_hashes(chroma: Path) -> None:
    """The per-chunk content hashes (the record of what is embedded) are gone."""
    with sqlite3.connect(chroma / "chroma.sqlite3") as conn:
        assert conn.execute("DELETE FROM embedding_metadata WHERE key = 'hash'").rowcount > 0
    conn.close()


@pytest.mark.parametrize(
    ("damage", "expected", "message"),
    [
        (_delete_store, IndexMissing, BUILT),
        (_garble_sqlite, IndexDamaged, REBUILT),
        (_truncate_sqlite, IndexDamaged, REBUILT),
        (_drop_hashes, IndexMissing, BUILT),
    ],
    ids=["store-deleted", "sqlite-garbage", "sqlite-truncated", "hashes-deleted"],
)
def test_ask_page_rebuilds_and_answers(store, damage, expected, message):
    damage(store)
    with pytest.raises(expected) as raised:
        open_index()
    assert type(raised.value) is expected

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/ask.py").run()
    assert not at.exception and not at.error
    assert message in [i.value for i in at.info]
    assert (store.parent / "chroma.damaged").exists() == (expected is IndexDamaged)

    at.chat_input[0].set_value("石嘴山城市生活污水集中处理率目标是多少？").run()
    assert not at.exception
    assert "98%" in "\n".join(m.value for m in at.markdown)
    assert any("石嘴山" in e.label for e in at.expander)
    open_index()  # and the next process start opens it without rebuilding


def test_damaged_store_is_repaired_by_the_cli(store, capsys):
    from retrieval import ingest

    _garble_sqlite(store)
    assert ingest.main([]) == 0
    assert (store.parent / "chroma.damaged").exists()
    assert open_index().chunks
