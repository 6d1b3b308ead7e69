"""Uploading, previewing, publishing and unpublishing a notice (storage functions).

Every function takes ``session=`` and keyword arguments; a page opens one transaction per
action. A refusal raises ``ValueError`` with a Chinese message and writes nothing — the
checks are the command line's (:func:`retrieval.notice_check.prepare`) plus the ones
only the database can make (an id or a file already uploaded).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from publishing.models import Notice
from publishing.versions import bump
from retrieval.corpus import Corpus
from retrieval.corpus import Notice as ParsedNotice
from retrieval.notice_check import ParseReport, prepare, report
from retrieval.sources import NoticeMeta, NoticeSource

STATUS_LABELS = {"draft": "待发布", "published": "已发布", "unpublished": "已撤下"}


def utcnow() -> datetime:
    return datetime.now(UTC)


def meta_of(row: Notice) -> NoticeMeta:
    places = json.loads(row.places)
    return NoticeMeta(
        id=row.id, file=f"{row.id}{row.suffix}", city=row.city, province=row.province, title=row.title,
        issuer=row.issuer, date=row.date, doc_number=row.doc_number, script=row.script,
        aliases=tuple(places.get("aliases", ())), districts=tuple(places.get("districts", ())),
        district_aliases=tuple(places.get("district_aliases", ())),
    )


def source_of(row: Notice) -> NoticeSource:
    return NoticeSource(meta=meta_of(row), text=row.text)


@dataclass(frozen=True)
class Preview:
    """What staff see before publishing: the parsed notice and the parse summary."""

    notice: ParsedNotice
    report: ParseReport


def upload(*, session: Session, data: bytes, file_name: str, meta: NoticeMeta, corpus: Corpus, user: str) -> Preview:
    """Check a file and keep it as a draft (not yet answerable); returns the parse preview."""
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    prepared = prepare(data, suffix, meta, corpus)
    meta = prepared.meta
    if session.get(Notice, meta.id) is not None:
        raise ValueError(f"编号 {meta.id} 已被另一份上传的通知使用")
    digest = hashlib.sha256(data).hexdigest()
    same = session.scalar(select(Notice).where(Notice.sha256 == digest))
    if same is not None:
        raise ValueError(f"这个文件已经上传过（编号 {same.id}，{STATUS_LABELS[same.status]}）")
    others = session.scalars(select(Notice).where(Notice.status != "published", Notice.city == meta.city)).first()
    if others is not None:
        raise ValueError(f"{meta.city}已有一份上传的通知（编号 {others.id}，{STATUS_LABELS[others.status]}）")
    places = {"aliases": list(meta.aliases), "districts": list(meta.districts),
              "district_aliases": list(meta.district_aliases)}
    session.add(Notice(
        id=meta.id, city=meta.city, province=meta.province, title=meta.title, issuer=meta.issuer,
        date=meta.date, doc_number=meta.doc_number, script=meta.script,
        places=json.dumps(places, ensure_ascii=False), file_name=file_name[:255], suffix=suffix, content=data,
        text=prepared.notice.raw, sha256=digest, status="draft", uploaded_by=user, uploaded_at=utcnow(),
    ))
    session.flush()
    return Preview(notice=prepared.notice, report=prepared.report)


def list_notices(*, session: Session) -> list[Notice]:
    return list(session.scalars(select(Notice).order_by(Notice.uploaded_at.desc())))


def get_notice(*, session: Session, notice_id: str) -> Notice:
    row = session.get(Notice, notice_id)
    if row is None:
        raise ValueError(f"找不到编号为 {notice_id} 的通知")
    return row


def preview(*, row: Notice, corpus: Corpus) -> Preview:
    """The parse preview of a stored notice, compared with the notices answering now."""
    from retrieval.corpus import build_notice_from_text

    notice = build_notice_from_text(meta_of(row), row.text)
    others = Corpus(notices={k: v for k, v in corpus.notices.items() if k != row.id})
    return Preview(notice=notice, report=report(notice, others))


def published_sources(*, session: Session) -> tuple[NoticeSource, ...]:
    rows = session.scalars(select(Notice).where(Notice.status == "published").order_by(Notice.published_at))
    return tuple(source_of(r) for r in rows)


def check_publishable(*, row: Notice, corpus: Corpus) -> None:
    """Another notice for the city (or the id) may have appeared since the upload."""
    for other in corpus.notices.values():
        if other.meta.id == row.id:
            raise ValueError(f"编号 {row.id} 已在问答中使用")
        if other.meta.city == row.city:
            raise ValueError(f"{row.city}已有通知（编号 {other.meta.id}）在问答中，不能再发布一份")


def mark_published(*, session: Session, notice_id: str, user: str) -> Notice:
    row = get_notice(session=session, notice_id=notice_id)
    if row.status == "published":
        raise ValueError("这份通知已经发布")
    row.status, row.published_by, row.published_at = "published", user, utcnow()
    bump(session=session, name="notices")
    return row


def mark_unpublished(*, session: Session, notice_id: str, user: str) -> Notice:
    row = get_notice(session=session, notice_id=notice_id)
    if row.status != "published":
        raise ValueError("这份通知没有发布，无需撤下")
    row.status, row.unpublished_by, row.unpublished_at = "unpublished", user, utcnow()
    bump(session=session, name="notices")
    bump(session=session, name="targets")
    return row


def delete_draft(*, session: Session, notice_id: str) -> None:
    """A draft never published can be deleted (a wrong file); a notice once published is kept."""
    row = get_notice(session=session, notice_id=notice_id)
    if row.status != "draft":
        raise ValueError("只有从未发布过的草稿可以删除；撤下的通知保留原文件")
    session.delete(row)
