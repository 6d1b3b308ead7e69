"""Exactly once, on SQLite and PostgreSQL: idempotency keys and exact per-address limits.

A retry of the same submission returns the first outcome (same private link, same
reference) without a second signature or a second rate-limit count; concurrent
transactions counting one address never let more through than its limit.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from civic.db import new_engine, session_scope
from pledges import ratelimit
from pledges.checkins import load_my_pledge
from pledges.group_commit import committer_for
from pledges.identity import new_submission_key
from pledges.messages import PledgeError
from pledges.models import RateEvent, Signature
from pledges.signing import SignForm, SignRequest, sign_batch, sign_pledge
from pledges.tunables import tunables


def form(**overrides) -> SignForm:
    data = dict(city="天津", district="和平区", item_ids=("clean-plate", "small-portions"), consent=True,
                contact="wang@example.com", display_name="老王")
    data.update(overrides)
    return SignForm(**data)


def request(key: str | None, resent: bool = False, **overrides) -> SignRequest:
    return SignRequest(campaign_slug="test-campaign", form=form(**overrides), browser_token=None,
                       session_key="session-1", address="10.0.0.1", submission_key=key, resent=resent)


def signatures(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Signature))


def rate_events(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(RateEvent))


def test_a_retry_returns_the_first_outcome(db):
    db.campaign()
    key = new_submission_key()
    with db.session() as session:
        first = sign_batch(session=session, requests=[request(key)])[0]
    with db.session() as session:  # the page never saw that answer and sends the same submission again
        again = sign_batch(session=session, requests=[request(key, resent=True)])[0]
    with db.session() as session:  # ... even after the resident changed the form meanwhile
        edited = sign_batch(session=session, requests=[
            request(key, resent=True, contact="li@example.com", item_ids=("clean-plate",))])[0]
    with db.session() as session:  # not marked as a retry: checked as new, and the insert finds the original
        unmarked = sign_batch(session=session, requests=[request(key)])[0]
    assert (unmarked.token, unmarked.ref) == (first.token, first.ref)
    for retry in (again, edited):
        assert (retry.token, retry.ref, retry.count) == (first.token, first.ref, 1)
        assert retry.item_titles == first.item_titles == ["光盘行动", "适量点餐，小份菜，剩菜打包"]
        assert retry.display_name == "老王" and retry.signed_on == first.signed_on
    assert signatures(db) == 1
    assert rate_events(db) == 4  # one per rule for the first attempt and the unmarked one; none for retries
    with db.session() as session:
        assert load_my_pledge(session=session, token=again.token).ref == first.ref  # the returned link works


def test_the_same_key_twice_in_one_batch_and_at_once_signs_once(db):
    db.campaign()
    key = new_submission_key()
    with db.session() as session:
        a, b = sign_batch(session=session, requests=[request(key), request(key)])
    assert (a.token, a.ref) == (b.token, b.ref) and signatures(db) == 1

    other = new_submission_key()
    committer = committer_for(db.engine)
    twin = SignRequest(campaign_slug="test-campaign", form=form(contact="zhao@example.com"), browser_token=None,
                       submission_key=other)  # a page sending one submission 8 times at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: committer.sign(replace(twin, resent=n > 0)), range(8)))
    assert len({(r.token, r.ref) for r in results}) == 1
    assert signatures(db) == 2


def test_a_new_submission_by_the_same_person_is_still_a_silent_repeat(db):
    db.campaign()
    with db.session() as session:
        first = sign_pledge(session=session, campaign_slug="test-campaign", form=form(), browser_token=None,
                            submission_key=new_submission_key())
        repeat = sign_pledge(session=session, campaign_slug="test-campaign", form=form(), browser_token=None,
                             submission_key=new_submission_key())
    assert repeat.count == first.count == 1 and repeat.token != first.token  # a decoy, as without keys
    with db.session() as session, pytest.raises(PledgeError, match="私人链接无效"):
        load_my_pledge(session=session, token=repeat.token)


def test_a_refused_submission_writes_nothing_and_can_be_corrected(db):
    db.campaign()
    key = new_submission_key()
    with db.session() as session:
        refused = sign_batch(session=session, requests=[request(key, consent=False)])[0]
    assert isinstance(refused, PledgeError) and refused.code == "no_consent"
    with db.session() as session:
        signed = sign_batch(session=session, requests=[request(key)])[0]
    assert signed.count == 1 and signatures(db) == 1
    with db.session() as session:
        bad = sign_batch(session=session, requests=[request("not a key")])[0]
    assert isinstance(bad, PledgeError) and bad.code == "no_identity"


@pytest.mark.parametrize("rule", ["sign_per_address", "login_per_address"])
def test_per_address_limits_are_exact_under_concurrency(db, rule):
    """8 transactions at once, 10 attempts each, one address: exactly `count` get through.

    Each thread has its own engine, so nothing in the process serialises them: only the
    database does (before the advisory locks PostgreSQL let 80 of 80 through for a limit of 60).
    """
    limit = tunables()["rate"][rule]["count"]
    engines = [new_engine(db.url) for _ in range(8)]
    passed = []
    start = threading.Barrier(len(engines))

    def attempts(engine) -> None:
        start.wait()
        for _ in range(10):
            try:
                with session_scope(engine) as session:
                    ratelimit.hit(session=session, rule=rule, key="203.0.113.9")
                passed.append(1)
            except PledgeError as err:
                assert err.code == "rate_limited"

    threads = [threading.Thread(target=attempts, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for engine in engines:
        engine.dispose()
    assert len(passed) == min(limit, 80)
    assert rate_events(db) == min(limit, 80)


def test_signing_batches_at_once_keep_the_address_limit(db):
    """Two group committers (two processes' worth) sign for one address at once: never over the limit."""
    db.campaign()
    limit = tunables()["rate"]["sign_per_address"]["count"]
    engines = [new_engine(db.url) for _ in range(2)]
    committers = [committer_for(e) for e in engines]

    def one(n: int):
        req = SignRequest(campaign_slug="test-campaign", form=form(contact=f"r{n}@example.com"),
                          browser_token=None, session_key=f"s{n}", address="198.51.100.7",
                          submission_key=new_submission_key())
        try:
            return committers[n % 2].sign(req)
        except PledgeError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(one, range(limit + 20)))
    for engine in engines:
        engine.dispose()
    signed = sum(not isinstance(o, str) for o in outcomes)
    refused = set(o for o in outcomes if isinstance(o, str))
    # On a starved machine a request may wait past its timeout: it is told "not saved"
    # (db_unavailable) and is not written. Never more than the limit, whatever happens.
    assert refused <= {"rate_limited", "db_unavailable"} and "rate_limited" in refused
    assert signed == limit or (signed < limit and "db_unavailable" in refused)
    assert signatures(db) == signed
