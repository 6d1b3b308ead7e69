"""Retention that runs itself: what is personal in a signature is removed on a schedule.

``python -m pledges.remind`` calls :func:`run` before sending anything. Periods come
from the settings (``pledge_retention_days`` after a campaign's last day;
``pledge_open_ended_days`` after signing for a campaign without an end date), and
the privacy notice on the signing page states the same numbers (:mod:`pledges.privacy`).

Anonymising keeps the row, its district, items, check-in days and dates, so counts,
charts and exports still add up; it removes the keyed hash of the contact or
per-browser token (the row no longer recognises its signer), the private-link hash
(the link stops working), the display name and any reminder address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, and_, cast, delete, literal, or_, select, update
from sqlalchemy.orm import Session

from civic.settings import get_settings
from pledges.models import Campaign, Reminder, Signature
from pledges.ratelimit import prune
from pledges.tunables import local_date, tunables


@dataclass(frozen=True)
class Removed:
    signatures_anonymised: int = 0
    reminders_deleted: int = 0
    rate_events_pruned: int = 0


def personal_until(*, ends_on: date | None, signed_at: datetime) -> date:
    """The last local day a signature keeps anything personal."""
    settings = get_settings()
    if ends_on is not None:
        return ends_on + timedelta(days=settings.pledge_retention_days)
    return local_date(signed_at) + timedelta(days=settings.pledge_open_ended_days)


def _expired(now: datetime):
    """Signatures past their period: campaign ended long enough ago, or signed long ago without an end."""
    settings = get_settings()
    today = local_date(now)
    ended_before = today - timedelta(days=settings.pledge_retention_days)
    # A superset on the naive-UTC column; personal_until() decides on local days.
    signed_before = now - timedelta(days=settings.pledge_open_ended_days)
    return or_(
        Campaign.ends_on < ended_before,
        and_(Campaign.ends_on.is_(None), Signature.created_at < signed_before),
    )


def anonymise_expired(*, session: Session, now: datetime) -> int:
    """Remove the personal parts of every signature past its period; returns how many."""
    candidates = session.execute(
        select(Signature.id, Signature.created_at, Campaign.ends_on)
        .join(Campaign, Campaign.id == Signature.campaign_id)
        .where(Signature.anonymised_at.is_(None), _expired(now))
    ).all()
    today = local_date(now)
    ids = [sid for sid, at, ends in candidates if personal_until(ends_on=ends, signed_at=at) < today]
    if not ids:
        return 0
    session.execute(delete(Reminder).where(Reminder.signature_id.in_(ids)))
    marker = literal("anon-") + cast(Signature.id, String)
    session.execute(
        update(Signature).where(Signature.id.in_(ids))
        .values(dedup_hash=marker, token_hash=marker, display_name=None, name_hidden=False, anonymised_at=now)
        .execution_options(synchronize_session=False)
    )
    return len(ids)


def expire_reminders(*, session: Session, now: datetime) -> int:
    """Delete addresses no longer needed: never confirmed in time, or their campaign is over."""
    stale = now - timedelta(days=int(tunables()["reminders"]["pending_days"]))
    ended = select(Signature.id).join(Campaign, Campaign.id == Signature.campaign_id).where(
        Campaign.ends_on < local_date(now))
    result = session.execute(
        delete(Reminder).where(or_(
            and_(Reminder.confirmed_at.is_(None), Reminder.created_at < stale),
            Reminder.signature_id.in_(ended),
        ))
    )
    return result.rowcount or 0


def run(*, session: Session, now: datetime) -> Removed:
    """Everything retention does, in the caller's transaction."""
    return Removed(
        signatures_anonymised=anonymise_expired(session=session, now=now),
        reminders_deleted=expire_reminders(session=session, now=now),
        rate_events_pruned=prune(session=session, now=now),
    )
