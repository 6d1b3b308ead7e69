"""Read models for the public page and the dashboard, plus moderation actions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pledges.messages import PledgeError
from pledges.models import Campaign, CheckIn, Reminder, Signature, SignatureItem
from pledges.tunables import local_date, tunables
from pledges.validation import mask_name


@dataclass
class CampaignStats:
    count: int
    goal: int
    by_district: dict[str, int] = field(default_factory=dict)
    by_item: dict[str, int] = field(default_factory=dict)  # item title -> signers
    by_day: dict[date, int] = field(default_factory=dict)
    recent: list[tuple[str, str, date]] = field(default_factory=list)  # masked name, district, day

    @property
    def progress(self) -> float:
        return min(self.count / self.goal, 1.0) if self.goal else 0.0


def campaign_stats(*, session: Session, campaign: Campaign, recent: int | None = None) -> CampaignStats:
    recent = recent if recent is not None else tunables()["limits"]["recent_signers"]
    where = Signature.campaign_id == campaign.id
    by_district = dict(
        session.execute(select(Signature.district, func.count()).where(where).group_by(Signature.district)).all()
    )
    counts = dict(
        session.execute(
            select(SignatureItem.item_id, func.count())
            .join(Signature, Signature.id == SignatureItem.signature_id)
            .where(where)
            .group_by(SignatureItem.item_id)
        ).all()
    )
    by_item = {ci.title: counts.get(ci.item_id, 0) for ci in campaign.items}
    by_day = Counter(local_date(at) for at in session.scalars(select(Signature.created_at).where(where)))
    latest = session.execute(
        select(Signature.display_name, Signature.name_hidden, Signature.district, Signature.created_at)
        .where(where)
        .order_by(Signature.created_at.desc(), Signature.id.desc())
        .limit(recent)
    ).all()
    return CampaignStats(
        count=sum(by_district.values()),
        goal=campaign.goal,
        by_district=dict(sorted(by_district.items(), key=lambda kv: -kv[1])),
        by_item=by_item,
        by_day=dict(sorted(by_day.items())),
        recent=[(mask_name(n, h), d, local_date(at)) for n, h, d, at in latest],
    )


@dataclass
class SignatureRow:
    ref: str
    created_at: object
    city: str
    district: str
    display_name: str | None
    name_hidden: bool
    items: list[str]
    checkins: int


def signature_rows(*, session: Session, campaign: Campaign, limit: int | None = None) -> list[SignatureRow]:
    """Signatures for staff, newest first (no contacts, no hashes)."""
    query = (
        select(Signature).where(Signature.campaign_id == campaign.id)
        .order_by(Signature.created_at.desc(), Signature.id.desc())
    )
    if limit:
        query = query.limit(limit)
    signatures = list(session.scalars(query))
    ids = [s.id for s in signatures]
    items: dict[int, list[str]] = {}
    checkins: dict[int, int] = {}
    if ids:
        for sid, item in session.execute(
            select(SignatureItem.signature_id, SignatureItem.item_id).where(SignatureItem.signature_id.in_(ids))
        ):
            items.setdefault(sid, []).append(item)
        checkins = dict(
            session.execute(
                select(CheckIn.signature_id, func.count()).where(CheckIn.signature_id.in_(ids))
                .group_by(CheckIn.signature_id)
            ).all()
        )
    titles = {ci.item_id: ci.title for ci in campaign.items}
    return [
        SignatureRow(
            ref=s.ref, created_at=s.created_at, city=s.city, district=s.district,
            display_name=s.display_name, name_hidden=s.name_hidden,
            items=[titles.get(i, i) for i in items.get(s.id, [])], checkins=checkins.get(s.id, 0),
        )
        for s in signatures
    ]


def _by_ref(session: Session, campaign_id: int, ref: str) -> Signature:
    ref = (ref or "").strip().upper()
    signature = session.scalar(  # a malformed ref (e.g. with NUL, which PostgreSQL refuses) is never looked up
        select(Signature).where(Signature.campaign_id == campaign_id, Signature.ref == ref)
    ) if ref.isascii() and ref.isalnum() else None
    if signature is None:
        raise PledgeError("signature_not_found")
    return signature


def set_name_hidden(*, session: Session, campaign_id: int, ref: str, hidden: bool = True) -> None:
    """Moderation: hide (or show again) a display name on public pages."""
    _by_ref(session, campaign_id, ref).name_hidden = hidden


def delete_signature(*, session: Session, campaign_id: int, ref: str) -> None:
    """Delete a signature and its check-ins on the signer's request."""
    signature = _by_ref(session, campaign_id, ref)
    session.execute(delete(CheckIn).where(CheckIn.signature_id == signature.id))
    session.execute(delete(Reminder).where(Reminder.signature_id == signature.id))  # the address goes too
    session.execute(delete(SignatureItem).where(SignatureItem.signature_id == signature.id))
    session.execute(delete(Signature).where(Signature.id == signature.id))
