"""Where the notices come from: the corpus manifest, and notices the app hands in.

``corpus/manifest.json`` lists the bundled notices (and those added with
``python -m retrieval.ingest --add``): each entry names the file and carries the
notice's metadata and its place knowledge (city, province, aliases, districts).

Notices published by staff live in the app's database, which this package never
touches: the app registers a provider with :func:`set_notice_provider` that
returns a version string and the published notices as plain data. Whatever reads
the corpus (:func:`retrieval.corpus.load_corpus`, :func:`retrieval.places.places`)
asks :func:`notice_sources` and so sees a publication as soon as the provider's
version changes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

log = logging.getLogger(__name__)

_LIST_FIELDS = ("aliases", "districts", "district_aliases")


@dataclass(frozen=True)
class NoticeMeta:
    id: str
    file: str
    city: str
    province: str
    title: str
    issuer: str
    date: str | None
    doc_number: str | None
    script: str  # "simplified" or "traditional"
    # Place knowledge: other names of the city (it and 城市+市 are implied), its districts,
    # counties and towns, and short forms of those a resident may use (兴城 for 兴城市).
    aliases: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    district_aliases: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, entry: dict) -> NoticeMeta:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in entry.items() if k in known}
        for name in _LIST_FIELDS:
            values[name] = tuple(values.get(name) or ())
        return cls(**values)

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in _LIST_FIELDS:
            data[name] = list(data[name])
        return data


@dataclass(frozen=True)
class NoticeSource:
    """A notice handed in by the app: its metadata and its plain text."""

    meta: NoticeMeta
    text: str


Provider = Callable[[], tuple[str, tuple[NoticeSource, ...]]]
_provider: Provider | None = None
_lock = threading.Lock()
_manifest_cache: dict[str, tuple[int, tuple[NoticeMeta, ...]]] = {}
_metas_cache: dict[str, tuple[tuple, tuple[NoticeMeta, ...]]] = {}


def set_notice_provider(provider: Provider | None) -> None:
    """Register (or with None, remove) the app's source of published notices."""
    global _provider
    _provider = provider


def provided_notices() -> tuple[str, tuple[NoticeSource, ...]]:
    """The provider's version and notices; ("", ()) without a provider or when it fails.

    A failing provider (the database briefly down) must not take the bundled
    notices down with it: the error is logged and the bundled corpus answers.
    """
    provider = _provider
    if provider is None:
        return "", ()
    try:
        return provider()
    except Exception:  # noqa: BLE001 - any storage error: answer from the bundled notices
        log.exception("published notices could not be read; answering from the bundled notices")
        return "unavailable", ()


def read_manifest(corpus_dir: Path) -> list[NoticeMeta]:
    """The manifest's entries (read again only when the file changes)."""
    path = corpus_dir / "manifest.json"
    mtime = path.stat().st_mtime_ns
    with _lock:
        cached = _manifest_cache.get(str(path))
    if cached and cached[0] == mtime:
        return list(cached[1])
    data = json.loads(path.read_text(encoding="utf-8"))
    metas = tuple(NoticeMeta.from_dict(entry) for entry in data["notices"])
    with _lock:
        _manifest_cache[str(path)] = (mtime, metas)
    return list(metas)


def notice_metas(corpus_dir: Path) -> tuple[NoticeMeta, ...]:
    """Every notice's metadata: the manifest's, then the provided ones (a provided id or city
    that the manifest already has is left out, so a bundled notice can never be shadowed).

    The same tuple object is returned while nothing changed, so callers may cache on it.
    """
    metas = read_manifest(corpus_dir)
    version, provided = provided_notices()
    key = (str(corpus_dir), _manifest_cache[str(corpus_dir / "manifest.json")][0], version)
    with _lock:
        cached = _metas_cache.get(str(corpus_dir))
    if cached and cached[0] == key:
        return cached[1]
    combined = tuple(metas + [s.meta for s in accepted(metas, provided)])
    with _lock:
        _metas_cache[str(corpus_dir)] = (key, combined)
    return combined


def accepted(metas: list[NoticeMeta], provided: tuple[NoticeSource, ...]) -> list[NoticeSource]:
    ids = {m.id for m in metas}
    cities = {m.city for m in metas}
    out = []
    for source in provided:
        if source.meta.id in ids or source.meta.city in cities:
            log.warning("published notice %s clashes with a bundled one; left out", source.meta.id)
            continue
        ids.add(source.meta.id)
        cities.add(source.meta.city)
        out.append(source)
    return out
