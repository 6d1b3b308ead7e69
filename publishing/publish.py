"""Publishing and unpublishing: the database, the shared search index, and this process.

Publishing embeds the notice's chunks into the (shared) Chroma collection first — only
adding, never pruning, since another process may be publishing at the same moment —
then marks it published and its extracted targets pending in one transaction. Every
process sees the new version at its next poll; this one at once. Unpublishing marks it
and bumps the versions first (answers stop using it at the next poll), then deletes its
vectors; the file, the text and the reviewed rows stay in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from civic.db import session_scope
from publishing import provider
from publishing.notices import check_publishable, get_notice, mark_published, mark_unpublished, meta_of
from publishing.targets import add_extracted
from retrieval.corpus import Corpus, build_notice_from_text, load_corpus
from retrieval.index import drop_notice, sync

Progress = Callable[[int, int], None]


def publish(*, engine: Engine, notice_id: str, user: str, progress: Progress | None = None) -> int:
    """Embed, then publish; returns the number of chunks embedded. ValueError: a Chinese reason."""
    corpus = load_corpus()
    with session_scope(engine) as session:
        row = get_notice(session=session, notice_id=notice_id)
        if row.status == "published":
            raise ValueError("这份通知已经发布")
        check_publishable(row=row, corpus=corpus)
        notice = build_notice_from_text(meta_of(row), row.text)
    embedded = sync(Corpus(notices={**corpus.notices, notice.meta.id: notice}), prune=False, progress=progress)
    with session_scope(engine) as session:
        mark_published(session=session, notice_id=notice_id, user=user)
        add_extracted(session=session, notice=notice)
    _refresh()
    return embedded.added


def unpublish(*, engine: Engine, notice_id: str, user: str) -> None:
    with session_scope(engine) as session:
        mark_unpublished(session=session, notice_id=notice_id, user=user)
    _refresh()
    drop_notice(notice_id)


def _refresh() -> None:
    if (published := provider.installed()) is not None:
        published.refresh()
