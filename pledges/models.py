"""SQLAlchemy 2 models. Every table is prefixed ``pledge_`` so the package can share
a database with others (the shared Base of ``civic.db``); schema changes go through
the shared Alembic migrations in ``civic/migrations``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.db import Base


class Campaign(Base):
    __tablename__ = "pledge_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(20))  # None: open to every city
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    goal: Mapped[int] = mapped_column(Integer)
    intro: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7), default="#2e7d32")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    items: Mapped[list[CampaignItem]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="CampaignItem.position"
    )


class CampaignItem(Base):
    """A catalogue item as worded in this campaign; the wording is frozen once signed."""

    __tablename__ = "pledge_campaign_items"
    __table_args__ = (UniqueConstraint("campaign_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("pledge_campaigns.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)

    campaign: Mapped[Campaign] = relationship(back_populates="items")


class Signature(Base):
    __tablename__ = "pledge_signatures"
    __table_args__ = (
        UniqueConstraint("campaign_id", "dedup_hash"),
        Index("ix_pledge_signatures_campaign_created", "campaign_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(12), unique=True)  # shown on the certificate
    campaign_id: Mapped[int] = mapped_column(ForeignKey("pledge_campaigns.id", ondelete="CASCADE"))
    dedup_hash: Mapped[str] = mapped_column(String(64))  # HMAC of normalised contact or browser token
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC of the private link token
    city: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(40))
    display_name: Mapped[str | None] = mapped_column(String(40))
    name_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Set when retention removed everything personal (pledges.retention); hashes are then "anon-<id>".
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime)

    items: Mapped[list[SignatureItem]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    checkins: Mapped[list[CheckIn]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    reminder: Mapped[Reminder | None] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class Reminder(Base):
    """An email address kept in clear for check-in reminders, and nothing else.

    Made only when the signer asks for email reminders on a deployment with SMTP; used only
    after the signer opened the confirmation link (double opt-in); deleted on unsubscribe,
    when its campaign ends, when left unconfirmed, and with its signature.
    """

    __tablename__ = "pledge_reminders"
    __table_args__ = (Index("ix_pledge_reminders_next_due_at", "next_due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_signatures.id", ondelete="CASCADE"), unique=True
    )
    channel: Mapped[str] = mapped_column(String(16))  # "email"; SMS or WeChat would be further channels
    address: Mapped[str] = mapped_column(String(100))
    nonce: Mapped[str] = mapped_column(String(32))  # keys this row's confirm/unsubscribe/check-in links
    created_at: Mapped[datetime] = mapped_column(DateTime)
    confirm_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    next_due_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: nothing due (pending or done)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_count: Mapped[int] = mapped_column(Integer, default=0)


class SignatureItem(Base):
    __tablename__ = "pledge_signature_items"

    signature_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_signatures.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(40), primary_key=True)


class CheckIn(Base):
    __tablename__ = "pledge_checkins"
    __table_args__ = (UniqueConstraint("signature_id", "item_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("pledge_signatures.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)


class StaffUser(Base):
    __tablename__ = "pledge_staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class StaffSession(Base):
    __tablename__ = "pledge_staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("pledge_staff_users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class RateEvent(Base):
    """One attempt counted against a rate limit; ``bucket`` is a keyed hash, never a raw address."""

    __tablename__ = "pledge_rate_events"
    __table_args__ = (Index("ix_pledge_rate_events_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)
