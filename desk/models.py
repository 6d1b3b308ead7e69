"""The desk's tables (prefix ``desk_``) on the app's shared schema (``civic.db``).

- ``desk_questions``: one row per question a resident asked, personal data masked before it is
  stored, with the outcome and the resident's vote. No IP address and no session id: ``ref`` is a
  random token only the asking browser holds (to vote), ``conversation`` a random token that only
  links the questions of one conversation.
- ``desk_links`` and ``desk_word_pairs``: what staff taught, who and when, undone rows kept
  (``undone_at``) so the history stays visible; ``uses`` counts answers that used them.
- ``desk_version``: one row, bumped by every change to what staff taught, so each app process
  sees a change by reading one number.

Timestamps are naive UTC. Schema changes go through the shared migrations (``civic/migrations``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from civic.db import Base


class LoggedQuestion(Base):
    __tablename__ = "desk_questions"
    __table_args__ = (Index("ix_desk_questions_status_asked", "status", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # random; the asking browser votes with it
    conversation: Mapped[str] = mapped_column(String(32), index=True)  # random per conversation
    asked_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    city_chosen: Mapped[str | None] = mapped_column(String(20))  # the page's city choice, None: 不限城市
    cities: Mapped[str] = mapped_column(String(120), default="")  # the cities searched, "、"-joined
    question: Mapped[str] = mapped_column(Text)  # as typed, masked
    rewritten: Mapped[str | None] = mapped_column(Text)  # a follow-up written out, masked
    status: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="")
    cited: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [[notice_id, clause_path], …]
    taught_link: Mapped[int | None] = mapped_column(Integer)  # desk_links.id that answered it
    word_pairs: Mapped[str] = mapped_column(String(200), default="")  # desk_word_pairs ids found, ","-joined
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    useful: Mapped[bool | None] = mapped_column(Boolean)  # the resident's vote: 有用 / 没用 / none
    reasons: Mapped[str] = mapped_column(String(120), default="")  # 没用 reasons, "、"-joined
    comment: Mapped[str] = mapped_column(String(400), default="")  # optional, masked
    voted_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(40))


class Link(Base):
    """A logged question linked to the sentence of a clause that answers it."""

    __tablename__ = "desk_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)  # masked
    city: Mapped[str] = mapped_column(String(20))
    notice_id: Mapped[str] = mapped_column(String(64))
    clause_path: Mapped[str] = mapped_column(String(120))
    quote: Mapped[str] = mapped_column(Text)  # an exact sentence or list item of the clause
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(40))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class WordPair(Base):
    """A resident's word and the words the notices use for it."""

    __tablename__ = "desk_word_pairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    everyday: Mapped[str] = mapped_column(String(40))
    notice_words: Mapped[str] = mapped_column(String(200))  # "、"-joined
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(40))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class Version(Base):
    """One row: a number bumped by every change to links and word pairs."""

    __tablename__ = "desk_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
