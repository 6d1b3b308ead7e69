"""The search index: BM25 over jieba tokens (in memory) and dense vectors in Chroma.

Chroma is an embedded ``PersistentClient`` in the data directory by default and
an ``HttpClient`` when ``CHROMA_URL`` names a server. Ingestion is idempotent:
each chunk's content hash is stored with it, and only new or changed chunks are
embedded again.

The embedded store is derived data, so a damaged one (a garbled or truncated
``chroma.sqlite3``, an unreadable vector segment) is moved aside to
``index/chroma.damaged`` and built again from the corpus instead of failing.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlparse

import bm25s
import chromadb
import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from civic.settings import Settings, get_settings
from retrieval.corpus import Chunk, Corpus, load_corpus
from retrieval.embeddings import get_embedder
from retrieval.lexicon import index_tokens_of
from retrieval.parse import split_departments
from retrieval.units import Unit, chunk_units, unit_passage

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
_BATCH = 16


class IndexMissing(RuntimeError):
    """The dense index is absent or out of date; run ``python -m retrieval.ingest``."""


class IndexDamaged(IndexMissing):
    """The embedded Chroma store cannot be read; :func:`sync` sets it aside and builds a new one."""


def chroma_client(settings: Settings) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_name(settings: Settings) -> str:
    return f"notices-{settings.embedding_model}"


def units_collection_name(settings: Settings) -> str:
    return f"{collection_name(settings)}-units"


def _collection(settings: Settings, client: chromadb.ClientAPI | None = None, *, units: bool = False):
    client = client or chroma_client(settings)
    embedder = _embedder(settings.embedding_model)
    return client.get_or_create_collection(
        name=units_collection_name(settings) if units else collection_name(settings),
        embedding_function=embedder,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedding_model": settings.embedding_model, "dimensions": embedder.dimensions},
    )


@lru_cache(maxsize=4)
def _embedder(name: str):
    return get_embedder(name)


def passage_text(chunk: Chunk) -> str:
    """What is embedded and BM25-indexed: the heading breadcrumb, then the clause text.

    Brackets naming the responsible departments are left out: they say who, not what.
    """
    return f"{chunk.breadcrumb}：{split_departments(chunk.text)[0]}"


@dataclass
class SyncReport:
    added: int
    removed: int
    unchanged: int
    repaired: bool = False  # a damaged store was set aside and built again


def sync(corpus: Corpus | None = None, *, rebuild: bool = False, progress: Progress | None = None,
         prune: bool = True) -> SyncReport:
    """Bring the Chroma collection in line with the corpus; embed only what changed.

    An embedded store that cannot be read is set aside and rebuilt from scratch.
    ``prune=False`` only adds: chunks this corpus does not know stay (another process
    may be publishing a notice into the same collection at this moment).
    """
    settings = get_settings()
    corpus = corpus or load_corpus()
    repaired = False
    _embedder(settings.embedding_model)  # a model that fails to load is not a damaged store
    try:
        client = chroma_client(settings)
        if rebuild:
            for name in (collection_name(settings), units_collection_name(settings)):
                with contextlib.suppress(NotFoundError):  # absent collection: nothing to delete
                    client.delete_collection(name)
        collection = _collection(settings, client)
        unit_collection = _collection(settings, client, units=True)
        existing = _read_checked(collection)
        existing_units = _read_checked(unit_collection)
    except Exception as exc:  # noqa: BLE001 - chromadb raises several types for a damaged store
        if settings.chroma_url:
            raise  # a server's store is not ours to discard
        log.warning("search index damaged (%s); setting it aside and rebuilding", exc)
        set_aside_store(settings)
        repaired = True
        collection = _collection(settings)
        unit_collection = _collection(settings, units=True)
        existing = collection.get(include=["metadatas"])
        existing_units = unit_collection.get(include=["metadatas"])
    stored = _hashes(existing)
    wanted = {c.id: c for c in corpus.chunks}
    stale = [i for i in stored if i not in wanted] if prune else []
    todo = [c for c in corpus.chunks if stored.get(c.id) != c.content_hash]
    records = _unit_records(corpus)
    stored_units = _hashes(existing_units)
    stale_units = [i for i in stored_units if i not in records] if prune else []
    todo_units = [(i, r) for i, r in records.items() if stored_units.get(i) != r[1]["hash"]]
    total = len(todo) + len(todo_units)
    if stale:
        collection.delete(ids=stale)
    if stale_units:
        unit_collection.delete(ids=stale_units)
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        collection.upsert(
            ids=[c.id for c in batch],
            documents=[passage_text(c) for c in batch],
            metadatas=[_metadata(c) for c in batch],
        )
        if progress:
            progress(min(start + _BATCH, len(todo)), total)
    for start in range(0, len(todo_units), _BATCH):
        batch = todo_units[start : start + _BATCH]
        unit_collection.upsert(
            ids=[i for i, _ in batch], documents=[r[0] for _, r in batch], metadatas=[r[1] for _, r in batch],
        )
        if progress:
            progress(len(todo) + min(start + _BATCH, len(todo_units)), total)
    _open_index.cache_clear()
    return SyncReport(added=len(todo), removed=len(stale), unchanged=len(wanted) - len(todo), repaired=repaired)


def _hashes(existing: dict) -> dict[str, str | None]:
    return {i: (m or {}).get("hash") for i, m in zip(existing["ids"], existing["metadatas"], strict=True)}


def _unit_records(corpus: Corpus) -> dict[str, tuple[str, dict]]:
    """Every quotable unit: id → (text to embed, metadata with its content hash)."""
    out = {}
    for n, chunk in enumerate(corpus.chunks):
        for unit in chunk_units(chunk, n):
            out[f"{chunk.id}#{unit.n}"] = (unit_passage(unit, chunk), {"city": chunk.city, "hash": unit.content_hash(chunk)})
    return out


def _read_checked(collection) -> dict:  # noqa: ANN001 - chromadb's Collection
    """Every record's metadata, after one vector query: both raise when the store is damaged."""
    existing = collection.get(include=["metadatas"])
    dims = int((collection.metadata or {}).get("dimensions") or 0)
    if existing["ids"] and dims:
        collection.query(query_embeddings=[[1.0] + [0.0] * (dims - 1)], n_results=1, include=[])
    return existing


