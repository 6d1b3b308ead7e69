"""Campaigns: create, edit (item wording locked once signed), look up, open/closed status."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from pledges.catalogue import load_catalogue
from pledges.messages import PledgeError
from pledges.models import Campaign, CampaignItem, Signature
from pledges.tunables import local_date, tunables, utcnow
from pledges.validation import check_plain_text, sanitise_markdown

_SLUG = re.compile(r"[a-z0-9][a-z0-9\-]{1,}[a-z0-9]")  # always fullmatch: "$" lets a final newline through
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class CampaignInput:
    slug: str
    title: str
    city: str | None
    starts_on: date | None
    ends_on: date | None
    goal: int
    item_ids: tuple[str, ...]
    intro: str = ""
    colour: str = "#2e7d32"


def _validated(data: CampaignInput) -> CampaignInput:
    limits = tunables()["limits"]
    slug = (data.slug or "").strip().lower()
    if not _SLUG.fullmatch(slug) or len(slug) > limits["slug_max"]:
        raise PledgeError("slug_invalid", max=limits["slug_max"])
    title = check_plain_text(data.title)
    if not title:
        raise PledgeError("title_empty")
    if len(title) > limits["title_max"]:
        raise PledgeError("title_too_long", max=limits["title_max"])
    catalogue = load_catalogue()
    if data.city is not None and data.city not in catalogue.districts:
        raise PledgeError("unknown_city")
    if not isinstance(data.goal, int) or not 1 <= data.goal <= limits["goal_max"]:
        raise PledgeError("goal_invalid", max=limits["goal_max"])
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise PledgeError("dates_invalid")
    if not data.item_ids:
        raise PledgeError("no_items")
    if any(i not in catalogue.items for i in data.item_ids):
        raise PledgeError("unknown_item")
    intro = sanitise_markdown(data.intro)
    if len(intro) > limits["intro_max"]:
        raise PledgeError("intro_too_long", max=limits["intro_max"])
    if not _COLOUR.fullmatch(data.colour or ""):
        raise PledgeError("colour_invalid")
    return CampaignInput(
        slug=slug, title=title, city=data.city, starts_on=data.starts_on, ends_on=data.ends_on,
        goal=data.goal, item_ids=tuple(dict.fromkeys(data.item_ids)), intro=intro, colour=data.colour.lower(),
    )


def _item_rows(item_ids: tuple[str, ...]) -> list[CampaignItem]:
    items = load_catalogue().items
    return [CampaignItem(item_id=i, title=items[i].title, position=n) for n, i in enumerate(item_ids)]


def create_campaign(*, session: Session, data: CampaignInput) -> Campaign:
    data = _validated(data)
    now = utcnow()
    campaign = Campaign(
        slug=data.slug, title=data.title, city=data.city, starts_on=data.starts_on, ends_on=data.ends_on,
        goal=data.goal, intro=data.intro, colour=data.colour, created_at=now, updated_at=now,
        items=_item_rows(data.item_ids),
    )
    session.add(campaign)
    try:
        session.flush()
    except IntegrityError as exc:
        raise PledgeError("slug_taken") from exc
    return campaign


def signature_count(*, session: Session, campaign_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Signature).where(Signature.campaign_id == campaign_id)
    ) or 0


def signature_counts(*, session: Session, campaign_ids: set[int]) -> dict[int, int]:
    """Signature counts of several campaigns in one query."""
    return dict(
        session.execute(
            select(Signature.campaign_id, func.count())
            .where(Signature.campaign_id.in_(sorted(campaign_ids)))
            .group_by(Signature.campaign_id)
        ).all()
    )


def update_campaign(*, session: Session, campaign_id: int, data: CampaignInput) -> Campaign:
    """Edit a campaign; once it has signatures its items and their wording cannot change."""
    data = _validated(data)
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise PledgeError("campaign_not_found")
    current = tuple(ci.item_id for ci in campaign.items)
    if current != data.item_ids:
        if signature_count(session=session, campaign_id=campaign.id):
            raise PledgeError("items_locked")
        campaign.items.clear()
        session.flush()
        campaign.items.extend(_item_rows(data.item_ids))
    if data.slug != campaign.slug and session.scalar(select(Campaign.id).where(Campaign.slug == data.slug)):
        raise PledgeError("slug_taken")
    campaign.slug, campaign.title, campaign.city = data.slug, data.title, data.city
    campaign.starts_on, campaign.ends_on, campaign.goal = data.starts_on, data.ends_on, data.goal
    campaign.intro, campaign.colour, campaign.updated_at = data.intro, data.colour, utcnow()
    session.flush()
    return campaign


def delete_campaign(*, session: Session, campaign_id: int) -> None:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise PledgeError("campaign_not_found")
    session.delete(campaign)
    session.flush()


def get_campaign(*, session: Session, slug: str) -> Campaign:
    slug = (slug or "").strip().lower()
    campaign = session.scalar(
        select(Campaign).where(Campaign.slug == slug).options(selectinload(Campaign.items))
    ) if _SLUG.fullmatch(slug) else None
    if campaign is None:
        raise PledgeError("campaign_not_found")
    return campaign


@dataclass(frozen=True)
class CampaignView:
    """The few facts signing needs, read with two light queries (the hot path)."""

    id: int
    slug: str
    title: str
    city: str | None
    starts_on: date | None
    ends_on: date | None
    item_titles: dict[str, str]


def signing_view(*, session: Session, slug: str) -> CampaignView:
    slug = (slug or "").strip().lower()
    rows = session.execute(
        select(Campaign.id, Campaign.slug, Campaign.title, Campaign.city, Campaign.starts_on, Campaign.ends_on,
               CampaignItem.item_id, CampaignItem.title)
        .outerjoin(CampaignItem, CampaignItem.campaign_id == Campaign.id)
        .where(Campaign.slug == slug)
        .order_by(CampaignItem.position)
    ).all() if _SLUG.fullmatch(slug) else []
    if not rows:
        raise PledgeError("campaign_not_found")
    return CampaignView(*rows[0][:6], item_titles={r[6]: r[7] for r in rows if r[6] is not None})


def list_campaigns(*, session: Session) -> list[Campaign]:
    return list(session.scalars(select(Campaign).options(selectinload(Campaign.items)).order_by(Campaign.id)))


def status(campaign: Campaign | CampaignView, today: date | None = None) -> str:
    """'not_started', 'open' or 'ended' on the local date."""
    today = today or local_date()
    if campaign.starts_on and today < campaign.starts_on:
        return "not_started"
    if campaign.ends_on and today > campaign.ends_on:
        return "ended"
    return "open"


def ensure_open(campaign: Campaign | CampaignView, today: date | None = None) -> None:
    state = status(campaign, today)
    if state == "not_started":
        raise PledgeError("campaign_not_started", start=campaign.starts_on.isoformat())
    if state == "ended":
        raise PledgeError("campaign_ended", end=campaign.ends_on.isoformat())


def get_or_create_default(*, session: Session) -> Campaign:
    """The standing all-city campaign used when the sign page is opened without ``?c=``."""
    conf = tunables()["default_campaign"]
    try:
        return get_campaign(session=session, slug=conf["slug"])
    except PledgeError:
        pass
    data = CampaignInput(
        slug=conf["slug"], title=conf["title"], city=None, starts_on=None, ends_on=None,
        goal=conf["goal"], item_ids=tuple(load_catalogue().items), colour=conf["colour"],
        intro="响应五市节能减排方案中“开展节能减排自愿承诺”“绿色生活创建行动”的号召，选几件力所能及的小事，从今天做起。",
    )
    try:
        with session.begin_nested():
            create_campaign(session=session, data=data)
    except PledgeError:  # another process created it first
        pass
    return get_campaign(session=session, slug=conf["slug"])
