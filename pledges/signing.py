"""Signing a pledge: validate the form, enforce limits, store once per person.

For each request the checks run in order (campaign, open, form, identity, rate
limits) and any of them can refuse it with a PledgeError before it writes
anything. Accepted requests are then stored with multi-row statements, so one
transaction can carry one request (:func:`sign_pledge`) or a whole burst
(:func:`sign_batch`, used by :mod:`pledges.group_commit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pledges import campaigns, ratelimit
from pledges.catalogue import load_catalogue
from pledges.identity import dedup_hash, new_ref, new_token, normalise_contact, token_hash
from pledges.messages import PledgeError
from pledges.models import Signature, SignatureItem
from pledges.tunables import local_date, tunables, utcnow
from pledges.validation import clean_display_name


@dataclass(frozen=True)
class SignForm:
    city: str | None
    district: str | None
    item_ids: tuple[str, ...]
    consent: bool
    display_name: str | None = None
    contact: str | None = None
    reminders: bool = False  # keep the contact in clear to send reminders


@dataclass
class SignResult:
    """What the thank-you page shows. A repeat signature looks exactly like a new one."""

    token: str
    ref: str
    count: int
    campaign_title: str
    display_name: str | None
    item_titles: list[str] = field(default_factory=list)
    signed_on: date | None = None


@dataclass(frozen=True)
class CleanForm:
    city: str
    district: str
    item_ids: tuple[str, ...]
    display_name: str | None
    contact: str | None
    reminders: bool


def check_form(form: SignForm, campaign: campaigns.CampaignView) -> CleanForm:
    """Validate every field; the first problem found is raised."""
    if not form.city and not form.district and not form.item_ids and not form.consent:
        raise PledgeError("empty_form")
    catalogue = load_catalogue()
    if not form.city:
        raise PledgeError("no_city")
    if form.city not in catalogue.districts:
        raise PledgeError("unknown_city")
    if campaign.city and form.city != campaign.city:
        raise PledgeError("city_not_in_campaign", city=campaign.city)
    if not form.district:
        raise PledgeError("no_district")
    if form.district not in catalogue.districts[form.city]:
        raise PledgeError("unknown_district")
    if not form.item_ids:
        raise PledgeError("no_items")
    if any(i not in catalogue.items for i in form.item_ids):
        raise PledgeError("unknown_item")
    if any(i not in campaign.item_titles for i in form.item_ids):
        raise PledgeError("item_not_in_campaign")
    name = clean_display_name(form.display_name)
    contact = normalise_contact(form.contact or "")
    if not form.consent:
        raise PledgeError("no_consent")
    return CleanForm(
        city=form.city, district=form.district, item_ids=tuple(dict.fromkeys(form.item_ids)),
        display_name=name, contact=contact, reminders=bool(form.reminders and contact),
    )


@dataclass(frozen=True)
class SignRequest:
    """One resident's submission; ``campaign_slug`` None means the standing default campaign."""

    campaign_slug: str | None
    form: SignForm
    browser_token: str | None
    session_key: str | None = None
    address: str | None = None
    now: datetime | None = None


def sign_pledge(*, session: Session, campaign_slug: str | None, form: SignForm, browser_token: str | None,
                session_key: str | None = None, address: str | None = None,
                now: datetime | None = None) -> SignResult:
    """Store one signature; a repeat by the same person is absorbed silently.

    ``browser_token`` identifies the browser when no contact is given; ``session_key``
    and ``address`` feed the rate limits.
    """
    request = SignRequest(campaign_slug, form, browser_token, session_key, address, now)
    result = sign_batch(session=session, requests=[request])[0]
    if isinstance(result, PledgeError):
        raise result
    return result


@dataclass
class _Accepted:
    index: int
    view: campaigns.CampaignView
    clean: CleanForm
    token: str
    values: dict
    now: datetime


def _accept(session: Session, request: SignRequest, index: int, views: dict) -> _Accepted:
    """Every check for one request, in order; raises PledgeError and writes nothing on failure."""
    slug = request.campaign_slug or tunables()["default_campaign"]["slug"]
    if slug not in views:
        if not request.campaign_slug:
            campaigns.get_or_create_default(session=session)
        views[slug] = campaigns.signing_view(session=session, slug=slug)
    view = views[slug]
    now = request.now or utcnow()
    campaigns.ensure_open(view, local_date(now))
    clean = check_form(request.form, view)
    key = dedup_hash(contact=clean.contact, browser_token=request.browser_token)
    ratelimit.hit_all(session=session, checks=[("sign_per_session", request.session_key),
                                               ("sign_per_address", request.address)])
    token = new_token()
    values = dict(
        ref=new_ref(), campaign_id=view.id, dedup_hash=key, token_hash=token_hash(token),
        city=clean.city, district=clean.district, display_name=clean.display_name, name_hidden=False,
        reminder_contact=clean.contact if clean.reminders else None, created_at=now,
    )
    return _Accepted(index, view, clean, token, values, now)


def sign_batch(*, session: Session, requests: list[SignRequest]) -> list[SignResult | PledgeError]:
    """Sign many requests in the caller's transaction with multi-row statements.

    Each request gets its own result or PledgeError; a refused request writes
    nothing. The unique (campaign, person) key with ON CONFLICT DO NOTHING decides
    repeats, also between requests of the same batch and between concurrent batches.
    """
    results: list[SignResult | PledgeError | None] = [None] * len(requests)
    views: dict[str, campaigns.CampaignView] = {}
    accepted: list[_Accepted] = []
    for index, request in enumerate(requests):
        try:
            accepted.append(_accept(session, request, index, views))
        except PledgeError as err:
            results[index] = err
    if accepted:
        dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        inserted = dict(
            session.execute(
                # Rows in key order: concurrent batches then lock keys in the same order
                # and cannot deadlock each other.
                dialect_insert(Signature)
                .values(sorted((a.values for a in accepted), key=lambda v: (v["campaign_id"], v["dedup_hash"])))
                .on_conflict_do_nothing(index_elements=["campaign_id", "dedup_hash"])
                .returning(Signature.token_hash, Signature.id)
            ).all()
        )
        item_rows = [
            {"signature_id": inserted[a.values["token_hash"]], "item_id": i}
            for a in accepted if a.values["token_hash"] in inserted
            for i in a.clean.item_ids
        ]
        if item_rows:
            session.execute(insert(SignatureItem), item_rows)
        # A repeat (token not inserted) counts nothing and reveals nothing: its token
        # is a decoy that opens no record (see docs/pledges.md).
        counts = campaigns.signature_counts(session=session, campaign_ids={a.view.id for a in accepted})
        for a in accepted:
            results[a.index] = SignResult(
                token=a.token, ref=a.values["ref"], count=counts.get(a.view.id, 0),
                campaign_title=a.view.title, display_name=a.clean.display_name,
                item_titles=[a.view.item_titles[i] for i in a.clean.item_ids], signed_on=local_date(a.now),
            )
    return results  # type: ignore[return-value]
