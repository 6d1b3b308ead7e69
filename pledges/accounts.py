"""Staff accounts: argon2 password hashes, lockout after failures, expiring sessions."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledges import ratelimit
from pledges.identity import keyed_hash, new_token
from pledges.messages import PledgeError
from pledges.models import StaffSession, StaffUser
from pledges.tunables import tunables, utcnow

_USERNAME = re.compile(r"[A-Za-z0-9_\-]{3,32}")  # always fullmatch: "$" lets a final newline through


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against for unknown users so both paths cost the same."""
    return _hasher().hash("not-a-real-password")


@dataclass(frozen=True)
class StaffLogin:
    token: str
    username: str


def create_user(*, session: Session, username: str, password: str) -> StaffUser:
    if not _USERNAME.fullmatch(username or ""):
        raise PledgeError("username_invalid")
    minimum = tunables()["staff"]["password_min"]
    if len(password or "") < minimum:
        raise PledgeError("password_too_short", min=minimum)
    user = StaffUser(
        username=username, password_hash=_hasher().hash(password), failed_logins=0, created_at=utcnow()
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        raise PledgeError("username_taken") from exc
    return user


def login(*, session: Session, username: str, password: str, address: str | None = None) -> StaffLogin:
    """A new session token; wrong passwords count towards a temporary lockout.

    A failed attempt commits the session before raising, so the failure counter
    and the rate-limit event survive the caller's rollback.
    """
    conf = tunables()["staff"]
    ratelimit.hit(session=session, rule="login_per_address", key=address)
    now = utcnow()
    # A name no account can have is never looked up (PostgreSQL refuses NUL in a query).
    wellformed = isinstance(username, str) and _USERNAME.fullmatch(username)
    user = session.scalar(select(StaffUser).where(StaffUser.username == username)) if wellformed else None
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher().verify(_dummy_hash(), password or "")
        session.commit()
        raise PledgeError("login_failed")
    if user.locked_until and user.locked_until > now:
        with contextlib.suppress(VerificationError):  # same cost as every other refusal
            _hasher().verify(_dummy_hash(), password or "")
        session.commit()
        raise PledgeError("login_locked", minutes=conf["lockout_minutes"])
    try:
        _hasher().verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        # Counted in the database, so concurrent wrong guesses cannot overwrite each other's count.
        failures = session.execute(
            update(StaffUser).where(StaffUser.id == user.id)
            .values(failed_logins=StaffUser.failed_logins + 1).returning(StaffUser.failed_logins)
        ).scalar_one()
        if failures >= conf["lockout_failures"]:
            session.execute(
                update(StaffUser).where(StaffUser.id == user.id)
                .values(failed_logins=0, locked_until=now + timedelta(minutes=conf["lockout_minutes"]))
            )
            session.commit()
            raise PledgeError("login_locked", minutes=conf["lockout_minutes"]) from None
        session.commit()
        raise PledgeError("login_failed") from None
    user.failed_logins, user.locked_until = 0, None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    token = new_token()
    session.add(
        StaffSession(
            token_hash=keyed_hash("staff", token), user_id=user.id,
            expires_at=now + timedelta(hours=conf["session_hours"]),
        )
    )
    session.execute(delete(StaffSession).where(StaffSession.expires_at < now))
    return StaffLogin(token=token, username=user.username)


def current_user(*, session: Session, token: str | None) -> str:
    """The username behind a live session token; raises session_expired otherwise."""
    if not token:
        raise PledgeError("session_expired")
    row = session.get(StaffSession, keyed_hash("staff", token))
    if row is None or row.expires_at <= utcnow():
        raise PledgeError("session_expired")
    return session.get(StaffUser, row.user_id).username


def logout(*, session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == keyed_hash("staff", token)))
