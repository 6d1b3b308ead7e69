"""Submissions already stored: what a retry of a signing submission finds.

A signature made with an idempotency key has a private-link token derived from that key
(:func:`pledges.identity.token_for_submission`), so the token hash finds it again. The
thank-you page of a retry is rebuilt from the row: reference, name, items as worded in the
campaign, and whether a reminder confirmation is still to be sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledges.models import Campaign, CampaignItem, Reminder, Signature, SignatureItem


@dataclass
class Stored:
    """A signature already in the database, as its thank-you page showed it."""

    ref: str
    display_name: str | None
    created_at: datetime
    campaign_id: int
    campaign_title: str
    campaign_ends_on: date | None
    item_titles: list[str]
    reminder_id: int | None
    reminder_pending: bool


def stored_outcomes(*, session: Session, hashes: set[str]) -> dict[str, Stored]:
    """Signatures by token hash, with their items and reminder, in one query."""
    if not hashes:
        return {}
    hashes = set(session.scalars(select(Signature.token_hash).where(Signature.token_hash.in_(sorted(hashes)))))
    if not hashes:  # the usual case, a first attempt: one index look-up and nothing more
        return {}
    rows = session.execute(
        select(Signature.token_hash, Signature.ref, Signature.display_name, Signature.created_at,
               Signature.campaign_id, Campaign.title, Campaign.ends_on, CampaignItem.title,
               Reminder.id, Reminder.confirm_sent_at)
        .join(Campaign, Campaign.id == Signature.campaign_id)
        .outerjoin(SignatureItem, SignatureItem.signature_id == Signature.id)
        .outerjoin(CampaignItem, (CampaignItem.campaign_id == Signature.campaign_id)
                   & (CampaignItem.item_id == SignatureItem.item_id))
        .outerjoin(Reminder, Reminder.signature_id == Signature.id)
        .where(Signature.token_hash.in_(sorted(hashes)))
        .order_by(CampaignItem.position)
    ).all()
    found: dict[str, Stored] = {}
    for th, ref, name, at, cid, title, ends, item, rid, sent in rows:
        entry = found.setdefault(th, Stored(ref, name, at, cid, title, ends, [], rid, rid is not None and not sent))
        if item is not None:
            entry.item_titles.append(item)
    return found
