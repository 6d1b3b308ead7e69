"""Follow-through with the private link: view, check in (打卡), streaks, withdraw."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledges import ratelimit, reminders
from pledges.identity import parse_row_link, token_hash
from pledges.messages import PledgeError
from pledges.models import Campaign, CampaignItem, CheckIn, Reminder, Signature, SignatureItem
from pledges.tunables import local_date


@dataclass
class MyPledge:
    ref: str
    campaign_title: str
    campaign_slug: str
    city: str
    district: str
    display_name: str | None
    signed_on: date
    items: list[tuple[str, str]]  # (item id, title as signed)
    campaign_ends_on: date | None = None
    checked_today: set[str] = field(default_factory=set)
    streak: int = 0
    longest_streak: int = 0
    month_days: int = 0  # days with at least one check-in this month
    month_by_item: dict[str, int] = field(default_factory=dict)
    total_checkins: int = 0


def _signature(session: Session, token: str) -> Signature:
    """The signature a private link opens, or the check-in link of a confirmed reminder mail."""
    if parse_row_link(token):
        sid = reminders.signature_id_for_link(session=session, token=token)
        signature = session.get(Signature, sid) if sid else None
    else:
        signature = session.scalar(select(Signature).where(Signature.token_hash == token_hash(token)))
    if signature is None:
        raise PledgeError("token_invalid")
    return signature


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive days; the current run may end yesterday."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in days else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return current, longest


def load_my_pledge(*, session: Session, token: str, today: date | None = None) -> MyPledge:
    today = today or local_date()
    signature = _signature(session, token)
    campaign = session.get(Campaign, signature.campaign_id)
    titles = dict(
        session.execute(
            select(CampaignItem.item_id, CampaignItem.title)
            .where(CampaignItem.campaign_id == campaign.id)
            .order_by(CampaignItem.position)
        ).all()
    )
    item_ids = session.scalars(
        select(SignatureItem.item_id).where(SignatureItem.signature_id == signature.id)
    ).all()
    rows = session.execute(
        select(CheckIn.item_id, CheckIn.day).where(CheckIn.signature_id == signature.id)
    ).all()
    days = {day for _, day in rows}
    current, longest = streaks(days, today)
    this_month = [(item, day) for item, day in rows if (day.year, day.month) == (today.year, today.month)]
    return MyPledge(
        ref=signature.ref,
        campaign_title=campaign.title,
        campaign_slug=campaign.slug,
        city=signature.city,
        district=signature.district,
        display_name=signature.display_name,
        signed_on=local_date(signature.created_at),
        campaign_ends_on=campaign.ends_on,
        items=[(i, t) for i, t in titles.items() if i in set(item_ids)],
        checked_today={item for item, day in rows if day == today},
        streak=current,
        longest_streak=longest,
        month_days=len({day for _, day in this_month}),
        month_by_item=dict(Counter(item for item, _ in this_month)),
        total_checkins=len(rows),
    )


def check_in(*, session: Session, token: str, item_ids: list[str], today: date | None = None) -> int:
    """Record today's check-ins; repeats on the same day are ignored. Returns how many were new."""
    today = today or local_date()
    signature = _signature(session, token)
    ratelimit.hit(session=session, rule="checkin_per_token", key=signature.token_hash)
    if not item_ids:
        raise PledgeError("checkin_no_items")
    signed = set(session.scalars(select(SignatureItem.item_id).where(SignatureItem.signature_id == signature.id)))
    if any(i not in signed for i in item_ids):
        raise PledgeError("unknown_item")
    done = set(
        session.scalars(select(CheckIn.item_id).where(CheckIn.signature_id == signature.id, CheckIn.day == today))
    )
    new = [i for i in dict.fromkeys(item_ids) if i not in done]
    try:
        with session.begin_nested():
            session.add_all(CheckIn(signature_id=signature.id, item_id=i, day=today) for i in new)
    except IntegrityError:  # the same link checked in from two tabs at once
        return 0
    return len(new)


def withdraw(*, session: Session, token: str) -> None:
    """Delete the signature and everything tied to it; the token stops working."""
    signature = _signature(session, token)
    session.execute(delete(CheckIn).where(CheckIn.signature_id == signature.id))
    session.execute(delete(Reminder).where(Reminder.signature_id == signature.id))  # the address goes too
    session.execute(delete(SignatureItem).where(SignatureItem.signature_id == signature.id))
    session.execute(delete(Signature).where(Signature.id == signature.id))
