"""Group commit: many requests, one transaction, each with its own outcome."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from pledges import campaigns
from pledges.group_commit import committer_for
from pledges.messages import PledgeError
from pledges.models import RateEvent, Signature
from pledges.signing import SignForm, SignRequest, sign_batch


def request(contact=None, **overrides):
    form = dict(city="葫芦岛", district="连山区", item_ids=("clean-plate",), consent=True, contact=contact)
    form.update(overrides)
    return SignRequest(campaign_slug="test-campaign", form=SignForm(**form), browser_token=None)


def count(db):
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="test-campaign")
        return campaigns.signature_count(session=session, campaign_id=campaign.id)


def test_batch_mixes_good_bad_and_repeated_requests(db):
    db.campaign()
    batch = [
        request("a@example.com"),
        request("b@example.com", consent=False),
        request("A@Example.com"),  # the same person as the first, in the same batch
        request("c@example.com", district="和平区"),
        SignRequest(campaign_slug="nope", form=request().form, browser_token="browser-token-abcdefghijkl"),
        request("d@example.com"),
    ]
    with db.session() as session:
        results = sign_batch(session=session, requests=batch)
    codes = [r.code if isinstance(r, PledgeError) else "ok" for r in results]
    assert codes == ["ok", "no_consent", "ok", "unknown_district", "campaign_not_found", "ok"]
    assert count(db) == 2
    assert results[5].count == 2


def test_refused_request_records_no_rate_event(db):
    db.campaign()
    bad = SignRequest(campaign_slug="test-campaign", form=request(consent=False).form,
                      browser_token="browser-token-abcdefghijkl", session_key="s", address="127.0.0.1")
    with db.session() as session:
        sign_batch(session=session, requests=[bad])
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(RateEvent)) == 0


def test_committer_counts_exactly_under_concurrency(db):
    db.campaign()
    committer = committer_for(db.engine)
    contacts = [f"p{n}@example.com" for n in range(80)]

    def sign(contact):
        return committer.sign(request(contact))

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(sign, contacts * 2))
    assert count(db) == 80
    assert max(r.count for r in results) == 80
    with pytest.raises(PledgeError, match="no_consent"):
        committer.sign(request("q@example.com", consent=False))
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Signature)) == 80
