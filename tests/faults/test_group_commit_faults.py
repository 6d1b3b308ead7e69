"""The group committer's worker survives what goes wrong in a batch (real SQLite).

A request that breaks its batch for an unexpected reason fails alone; a request
still queued when its caller stops waiting is withdrawn and never written.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from civic.db import dispose_engines, get_engine, session_scope
from pledges import campaigns
from pledges.group_commit import committer_for
from pledges.messages import PledgeError
from pledges.models import Signature
from pledges.signing import SignForm, SignRequest

SLUG = "fault-campaign"


def _request(contact: str, display_name: object = None) -> SignRequest:
    form = SignForm(city="运城", district="盐湖区", item_ids=("clean-plate",), consent=True, contact=contact,
                    display_name=display_name)  # type: ignore[arg-type]
    return SignRequest(campaign_slug=SLUG, form=form, browser_token=None)


@pytest.fixture
def db(data_dir):
    path = data_dir / "faults.sqlite3"
    engine = get_engine(f"sqlite:///{path}")
    with session_scope(engine) as session:
        campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
            slug=SLUG, title="故障演练", city=None, starts_on=None, ends_on=None, goal=100,
            item_ids=("clean-plate",)))
    yield engine, path
    dispose_engines()


def _signatures(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Signature))


def test_a_broken_request_fails_alone_and_the_worker_carries_on(db):
    engine, _ = db
    committer = committer_for(engine)
    good = [_request(f"r{n}@example.com") for n in range(40)]
    broken = _request("broken@example.com", display_name=12345)  # a caller's bug, not a form error
    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(committer.sign, r) for r in good[:20]]
        bad = pool.submit(committer.sign, broken)
        futures += [pool.submit(committer.sign, r) for r in good[20:]]
        results = [f.result() for f in futures]
        with pytest.raises(TypeError):
            bad.result()
    assert len(results) == 40 and _signatures(engine) == 40
    assert committer_for(engine) is committer and committer.alive
    assert committer.sign(_request("after@example.com")).count == 41


def test_a_request_still_queued_when_its_caller_gives_up_is_withdrawn(db):
    engine, path = db
    committer = committer_for(engine)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        first = threading.Thread(target=committer.sign, args=(_request("first@example.com"),))
        first.start()  # the worker takes it and waits on the lock
        threading.Event().wait(0.3)
        with pytest.raises(PledgeError) as err:
            committer.sign(_request("late@example.com"), timeout=0.3)
        assert err.value.code == "db_unavailable"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    first.join(timeout=30)
    assert not first.is_alive()
    assert committer.sign(_request("next@example.com")).count == 2  # "late" was never written
