"""The publishing tables (prefix ``publishing_``) on the app's shared schema.

Schema changes go through the shared migrations (``civic/migrations``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from civic.db import Base


class Notice(Base):
    """One uploaded notice: the file as given, its text, metadata and where it stands."""

    __tablename__ = "publishing_notices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    city: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    date: Mapped[str | None] = mapped_column(String(10))
    doc_number: Mapped[str | None] = mapped_column(String(200))
    script: Mapped[str] = mapped_column(String(16))
    places: Mapped[str] = mapped_column(Text)  # JSON: aliases, districts, district_aliases
    file_name: Mapped[str] = mapped_column(String(255))  # as uploaded, for the record
    suffix: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the file exactly as uploaded
    text: Mapped[str] = mapped_column(Text)  # its plain text, as parsed
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft, published, unpublished
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    unpublished_by: Mapped[str | None] = mapped_column(String(64))
    unpublished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TargetRow(Base):
    """One target row of a published notice, as extracted and as reviewed (``review``)."""

    __tablename__ = "publishing_targets"
    __table_args__ = (UniqueConstraint("notice_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(ForeignKey("publishing_notices.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer)
    clause: Mapped[str] = mapped_column(String(64))
    theme: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(255))
    value: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(32))
    year: Mapped[str] = mapped_column(String(16))
    baseline: Mapped[str] = mapped_column(String(64))
    qualifier: Mapped[str] = mapped_column(String(64))
    quote: Mapped[str] = mapped_column(Text)
    review: Mapped[str] = mapped_column(String(16))  # pending, confirmed, corrected, added, rejected
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewEvent(Base):
    """Who did what to which target row, and when (kept when the row changes again)."""

    __tablename__ = "publishing_review_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[str] = mapped_column(String(64), index=True)
    row_key: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(16))  # confirmed, corrected, rejected, added
    changes: Mapped[str] = mapped_column(Text)  # JSON: field -> [before, after]
    user: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Version(Base):
    """Counters every app process polls: "notices" (publication) and "targets" (reviews)."""

    __tablename__ = "publishing_versions"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
