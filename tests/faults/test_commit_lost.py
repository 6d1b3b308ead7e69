"""The connection dies at COMMIT while a resident signs (PostgreSQL, through a relay that cuts it).

Whether the server stored the transaction (cut after COMMIT went through) or not (cut
before), the resident gets the original outcome: one signature, a private link that
works, one rate-limit count — and never "本次提交没有保存" for a signature that exists.
While the database stays away the page says the outcome is unknown, and pressing the
button again with the same submission returns what was stored.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from civic.db import get_engine, new_engine, session_scope
from pledges import campaigns
from pledges.checkins import load_my_pledge
from pledges.group_commit import GroupCommitter
from pledges.identity import new_submission_key
from pledges.messages import MESSAGES, PledgeError, unavailable_as_pledge_error
from pledges.models import RateEvent, Signature
from pledges.signing import SignForm, SignRequest, sign_pledge
from tests.databases import postgres_schema
from tests.faults.commit_cutter import CommitCutter

pytestmark = pytest.mark.postgres
SLUG = "commit-faults"


@pytest.fixture
def cutter(data_dir):
    with postgres_schema("cut") as url:
        with session_scope(get_engine(url)) as session:  # migrated directly, not through the relay
            campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
                slug=SLUG, title="提交中断演练", city=None, starts_on=None, ends_on=None, goal=100,
                item_ids=("clean-plate",)))
        relay = CommitCutter(url)
        relay.direct = url
        try:
            yield relay
        finally:
            relay.close()


def request(key: str | None, contact: str = "zhou@example.com", resent: bool = False) -> SignRequest:
    form = SignForm(city="运城", district="盐湖区", item_ids=("clean-plate",), consent=True, contact=contact)
    return SignRequest(campaign_slug=SLUG, form=form, browser_token=None, session_key="s-1", address="10.1.1.1",
                       submission_key=key, resent=resent)


def stored(url: str) -> tuple[int, int]:
    engine = new_engine(url)
    try:
        with session_scope(engine) as session:
            return (session.scalar(select(func.count()).select_from(Signature)),
                    session.scalar(select(func.count()).select_from(RateEvent)))
    finally:
        engine.dispose()


def opens(url: str, token: str) -> str:
    engine = new_engine(url)
    try:
        with session_scope(engine) as session:
            return load_my_pledge(session=session, token=token).ref
    finally:
        engine.dispose()


@pytest.mark.parametrize("cut", ["after", "before"])
def test_the_app_path_resolves_a_lost_commit_by_itself(cutter, cut):
    engine = new_engine(cutter.url)
    committer = GroupCommitter(engine)
    key = new_submission_key()
    cutter.arm(cut)
    result = committer.sign(request(key))  # no error: the committer signed the batch again
    assert cutter.cuts == 1
    assert result.count == 1 and stored(cutter.direct) == (1, 2)  # one signature, one count per rule
    assert opens(cutter.direct, result.token) == result.ref
    again = committer.sign(request(key, resent=True))  # and the resident's own retry changes nothing
    assert (again.token, again.ref, again.count) == (result.token, result.ref, 1)
    assert stored(cutter.direct) == (1, 2)
    engine.dispose()


def test_while_the_database_stays_away_the_outcome_is_unknown_not_unsaved(cutter):
    engine = new_engine(cutter.url)
    committer = GroupCommitter(engine)
    key = new_submission_key()
    committer.sign(request("x" * 32, contact="warm@example.com"))  # a pooled connection, as in a running app
    cutter.arm("after")
    cutter.refuse = True  # and it does not come back during the committer's retries
    with pytest.raises(PledgeError) as err:
        committer.sign(request(key))
    assert err.value.code == "commit_unknown" and "没有保存" not in err.value.message
    assert stored(cutter.direct)[0] == 2  # it was stored, and the resident was not told otherwise

    cutter.refuse = False  # back: the resident presses 签署承诺 again, with the same submission
    result = committer.sign(request(key, resent=True))
    assert result.count == 2 and stored(cutter.direct)[0] == 2
    assert opens(cutter.direct, result.token) == result.ref
    engine.dispose()


def test_one_transaction_per_action_says_unknown_when_the_commit_is_lost(cutter):
    """Outside the committer (check-ins, staff actions use this path) a lost COMMIT is never 'not saved'."""
    engine = new_engine(cutter.url)
    key = new_submission_key()
    cutter.arm("after")
    with pytest.raises(PledgeError) as err, unavailable_as_pledge_error(), session_scope(engine) as session:
        sign_pledge(session=session, campaign_slug=SLUG, form=request(key).form, browser_token=None,
                    submission_key=key)
    assert err.value.code == "commit_unknown" and err.value.message == MESSAGES["commit_unknown"]
    with unavailable_as_pledge_error(), session_scope(engine) as session:
        retry = sign_pledge(session=session, campaign_slug=SLUG, form=request(key).form, browser_token=None,
                            submission_key=key, resent=True)
    assert retry.count == 1 and stored(cutter.direct)[0] == 1
    assert opens(cutter.direct, retry.token) == retry.ref
    engine.dispose()
