"""The private link: check-ins, streaks, monthly summary, withdraw, forged tokens."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from pledges.checkins import check_in, load_my_pledge, streaks, withdraw
from pledges.messages import PledgeError
from pledges.models import CheckIn, Signature, SignatureItem
from pledges.signing import SignForm, sign_pledge


def signed(db, contact=None):
    db.campaign()
    with db.session() as session:
        return sign_pledge(
            session=session, campaign_slug="test-campaign", browser_token="browser-token-abcdefghijkl",
            form=SignForm(city="天津", district="和平区", item_ids=("clean-plate", "save-standby"),
                          consent=True, display_name="小红", contact=contact),
        ).token


def test_streak_arithmetic():
    today = date(2026, 3, 10)
    days = {today - timedelta(days=n) for n in (0, 1, 2, 5, 6, 7, 8)}
    assert streaks(days, today) == (3, 4)
    assert streaks({today - timedelta(days=1)}, today) == (1, 1)  # yesterday still counts
    assert streaks({today - timedelta(days=2)}, today) == (0, 1)
    assert streaks(set(), today) == (0, 0)


def test_check_in_streak_and_month(db):
    token = signed(db)
    start = date(2026, 3, 1)
    for n in range(4):
        with db.session() as session:
            check_in(session=session, token=token, item_ids=["clean-plate"], today=start + timedelta(days=n))
    with db.session() as session:
        assert check_in(session=session, token=token, item_ids=["clean-plate", "save-standby"],
                        today=start + timedelta(days=3)) == 1  # clean-plate already done that day
    with db.session() as session:
        mine = load_my_pledge(session=session, token=token, today=start + timedelta(days=3))
    assert mine.streak == 4 and mine.longest_streak == 4
    assert mine.month_days == 4
    assert mine.month_by_item == {"clean-plate": 4, "save-standby": 1}
    assert mine.checked_today == {"clean-plate", "save-standby"}
    assert [i for i, _ in mine.items] == ["clean-plate", "save-standby"]
    assert mine.display_name == "小红"


def test_check_in_refuses_unsigned_items_and_empty(db):
    token = signed(db)
    with pytest.raises(PledgeError, match="unknown_item"), db.session() as session:
        check_in(session=session, token=token, item_ids=["ev-choice"])
    with pytest.raises(PledgeError, match="checkin_no_items"), db.session() as session:
        check_in(session=session, token=token, item_ids=[])


def test_forged_and_reused_tokens(db):
    token = signed(db, contact="someone@example.com")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for bad in (forged, "x" * 30, "<script>alert(1)</script>", ""):
        with pytest.raises(PledgeError, match="token_invalid"), db.session() as session:
            load_my_pledge(session=session, token=bad)
    with db.session() as session:
        check_in(session=session, token=token, item_ids=["clean-plate"])
    with db.session() as session:
        withdraw(session=session, token=token)
    for action in (lambda s: load_my_pledge(session=s, token=token),
                   lambda s: check_in(session=s, token=token, item_ids=["clean-plate"]),
                   lambda s: withdraw(session=s, token=token)):
        with pytest.raises(PledgeError, match="token_invalid"), db.session() as session:
            action(session)


def test_withdraw_deletes_personal_data(db):
    token = signed(db, contact="someone@example.com")
    with db.session() as session:
        check_in(session=session, token=token, item_ids=["clean-plate"])
    with db.session() as session:
        withdraw(session=session, token=token)
    with db.session() as session:
        for model in (Signature, SignatureItem, CheckIn):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def test_repeat_signature_gets_a_decoy_link(db):
    real = signed(db, contact="someone@example.com")
    with db.session() as session:
        decoy = sign_pledge(
            session=session, campaign_slug="test-campaign", browser_token="another-browser-abcdefgh",
            form=SignForm(city="天津", district="和平区", item_ids=("clean-plate",), consent=True,
                          contact="someone@example.com"),
        ).token
    with db.session() as session:
        assert load_my_pledge(session=session, token=real).display_name == "小红"
    with pytest.raises(PledgeError, match="token_invalid"), db.session() as session:
        load_my_pledge(session=session, token=decoy)  # the repeat cannot take over the first
