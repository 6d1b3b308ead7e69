"""Password guessing against staff login: lockout, look-alike usernames, equal refusals."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from pledges import accounts
from pledges.messages import PledgeError
from pledges.models import StaffSession, StaffUser
from pledges.tunables import tunables

PASSWORD = "correct horse battery"
VARIANTS = ["Clerk", "CLERK", " clerk", "clerk ", "clerk\n", "\u200bclerk", "ｃｌｅｒｋ", "clerk\x00"]


def attempt(db, username: str, password: str) -> str:
    """The refusal code of one login attempt, or 'ok'."""
    try:
        with db.session() as session:
            accounts.login(session=session, username=username, password=password)
    except PledgeError as err:
        return err.code
    return "ok"


def sessions(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(StaffSession))


@pytest.fixture
def clerk(db):
    with db.session() as session:
        accounts.create_user(session=session, username="clerk", password=PASSWORD)
    return db


def test_look_alike_usernames_never_log_in(clerk):
    for name in VARIANTS:
        assert attempt(clerk, name, PASSWORD) == "login_failed", repr(name)
    assert sessions(clerk) == 0
    assert attempt(clerk, "clerk", PASSWORD) == "ok"  # and they did not lock the real account


def test_lockout_holds_whatever_is_tried_meanwhile(clerk):
    failures = tunables()["staff"]["lockout_failures"]
    codes = [attempt(clerk, "clerk", f"wrong {n}") for n in range(failures)]
    assert codes == ["login_failed"] * (failures - 1) + ["login_locked"]
    tries = [("clerk", PASSWORD), ("clerk", PASSWORD + " "), ("clerk", PASSWORD.upper())]
    tries += [(name, PASSWORD) for name in VARIANTS]
    for username, password in tries:
        assert attempt(clerk, username, password) in ("login_locked", "login_failed"), (username, password)
    assert sessions(clerk) == 0
    with clerk.session() as session:  # refusals during the lockout neither lift nor reset it
        user = session.scalar(select(StaffUser))
        assert user.locked_until is not None and user.failed_logins == 0


def test_unknown_user_and_wrong_password_get_the_same_words(clerk):
    unknown = wrong = None
    try:
        with clerk.session() as session:
            accounts.login(session=session, username="nobody", password=PASSWORD)
    except PledgeError as err:
        unknown = err.message
    try:
        with clerk.session() as session:
            accounts.login(session=session, username="clerk", password="not it at all")
    except PledgeError as err:
        wrong = err.message
    assert unknown == wrong == "用户名或密码错误。"


def test_every_refusal_costs_one_password_check(clerk, monkeypatch):
    """Unknown user, wrong password and locked account all run argon2 once: no timing oracle."""
    calls = []
    real_verify = PasswordHasher.verify

    def counting_verify(self, hash_, password):
        calls.append(hash_)
        return real_verify(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    failures = tunables()["staff"]["lockout_failures"]
    for username, password in [("nobody", "x"), ("clerk", "wrong")] + [("clerk", "wrong")] * failures + [
            ("clerk", PASSWORD)]:
        calls.clear()
        attempt(clerk, username, password)
        assert len(calls) == 1, (username, password)


def test_login_attempts_per_address_are_limited(clerk):
    limit = tunables()["rate"]["login_per_address"]["count"]
    codes = []
    for n in range(limit + 1):
        try:
            with clerk.session() as session:
                accounts.login(session=session, username=f"nobody{n}", password="x", address="203.0.113.9")
        except PledgeError as err:
            codes.append(err.code)
    assert codes[-1] == "rate_limited" and set(codes[:-1]) == {"login_failed"}
    with pytest.raises(PledgeError, match="rate_limited"), clerk.session() as session:
        accounts.login(session=session, username="clerk", password=PASSWORD, address="203.0.113.9")


def test_concurrent_wrong_guesses_are_all_counted(clerk):
    """Guesses in flight together each count: the counter is incremented in the database."""
    from concurrent.futures import ThreadPoolExecutor

    failures = tunables()["staff"]["lockout_failures"]
    with ThreadPoolExecutor(max_workers=failures - 1) as pool:
        codes = list(pool.map(lambda n: attempt(clerk, "clerk", f"wrong {n}"), range(failures - 1)))
    assert codes == ["login_failed"] * (failures - 1)
    with clerk.session() as session:
        assert session.scalar(select(StaffUser)).failed_logins == failures - 1
    assert attempt(clerk, "clerk", "wrong again") == "login_locked"
