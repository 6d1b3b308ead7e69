"""Form validators behind the database: a refusal is a PledgeError and writes nothing.

Runs on SQLite and PostgreSQL (the ``db`` fixture of tests/pledges). Each property
snapshots every pledge table before a call; a refused call must leave them equal.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pledges import accounts, campaigns
from pledges.checkins import check_in
from pledges.messages import PledgeError
from pledges.models import Signature
from pledges.signing import SignForm, sign_pledge
from pledges.validation import check_plain_text, sanitise_markdown
from tests.hostile.payloads import has_chinese, intro_violations, snapshot
from tests.hostile.strategies import DB_FAST, around, hostile_text, nasty_text


def refused(err: PledgeError) -> None:
    assert has_chinese(err.message), err.code


slugs = around(st.from_regex(r"\A[a-z0-9][a-z0-9\-]{1,10}[a-z0-9]\Z"))
colours = around(st.from_regex(r"\A#[0-9a-fA-F]{6}\Z"))
item_lists = st.lists(st.one_of(st.sampled_from(["clean-plate", "sort-waste", "save-standby"]), hostile_text(12)),
                      max_size=4).map(tuple)


@DB_FAST
@given(slug=slugs, title=hostile_text(), intro=hostile_text(120), colour=colours,
       goal=st.integers(-5, 10**9), items=item_lists)
@example(slug="ok-slug", title="标题", intro="", colour="#aabbcc\n", goal=10, items=("clean-plate",))
def test_campaign_form_refused_cleanly_or_stored_clean(db, slug, title, intro, colour, goal, items):
    before = snapshot(db)
    data = campaigns.CampaignInput(slug=slug, title=title, city=None, starts_on=date(2026, 1, 1),
                                   ends_on=date(2026, 12, 31), goal=goal, item_ids=items, intro=intro, colour=colour)
    try:
        with db.session() as session:
            created = campaigns.create_campaign(session=session, data=data)
            stored = (created.slug, created.title, created.intro, created.colour, created.goal)
            session.rollback()  # keep the database as it was for the next example
    except PledgeError as err:
        refused(err)
        assert snapshot(db) == before
        return
    slug_, title_, intro_, colour_, goal_ = stored
    assert re.fullmatch(r"[a-z0-9][a-z0-9\-]{1,38}[a-z0-9]", slug_)
    assert check_plain_text(title_) == title_ and 0 < len(title_) <= 60
    assert intro_violations(intro_) == [] and sanitise_markdown(intro_) == intro_
    assert re.fullmatch(r"#[0-9a-f]{6}", colour_) and goal_ >= 1


@settings(DB_FAST, max_examples=12)  # argon2 makes every accepted account cost ~0.1 s
@given(username=around(st.from_regex(r"\A[A-Za-z0-9_\-]{3,12}\Z")), password=hostile_text(20))
@example(username="clerk\n", password="long enough password")
def test_staff_account_form_refused_cleanly_or_stored_clean(db, username, password):
    before = snapshot(db)
    try:
        with db.session() as session:
            user = accounts.create_user(session=session, username=username, password=password)
            stored = user.username
            session.rollback()
    except PledgeError as err:
        refused(err)
        assert snapshot(db) == before
        return
    assert re.fullmatch(r"[A-Za-z0-9_\-]{3,32}", stored), repr(stored)
    assert len(password) >= 10


CITIES = st.one_of(st.sampled_from(["天津", "定州", "北京"]), hostile_text(8), st.none())
DISTRICTS = st.one_of(st.sampled_from(["和平区", "南城区街道", "其他"]), hostile_text(8), st.none())


@DB_FAST
@given(city=CITIES, district=DISTRICTS, items=item_lists, consent=st.booleans(),
       name=st.one_of(st.none(), hostile_text(30)),
       contact=st.one_of(st.none(), hostile_text(30), around(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))))
def test_signing_form_refused_cleanly_or_stored_clean(db, city, district, items, consent, name, contact):
    if not getattr(db, "_hostile_campaign", False):
        db.campaign()
        db._hostile_campaign = True
    before = snapshot(db)
    form = SignForm(city=city, district=district, item_ids=items, consent=consent, display_name=name,
                    contact=contact)
    try:
        with db.session() as session:
            result = sign_pledge(session=session, campaign_slug="test-campaign", form=form,
                                 browser_token="browser-token-abcdefghijkl")
            row = session.scalar(select(Signature).order_by(Signature.id.desc()))
            stored = (row.city, row.district, row.display_name)
            session.rollback()
    except PledgeError as err:
        refused(err)
        assert snapshot(db) == before
        return
    assert consent and stored[0] == city and stored[1] == district
    assert stored[2] is None or (check_plain_text(stored[2]) == stored[2] and len(stored[2]) <= 20)
    assert result.display_name == stored[2]


@DB_FAST
@given(items=st.lists(st.one_of(st.sampled_from(["clean-plate", "save-standby", "sort-waste"]), nasty_text),
                      max_size=5))
def test_check_in_refused_cleanly_or_counts_once(db, items):
    if not getattr(db, "_hostile_token", None):
        db.campaign()
        with db.session() as session:
            db._hostile_token = sign_pledge(
                session=session, campaign_slug="test-campaign", browser_token="browser-token-abcdefghijkl",
                form=SignForm(city="天津", district="和平区", item_ids=("clean-plate", "save-standby"), consent=True),
            ).token
    before = snapshot(db)
    try:
        with db.session() as session:
            added = check_in(session=session, token=db._hostile_token, item_ids=items, today=date(2026, 3, 1))
            again = check_in(session=session, token=db._hostile_token, item_ids=items, today=date(2026, 3, 1))
            session.rollback()
    except PledgeError as err:
        refused(err)
        assert snapshot(db) == before
        return
    assert added == len(set(items)) and again == 0  # a replayed check-in counts nothing
