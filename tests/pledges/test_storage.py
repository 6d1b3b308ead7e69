"""Concurrency, rollback and an unreachable database (the layer itself: tests/civic)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.db import dispose_engines, get_engine, session_scope
from pledges import campaigns
from pledges.messages import PledgeError, unavailable_as_pledge_error
from pledges.signing import SignForm, sign_pledge


def test_counts_exact_under_concurrency(db):
    """Many writers, many repeats: every distinct person counted exactly once."""
    db.campaign()
    contacts = [f"p{n}@example.com" for n in range(60)]
    jobs = contacts * 2  # each person signs twice, concurrently

    def sign(contact):
        with db.session() as session:
            sign_pledge(session=session, campaign_slug="test-campaign", browser_token=None,
                        form=SignForm(city="石嘴山", district="惠农区", item_ids=("clean-plate",),
                                      consent=True, contact=contact))

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(sign, jobs))
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="test-campaign")
        assert campaigns.signature_count(session=session, campaign_id=campaign.id) == len(contacts)


def test_database_unreachable_gives_the_pledge_message():
    # Port 9 on 127.0.0.1 has no PostgreSQL: the connection is refused at once.
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    with pytest.raises(PledgeError, match="db_unavailable") as err, unavailable_as_pledge_error():
        get_engine(url)
    assert err.value.message == "数据库暂时无法连接，本次提交没有保存，请稍后再试。"
    dispose_engines()


def test_session_scope_rolls_back_everything(db):
    db.campaign()
    with pytest.raises(RuntimeError), session_scope(db.engine) as session:
        sign_pledge(session=session, campaign_slug="test-campaign", browser_token="browser-token-abcdefghijkl",
                    form=SignForm(city="运城", district="盐湖区", item_ids=("clean-plate",), consent=True))
        raise RuntimeError("crash after the insert")
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug="test-campaign")
        assert campaigns.signature_count(session=session, campaign_id=campaign.id) == 0
