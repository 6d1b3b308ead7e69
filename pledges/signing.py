"""Signing a pledge: validate the form, enforce limits, store once per person and once per submission.

For each request the checks run in order (campaign, open, form, identity, rate
limits) and any of them can refuse it with a PledgeError before it writes
anything. Accepted requests are then stored with multi-row statements, so one
transaction can carry one request (:func:`sign_pledge`) or a whole burst
(:func:`sign_batch`, used by :mod:`pledges.group_commit`).

Exactly once: a request may carry the idempotency key of its submission (made when
the form was shown). The signature's private-link token is derived from that key, so
a retry — after a timeout, or a connection lost during COMMIT — finds the signature
the first attempt stored and returns that outcome (same link, same reference), with
no second signature, no second rate-limit count and no false "没有保存".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from civic.settings import get_settings
from pledges import campaigns, ratelimit, reminders
from pledges.catalogue import load_catalogue
from pledges.identity import (
    dedup_hash,
    new_ref,
    new_token,
    normalise_contact,
    token_for_submission,
    token_hash,
)
from pledges.messages import PledgeError
from pledges.models import Signature, SignatureItem
from pledges.submissions import Stored, stored_outcomes
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
    reminders: bool = False  # email reminders: keep the address in clear until unsubscribed


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
    campaign_ends_on: date | None = None
    reminder_id: int | None = None  # an email reminder waiting for its confirmation mail
    reminder_requested: bool = False  # the signer asked for email reminders (shown the same for a repeat)


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
    # Without a mail server nothing is kept in clear, whatever the request says.
    reminders = bool(form.reminders) and get_settings().email_reminders_enabled
    if reminders and not (contact and "@" in contact):
        raise PledgeError("reminder_needs_email")
    if not form.consent:
        raise PledgeError("no_consent")
    return CleanForm(
        city=form.city, district=form.district, item_ids=tuple(dict.fromkeys(form.item_ids)),
        display_name=name, contact=contact, reminders=reminders,
    )


@dataclass(frozen=True)
class SignRequest:
    """One resident's submission; ``campaign_slug`` None means the standing default campaign.

    ``submission_key`` is the idempotency key made when the form was shown (None: no
    retry protection, a random link token). ``resent`` says the same submission was sent
    before (a retry): its stored outcome is then looked up before any check, so that the
    retry neither counts again against the rate limits nor meets them. A first attempt
    skips that look-up; should it meet a stored twin anyway, the insert finds it.
    """

    campaign_slug: str | None
    form: SignForm
    browser_token: str | None
    session_key: str | None = None
    address: str | None = None
    now: datetime | None = None
    submission_key: str | None = None
    resent: bool = False


def sign_pledge(*, session: Session, campaign_slug: str | None, form: SignForm, browser_token: str | None,
                session_key: str | None = None, address: str | None = None,
                now: datetime | None = None, submission_key: str | None = None, resent: bool = False) -> SignResult:
    """Store one signature; a repeat by the same person is absorbed silently.

    ``browser_token`` identifies the browser when no contact is given; ``session_key``
    and ``address`` feed the rate limits; ``submission_key`` makes a retry return the
    first attempt's outcome.
    """
    request = SignRequest(campaign_slug, form, browser_token, session_key, address, now, submission_key, resent)
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


def _rate_checks(request: SignRequest) -> list[tuple[str, str | None]]:
    return [("sign_per_session", request.session_key), ("sign_per_address", request.address)]


def _accept(session: Session, request: SignRequest, index: int, views: dict, token: str | None) -> _Accepted:
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
    ratelimit.hit_all(session=session, checks=_rate_checks(request))
    token = token or new_token()
    values = dict(
        ref=new_ref(), campaign_id=view.id, dedup_hash=key, token_hash=token_hash(token),
        city=clean.city, district=clean.district, display_name=clean.display_name, name_hidden=False,
        created_at=now,
    )
    return _Accepted(index, view, clean, token, values, now)


def _from_stored(token: str, row: Stored, count: int) -> SignResult:
    return SignResult(
        token=token, ref=row.ref, count=count, campaign_title=row.campaign_title, display_name=row.display_name,
        item_titles=row.item_titles, signed_on=local_date(row.created_at), campaign_ends_on=row.campaign_ends_on,
        reminder_id=row.reminder_id if row.reminder_pending else None, reminder_requested=row.reminder_id is not None,
    )


def sign_batch(*, session: Session, requests: list[SignRequest]) -> list[SignResult | PledgeError]:
    """Sign many requests in the caller's transaction with multi-row statements.

    Each request gets its own result or PledgeError; a refused request writes
    nothing. A request whose submission is already stored gets that outcome back
    without any check. The unique keys with ON CONFLICT DO NOTHING decide repeats
    (same person: (campaign, person); same submission: the token hash), also between
    requests of the same batch and between concurrent batches.
    """
    results: list[SignResult | PledgeError | None] = [None] * len(requests)
    tokens: dict[int, str] = {}
    for index, request in enumerate(requests):
        if request.submission_key is not None:
            try:
                tokens[index] = token_for_submission(request.submission_key)
            except PledgeError as err:
                results[index] = err
    earlier = stored_outcomes(session=session, hashes={token_hash(t) for i, t in tokens.items() if requests[i].resent})
    retried = {i for i, t in tokens.items() if token_hash(t) in earlier}
    todo = [i for i in range(len(requests)) if i not in retried and results[i] is None]
    # Every rate-limit bucket of the batch, locked in one sorted order (exact limits, no deadlock).
    ratelimit.lock(session=session, buckets=[b for i in todo for b in ratelimit.buckets_of(_rate_checks(requests[i]))])
    views: dict[str, campaigns.CampaignView] = {}
    accepted: list[_Accepted] = []
    for index in todo:
        try:
            accepted.append(_accept(session, requests[index], index, views, tokens.get(index)))
        except PledgeError as err:
            results[index] = err
    # One row per token: the same submission twice in this batch is written by its first copy.
    writers = {a.values["token_hash"]: a for a in reversed(accepted)}
    inserted: dict[str, int] = {}
    if writers:
        dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        inserted = dict(
            session.execute(
                # Rows in key order: concurrent batches then lock keys in the same order
                # and cannot deadlock each other.
                dialect_insert(Signature)
                .values(sorted((a.values for a in writers.values()), key=lambda v: (v["campaign_id"], v["dedup_hash"])))
                .on_conflict_do_nothing()
                .returning(Signature.token_hash, Signature.id)
            ).all()
        )
        item_rows = [
            {"signature_id": inserted[th], "item_id": i}
            for th, a in writers.items() if th in inserted
            for i in a.clean.item_ids
        ]
        if item_rows:
            session.execute(insert(SignatureItem), item_rows)
    reminder_ids = reminders.subscribe_many(session=session, wanted=[
        (inserted[th], a.clean.contact, a.now) for th, a in writers.items() if a.clean.reminders and th in inserted
    ])
    # A keyed request that did not write its row may be the retry of a submission stored by
    # another batch meanwhile, or by its twin in this one: it returns that stored outcome.
    late = stored_outcomes(session=session, hashes={a.values["token_hash"] for a in accepted if a.index in tokens
                             and (a.values["token_hash"] not in inserted or writers[a.values["token_hash"]] is not a)})
    earlier.update(late)
    campaign_ids = {a.view.id for a in accepted} | {earlier[token_hash(tokens[i])].campaign_id for i in retried}
    counts = campaigns.signature_counts(session=session, campaign_ids=campaign_ids) if campaign_ids else {}
    for i in retried:
        row = earlier[token_hash(tokens[i])]
        results[i] = _from_stored(tokens[i], row, counts.get(row.campaign_id, 0))
    for a in accepted:
        th = a.values["token_hash"]
        if th in late:
            results[a.index] = _from_stored(a.token, late[th], counts.get(late[th].campaign_id, 0))
            continue
        # A repeat (not inserted) counts nothing and reveals nothing: its token is a decoy
        # that opens no record (see docs/pledges.md).
        sid = inserted.get(th)
        results[a.index] = SignResult(
            token=a.token, ref=a.values["ref"], count=counts.get(a.view.id, 0),
            campaign_title=a.view.title, display_name=a.clean.display_name,
            item_titles=[a.view.item_titles[i] for i in a.clean.item_ids], signed_on=local_date(a.now),
            campaign_ends_on=a.view.ends_on, reminder_id=reminder_ids.get(sid) if sid else None,
            reminder_requested=a.clean.reminders,
        )
    return results  # type: ignore[return-value]