def set_aside_store(settings: Settings) -> None:
    """Move the embedded store to ``index/chroma.damaged`` (replacing an older one) and forget it."""
    SharedSystemClient.clear_system_cache()  # drop clients still holding the damaged files
    _open_index.cache_clear()
    damaged = settings.index_dir / "chroma.damaged"
    shutil.rmtree(damaged, ignore_errors=True)
    if settings.chroma_dir.exists():
        settings.chroma_dir.rename(damaged)


def _metadata(chunk: Chunk) -> dict:
    return {
        "notice_id": chunk.notice_id,
        "city": chunk.city,
        "clause_path": chunk.clause_path,
        "heading": chunk.heading,
        "start": chunk.start,
        "end": chunk.end,
        "hash": chunk.content_hash,
    }


def pending_chunks(corpus: Corpus | None = None) -> int:
    """How many chunks and units still need embedding (0 means the app can start at once)."""
    corpus = corpus or load_corpus()
    settings = get_settings()
    existing = _collection(settings).get(include=["metadatas"])
    return _pending(corpus, existing, _collection(settings, units=True).get(include=["metadatas"]))


def _pending(corpus: Corpus, existing: dict, existing_units: dict) -> int:
    """Chunks and units of the corpus not embedded as they are now.

    Records the corpus does not know are not counted: with notices published while the
    app runs, another process may already have embedded one this process has not loaded
    yet (search ignores records it does not know; ``sync`` prunes them).
    """
    stored = _hashes(existing)
    missing = sum(1 for c in corpus.chunks if stored.get(c.id) != c.content_hash)
    stored_units = _hashes(existing_units)
    return missing + sum(1 for i, r in _unit_records(corpus).items() if stored_units.get(i) != r[1]["hash"])


def drop_notice(notice_id: str) -> int:
    """Delete one notice's vectors, chunks and units (when it is unpublished); returns how many chunks."""
    settings = get_settings()
    collection = _collection(settings)
    ids = collection.get(where={"notice_id": notice_id}, include=[])["ids"]
    if ids:
        collection.delete(ids=ids)
    units = _collection(settings, units=True)
    unit_ids = [i for i in units.get(include=[])["ids"] if i.startswith(f"{notice_id}:")]
    if unit_ids:
        units.delete(ids=unit_ids)
    _open_index.cache_clear()
    return len(ids)


