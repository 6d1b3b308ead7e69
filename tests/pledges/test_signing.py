"""Signing on both databases: dedup, bad input, nothing half-written."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pledges import campaigns
from pledges.messages import PledgeError
from pledges.models import RateEvent, Signature, SignatureItem
from pledges.signing import SignForm, sign_pledge
from pledges.tunables import local_date

BROWSER = "browser-token-abcdefghijklmnop"


def form(**overrides) -> SignForm:
    data = dict(city="定州", district="南城区街道", item_ids=("clean-plate",), consent=True)
    data.update(overrides)
    return SignForm(**data)


def sign(db, slug="test-campaign", browser=BROWSER, **kw):
    with db.session() as session:
        return sign_pledge(session=session, campaign_slug=slug, form=form(**kw), browser_token=browser)


def rows(db):
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Signature)),
            session.scalar(select(func.count()).select_from(SignatureItem)),
        )


def test_sign_and_count(db):
    db.campaign()
    result = sign(db, display_name="小明", item_ids=("clean-plate", "small-portions"))
    assert result.count == 1
    assert result.item_titles == ["光盘行动", "适量点餐，小份菜，剩菜打包"]
    assert result.display_name == "小明"
    assert len(result.token) >= 20
    assert rows(db) == (1, 2)


def test_same_contact_counts_once_and_looks_the_same(db):
    db.campaign()
    first = sign(db, contact="13800138000", browser="b" * 24)
    second = sign(db, contact="+86 138 0013 8000", browser="c" * 24)
    assert first.count == second.count == 1
    assert type(first) is type(second) and second.token and second.ref  # nothing reveals the repeat
    assert rows(db) == (1, 1)


def test_contact_stored_only_as_keyed_hash(db):
    """Without SMTP settings no contact is kept in clear, even when a request asks for reminders."""
    db.campaign()
    sign(db, contact="13800138000")
    sign(db, contact="xiaoli@example.com", reminders=True, browser="d" * 24)
    assert db.tables_holding("13800138000") == []
    assert db.tables_holding("xiaoli") == []
    assert rows(db)[0] == 2


def test_same_browser_counts_once_per_campaign(db):
    db.campaign()
    db.campaign("other-campaign")
    sign(db)
    sign(db)
    assert sign(db, slug="other-campaign").count == 1
    assert rows(db)[0] == 2


def test_default_campaign_is_created_on_first_use(db):
    with db.session() as session:
        result = sign_pledge(session=session, campaign_slug=None, form=form(), browser_token=BROWSER)
    assert result.count == 1 and result.campaign_title == "绿色生活，从我做起"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (dict(city=None, district=None, item_ids=(), consent=False), "empty_form"),
        (dict(consent=False), "no_consent"),
        (dict(city=None), "no_city"),
        (dict(city="北京"), "unknown_city"),
        (dict(district=None), "no_district"),
        (dict(district="和平区"), "unknown_district"),
        (dict(item_ids=()), "no_items"),
        (dict(item_ids=("fly-less",)), "unknown_item"),
        (dict(item_ids=("ev-choice",)), "item_not_in_campaign"),
        (dict(display_name="名" * 10_000), "name_too_long"),
        (dict(display_name="<script>alert(1)</script>"), "markup"),
        (dict(display_name="=cmd|' /C calc'!A0"), "formula"),
        (dict(contact="=cmd|' /C calc'!A0"), "contact_invalid"),
        (dict(contact="<img src=x onerror=alert(1)>"), "contact_invalid"),
        (dict(district="<script>"), "unknown_district"),
        (dict(city="=cmd|' /C calc'!A0"), "unknown_city"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(db, overrides, code):
    db.campaign()
    with pytest.raises(PledgeError) as err:
        sign(db, **overrides)
    assert err.value.code == code
    assert "\u4e00" <= err.value.message[0] <= "\u9fff" or err.value.message
    assert rows(db) == (0, 0)


def test_unknown_campaign(db):
    for slug in ("no-such-campaign", "<script>", "=cmd|x"):
        with pytest.raises(PledgeError, match="campaign_not_found"):
            sign(db, slug=slug)


def test_city_campaign_refuses_other_cities(db):
    db.campaign(city="天津")
    with pytest.raises(PledgeError, match="city_not_in_campaign") as err:
        sign(db)
    assert "天津" in err.value.message


def test_closed_before_start_and_after_end(db):
    today = local_date()
    db.campaign("future", starts_on=today + timedelta(days=3))
    db.campaign("past", starts_on=date(2020, 1, 1), ends_on=today - timedelta(days=1))
    with pytest.raises(PledgeError, match="campaign_not_started") as early:
        sign(db, slug="future")
    with pytest.raises(PledgeError, match="campaign_ended") as late:
        sign(db, slug="past")
    assert str(today + timedelta(days=3)) in early.value.message
    assert "结束" in late.value.message
    assert rows(db) == (0, 0)
    with db.session() as session:
        assert campaigns.status(campaigns.get_campaign(session=session, slug="past")) == "ended"


def test_rate_limit_per_session(db):
    db.campaign()
    with db.session() as session:
        for n in range(5):
            sign_pledge(session=session, campaign_slug="test-campaign", form=form(),
                        browser_token=f"browser-{n:02d}-abcdefghijklmnop", session_key="s1")
    with pytest.raises(PledgeError, match="rate_limited"), db.session() as session:
        sign_pledge(session=session, campaign_slug="test-campaign", form=form(),
                    browser_token="browser-99-abcdefghijklmnop", session_key="s1")
    assert rows(db)[0] == 5
    with db.session() as session:  # the address is stored only as a keyed hash
        assert all("s1" not in b for b in session.scalars(select(RateEvent.bucket)))
