"""Email reminder subscriptions: the one place an address is kept in clear, and how it leaves.

Double opt-in: signing with email reminders stores a *pending* row and a confirmation
mail is sent; reminders go only to rows whose owner opened the confirmation link. Every
mail carries a one-click unsubscribe link that deletes the row. Rows also go when left
unconfirmed (``pending_days``), when their campaign ends, and with their signature.

Links are ``<row id>.<mac>`` keyed by the server secret and the row's random nonce
(:func:`pledges.identity.row_link`), so no token is stored. Claiming a due reminder or an
unsent confirmation is a compare-and-set UPDATE, so two runs of ``python -m pledges.remind``
at once (or the page and a run) send each mail once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pledges.identity import parse_row_link, row_link, row_link_matches
from pledges.messages import PledgeError
from pledges.models import Campaign, Reminder, Signature
from pledges.tunables import local_date, local_zone, tunables

CONFIRM, UNSUBSCRIBE, CHECK_IN = "reminder-confirm", "reminder-unsubscribe", "reminder-checkin"


def _conf() -> dict:
    return tunables()["reminders"]


def subscribe_many(*, session: Session, wanted: list[tuple[int, str, datetime]]) -> dict[int, int]:
    """Pending email subscriptions for new signatures: {signature id: reminder id}."""
    if not wanted:
        return {}
    rows = session.execute(
        insert(Reminder).returning(Reminder.signature_id, Reminder.id),
        [dict(signature_id=sid, channel="email", address=address, nonce=secrets.token_hex(16), created_at=now,
              sent_count=0) for sid, address, now in wanted],
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class MailView:
    """What one mail needs: where it goes, the campaign, and the row's links."""

    id: int
    address: str
    campaign_title: str
    confirm: str
    unsubscribe: str
    check_in: str


def mail_view(*, session: Session, reminder_id: int) -> MailView | None:
    row = session.execute(
        select(Reminder.id, Reminder.address, Reminder.nonce, Campaign.title)
        .join(Signature, Signature.id == Reminder.signature_id)
        .join(Campaign, Campaign.id == Signature.campaign_id)
        .where(Reminder.id == reminder_id)
    ).first()
    if row is None:
        return None
    rid, address, nonce, title = row
    return MailView(rid, address, title, row_link(CONFIRM, rid, nonce), row_link(UNSUBSCRIBE, rid, nonce),
                    row_link(CHECK_IN, rid, nonce))


def _by_link(session: Session, token: str, purpose: str) -> Reminder | None:
    parsed = parse_row_link(token)
    if parsed is None:
        raise PledgeError("reminder_link_invalid")
    reminder = session.get(Reminder, parsed[0])
    if reminder is not None and not row_link_matches(token, purpose, reminder.id, reminder.nonce):
        raise PledgeError("reminder_link_invalid")
    return reminder


def first_due(confirmed_at: datetime) -> datetime:
    """The first reminder: ``email_first_after_days`` later, at ``email_hour`` local time (naive UTC)."""
    conf = _conf()
    day = local_date(confirmed_at) + timedelta(days=int(conf["email_first_after_days"]))
    return _utc(datetime.combine(day, time(int(conf["email_hour"]))))


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=local_zone()).astimezone(UTC).replace(tzinfo=None)


def confirm(*, session: Session, token: str, now: datetime) -> str:
    """Open the confirmation link: reminders start. Returns the campaign title."""
    reminder = _by_link(session, token, CONFIRM)
    if reminder is None:
        raise PledgeError("reminder_link_invalid")
    if reminder.confirmed_at is None:
        reminder.confirmed_at = now
        reminder.next_due_at = first_due(now)
    return session.scalar(
        select(Campaign.title).join(Signature, Signature.campaign_id == Campaign.id)
        .where(Signature.id == reminder.signature_id)
    ) or ""


def unsubscribe(*, session: Session, token: str) -> bool:
    """One click: delete the row and with it the address. False if it was already gone."""
    reminder = _by_link(session, token, UNSUBSCRIBE)
    if reminder is None:
        return False
    session.execute(delete(Reminder).where(Reminder.id == reminder.id))
    return True


def signature_id_for_link(*, session: Session, token: str) -> int | None:
    """The signature a reminder mail's check-in link opens (None: no such subscription)."""
    try:
        reminder = _by_link(session, token, CHECK_IN)
    except PledgeError:
        return None
    return reminder.signature_id if reminder is not None and reminder.confirmed_at else None


def unsent_confirmations(*, session: Session, limit: int) -> list[int]:
    return list(session.scalars(
        select(Reminder.id).where(Reminder.confirm_sent_at.is_(None), Reminder.confirmed_at.is_(None))
        .order_by(Reminder.id).limit(limit)
    ))


def claim_confirmation(*, session: Session, reminder_id: int, now: datetime) -> bool:
    """Take the right to send this row's confirmation mail (only one caller wins)."""
    return session.execute(
        update(Reminder).where(Reminder.id == reminder_id, Reminder.confirm_sent_at.is_(None),
                               Reminder.confirmed_at.is_(None)).values(confirm_sent_at=now)
    ).rowcount == 1


def release_confirmation(*, session: Session, reminder_id: int, now: datetime) -> None:
    """The mail could not be sent: let a later run try again."""
    session.execute(update(Reminder).where(Reminder.id == reminder_id, Reminder.confirm_sent_at == now)
                    .values(confirm_sent_at=None))


def due(*, session: Session, now: datetime, limit: int) -> list[tuple[int, datetime]]:
    """Confirmed rows whose next reminder is due, oldest first: (id, due at)."""
    return [tuple(r) for r in session.execute(
        select(Reminder.id, Reminder.next_due_at).where(Reminder.next_due_at <= now)
        .order_by(Reminder.next_due_at, Reminder.id).limit(limit)
    )]


def next_after(due_at: datetime, now: datetime) -> datetime:
    """The next slot after ``now``: reminders missed while the command did not run are not sent in a burst."""
    step = timedelta(days=int(_conf()["email_every_days"]))
    following = due_at + step
    while following <= now:
        following += step
    return following


def claim_due(*, session: Session, reminder_id: int, due_at: datetime, now: datetime) -> bool:
    """Move this row to its next slot; True only for the one caller whose update found it still due."""
    return session.execute(
        update(Reminder).where(Reminder.id == reminder_id, Reminder.next_due_at == due_at)
        .values(next_due_at=next_after(due_at, now), last_sent_at=now, sent_count=Reminder.sent_count + 1)
    ).rowcount == 1


def release_due(*, session: Session, reminder_id: int, due_at: datetime, now: datetime) -> None:
    """The mail could not be sent: put the row back so that a later run tries again."""
    session.execute(
        update(Reminder).where(Reminder.id == reminder_id, Reminder.next_due_at == next_after(due_at, now))
        .values(next_due_at=due_at, sent_count=Reminder.sent_count - 1)
    )