class NoticeIndex:
    """Both halves of the hybrid index over one corpus."""

    def __init__(self, corpus: Corpus, settings: Settings):
        self.corpus = corpus
        self.chunks = corpus.chunks
        self.position = {c.id: n for n, c in enumerate(self.chunks)}
        self.cities = np.array([c.city for c in self.chunks])
        self.bm25 = bm25s.BM25()
        tokens = index_tokens_of([passage_text(c) for c in self.chunks])  # kept in the cache folder
        self.bm25.index([t or ["∅"] for t in tokens], show_progress=False)
        self.collection = _collection(settings)
        self.embedder = _embedder(settings.embedding_model)
        self._lock = threading.Lock()
        self.units: list[Unit] = [u for n, c in enumerate(self.chunks) for u in chunk_units(c, n)]
        self.units_of: list[list[int]] = [[] for _ in self.chunks]
        for k, unit in enumerate(self.units):
            self.units_of[unit.chunk_index].append(k)
        chunk_ids = [c.id for c in self.chunks]
        stored_chunks = self.collection.get(ids=chunk_ids, include=["embeddings"])
        by_id = dict(zip(stored_chunks["ids"], stored_chunks["embeddings"], strict=True))
        self.chunk_vectors = _unit_length(np.asarray([by_id[i] for i in chunk_ids], dtype=np.float32))
        ids = [f"{self.chunks[u.chunk_index].id}#{u.n}" for u in self.units]
        stored = _collection(settings, units=True).get(ids=ids, include=["embeddings"])
        vectors = dict(zip(stored["ids"], stored["embeddings"], strict=True))
        self.unit_vectors = _unit_length(np.asarray([vectors[i] for i in ids], dtype=np.float32).reshape(len(ids), -1))
        self.unit_city = np.array([self.chunks[u.chunk_index].city for u in self.units])

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.embedder.embed_query([text])[0], dtype=np.float32)

    def unit_similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every unit to a query vector (the vectors are unit length)."""
        return self.unit_vectors @ vector

    def bm25_ranking(self, tokens: list[str], cities: list[str] | None, limit: int) -> list[int]:
        if not tokens:
            return []
        with self._lock:  # bm25s keeps per-call state
            scores = np.asarray(self.bm25.get_scores(tokens), dtype=float)
        if cities:
            scores = np.where(np.isin(self.cities, cities), scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [int(i) for i in order if scores[i] > 0]

    def dense_ranking(self, query: str | np.ndarray, cities: list[str] | None, limit: int) -> list[int]:
        """Chunks by cosine similarity to the query, from the vectors read out of the store at start.

        A few hundred chunks are ranked exactly in well under a millisecond, with no round trip to
        a Chroma server; the store stays the place the vectors are kept and shared.
        """
        vector = self.embed_query(query) if isinstance(query, str) else query
        sims = self.chunk_vectors @ np.asarray(vector, dtype=np.float32)
        if cities:
            sims = np.where(np.isin(self.cities, cities), sims, -np.inf)
        order = np.argsort(-sims, kind="stable")[:limit]
        return [int(i) for i in order if np.isfinite(sims[i])]


def _unit_length(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1))
    return vectors / np.maximum(norms, 1e-12)


def ensure_index(progress: Progress | None = None) -> NoticeIndex:
    """The ready index, building, updating or repairing it first when needed."""
    try:
        return open_index()
    except IndexMissing as missing:
        sync(rebuild=isinstance(missing, IndexDamaged), progress=progress)
        return open_index()


def open_index() -> NoticeIndex:
    """The ready index; raises :class:`IndexMissing` when ingestion has not run
    (:class:`IndexDamaged` when the embedded store cannot be read)."""
    settings = get_settings()
    corpus = load_corpus()
    return _open_index(str(settings.data_dir), settings.embedding_model, corpus.fingerprint())


@lru_cache(maxsize=2)
def _open_index(_data_dir: str, _model: str, _fingerprint: str) -> NoticeIndex:
    settings = get_settings()
    corpus = load_corpus()
    _embedder(settings.embedding_model)  # a model that fails to load is not a damaged store
    if not settings.chroma_url:
        # The corpus changed (or this is the first open). Another process on this machine may have
        # embedded a published notice into the shared store: an embedded client keeps the vector
        # index it loaded, so open the store afresh. Indexes still in use keep working on their client.
        SharedSystemClient.clear_system_cache()
    try:
        existing = _read_checked(_collection(settings))
        existing_units = _read_checked(_collection(settings, units=True))
    except Exception as exc:  # noqa: BLE001 - chromadb raises several types for a damaged store
        if settings.chroma_url:
            raise
        raise IndexDamaged("检索索引已损坏") from exc
    if _pending(corpus, existing, existing_units):
        raise IndexMissing("索引缺失或已过期")
    return NoticeIndex(corpus, settings)
