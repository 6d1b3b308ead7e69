"""Forged, truncated, tampered, expired, other-secret and replayed tokens: refused, nothing changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from civic.settings import reset_settings
from engagement import messages as sc_messages
from engagement.resume_codes import ResumeCodeError, new_code, normalise, verify
from engagement.store import issue_resume_code, load_by_code, save_response
from pledges import accounts, stats
from pledges.campaigns import get_campaign
from pledges.checkins import check_in, load_my_pledge, withdraw
from pledges.messages import PledgeError
from pledges.models import StaffSession
from pledges.signing import SignForm, sign_pledge
from tests.hostile.payloads import has_chinese, snapshot
from tests.hostile.strategies import FAST, hostile_text

PASSWORD = "correct horse battery"


def refused(db, action, code: str) -> None:
    """``action(session)`` raises ``code`` with a Chinese message and leaves every table as it was."""
    before = snapshot(db)
    with pytest.raises(PledgeError) as err, db.session() as session:
        action(session)
    assert err.value.code == code and has_chinese(err.value.message)
    assert snapshot(db) == before


def mangled(token: str) -> list[str]:
    flip = "A" if token[5] != "A" else "B"
    return [
        token[:-1], token[:20], token[:19], token[1:], token + "A", token + "\n", token + "\x00", " " + token,
        token[:5] + flip + token[6:], token.upper() if token.upper() != token else token.lower(),
        token.replace(token[0], "\u0430", 1),  # Cyrillic look-alike
        "A" * len(token), "", "t=" + token,
    ]


def signed(db, **form) -> tuple[str, str]:
    db.campaign()
    with db.session() as session:
        result = sign_pledge(
            session=session, campaign_slug="test-campaign", browser_token="browser-token-abcdefghijkl",
            form=SignForm(city="天津", district="和平区", item_ids=("clean-plate",), consent=True, **form),
        )
    return result.token, result.ref


def test_private_link_refuses_every_mangled_token(db):
    token, _ = signed(db)
    for bad in mangled(token):
        for action in (lambda s, t=bad: load_my_pledge(session=s, token=t),
                       lambda s, t=bad: check_in(session=s, token=t, item_ids=["clean-plate"]),
                       lambda s, t=bad: withdraw(session=s, token=t)):
            refused(db, action, "token_invalid")


def test_private_link_from_another_server_secret_is_refused(db, monkeypatch):
    token, _ = signed(db)
    monkeypatch.setenv("CIVIC_SECRET_KEY", "a-different-secret")
    reset_settings()
    refused(db, lambda s: load_my_pledge(session=s, token=token), "token_invalid")
    monkeypatch.setenv("CIVIC_SECRET_KEY", "test-secret")
    reset_settings()
    with db.session() as session:
        assert load_my_pledge(session=session, token=token).ref


def test_replayed_one_time_actions(db):
    token, ref = signed(db, contact="someone@example.com")
    day = date(2026, 3, 1)
    with db.session() as session:
        assert check_in(session=session, token=token, item_ids=["clean-plate"], today=day) == 1
    before = snapshot(db)
    with db.session() as session:  # the same check-in again that day counts nothing
        assert check_in(session=session, token=token, item_ids=["clean-plate", "clean-plate"], today=day) == 0
    assert snapshot(db) == before
    with db.session() as session:
        withdraw(session=session, token=token)
    refused(db, lambda s: withdraw(session=s, token=token), "token_invalid")
    with db.session() as session:
        campaign_id = get_campaign(session=session, slug="test-campaign").id
    # Staff acting on a signature the signer already withdrew: refused, nothing changes.
    refused(db, lambda s: stats.delete_signature(session=s, campaign_id=campaign_id, ref=ref), "signature_not_found")


def test_staff_delete_and_hide_refuse_replays_and_junk(db):
    _, ref = signed(db)
    with db.session() as session:
        campaign_id = get_campaign(session=session, slug="test-campaign").id
        stats.delete_signature(session=session, campaign_id=campaign_id, ref=ref.lower())
    for bad in (ref, ref + "\x00", "\x00", "' OR 1=1 --", "<script>", ref[:-1], "Ｘ" * 10):
        refused(db, lambda s, r=bad: stats.delete_signature(session=s, campaign_id=campaign_id, ref=r),
                "signature_not_found")
        refused(db, lambda s, r=bad: stats.set_name_hidden(session=s, campaign_id=campaign_id, ref=r),
                "signature_not_found")


def test_staff_sessions_refuse_mangled_expired_other_secret_and_logged_out(db, monkeypatch):
    with db.session() as session:
        accounts.create_user(session=session, username="clerk", password=PASSWORD)
    with db.session() as session:
        token = accounts.login(session=session, username="clerk", password=PASSWORD).token
    for bad in [*mangled(token), None]:
        refused(db, lambda s, t=bad: accounts.current_user(session=s, token=t), "session_expired")
    monkeypatch.setenv("CIVIC_SECRET_KEY", "a-different-secret")
    reset_settings()
    refused(db, lambda s: accounts.current_user(session=s, token=token), "session_expired")
    monkeypatch.setenv("CIVIC_SECRET_KEY", "test-secret")
    reset_settings()
    with db.session() as session:
        assert accounts.current_user(session=session, token=token) == "clerk"
        row = session.scalar(select(StaffSession))
        row.expires_at -= timedelta(hours=8, seconds=1)
    refused(db, lambda s: accounts.current_user(session=s, token=token), "session_expired")
    with db.session() as session:
        fresh = accounts.login(session=session, username="clerk", password=PASSWORD).token
    with db.session() as session:
        accounts.logout(session=session, token=fresh)
    refused(db, lambda s: accounts.current_user(session=s, token=fresh), "session_expired")
    with db.session() as session:
        accounts.logout(session=session, token=fresh)  # logging out twice is harmless


SECRET = b"test-secret"


@FAST
@given(st.one_of(hostile_text(30), st.text(alphabet="23456789ABCDEFGHJKMNPQRSTUVWXYZ- ", min_size=10, max_size=16)))
def test_resume_code_is_refused_with_a_message_or_canonical(raw):
    try:
        code = verify(raw, SECRET)
    except ResumeCodeError as err:
        assert str(err) in (sc_messages.RESUME_BAD_FORMAT, sc_messages.RESUME_FORGED)
        return
    assert verify(code, SECRET) == code and normalise(code) == normalise(raw)


def test_resume_code_tampered_anywhere_or_from_another_secret_is_refused():
    code = normalise(new_code(SECRET))
    for n in range(len(code)):
        for other in "2Z":
            if other != code[n]:
                with pytest.raises(ResumeCodeError):
                    verify(code[:n] + other + code[n + 1:], SECRET)
    with pytest.raises(ResumeCodeError, match="校验未通过"):
        verify(code, b"another-secret")


def test_resume_codes_replayed_reissued_and_cross_topic(engine):
    with Session(engine) as session:
        response_id = save_response(session=session, topic="heating", mode="express", answers={"area": "rural"},
                                    city=None, district=None, overall=50, categories={}, counted=False)
        first = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
        saved = [load_by_code(session=session, code=first, secret=SECRET, topic="heating").answers
                 for _ in range(2)]
        assert saved[0] == saved[1] == {"area": "rural"}  # resuming twice is harmless
        with pytest.raises(ResumeCodeError, match="清洁取暖"):
            load_by_code(session=session, code=first, secret=SECRET, topic="food")
        second = issue_resume_code(session=session, response_id=response_id, secret=SECRET)
        with pytest.raises(ResumeCodeError) as err:
            load_by_code(session=session, code=first, secret=SECRET, topic="heating")
        assert str(err.value) == sc_messages.RESUME_NOT_FOUND  # the earlier code stopped working
        assert load_by_code(session=session, code=second, secret=SECRET, topic="heating").id == response_id
