"""Migrations, concurrency and an unreachable database."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect

from pledges import campaigns
from pledges.db import dispose_engines, get_engine, migrate, session_scope
from pledges.messages import PledgeError
from pledges.signing import SignForm, sign_pledge


def test_migrations_create_prefixed_tables_and_are_idempotent(db):
    migrate(db.engine)  # second run is a no-op
    names = set(inspect(db.engine).get_table_names())
    assert {"pledge_campaigns", "pledge_signatures", "pledges_alembic_version"} <= names
    assert all(n.startswith("pledge") for n in names)


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


def test_database_unreachable_gives_a_clear_message(monkeypatch):
    # Port 9 on 127.0.0.1 has no PostgreSQL: the connection is refused at once.
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    with pytest.raises(PledgeError, match="db_unavailable") as err:
        get_engine(url)
    assert "数据库" in err.value.message
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
