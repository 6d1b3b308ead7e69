"""Staff accounts: argon2, lockout, session expiry, the admin CLI."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from pledges import accounts
from pledges.admin import main as admin_main
from pledges.messages import PledgeError
from pledges.models import StaffSession, StaffUser

PASSWORD = "correct horse battery"


def make_user(db):
    with db.session() as session:
        accounts.create_user(session=session, username="xuanchuan", password=PASSWORD)


def login(db, password=PASSWORD, username="xuanchuan"):
    with db.session() as session:
        return accounts.login(session=session, username=username, password=password)


def test_password_hashed_with_argon2(db):
    make_user(db)
    with db.session() as session:
        stored = session.scalar(select(StaffUser.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_session_and_logout(db):
    make_user(db)
    staff = login(db)
    with db.session() as session:
        assert accounts.current_user(session=session, token=staff.token) == "xuanchuan"
        accounts.logout(session=session, token=staff.token)
    with pytest.raises(PledgeError, match="session_expired"), db.session() as session:
        accounts.current_user(session=session, token=staff.token)


def test_unknown_user_and_wrong_password_look_alike(db):
    make_user(db)
    for username, password in (("nobody", PASSWORD), ("xuanchuan", "wrong password")):
        with pytest.raises(PledgeError) as err:
            login(db, password=password, username=username)
        assert err.value.code == "login_failed"


def test_lockout_after_repeated_failures(db):
    make_user(db)
    for _ in range(4):
        with pytest.raises(PledgeError, match="login_failed"):
            login(db, password="wrong password")
    with pytest.raises(PledgeError, match="login_locked"):
        login(db, password="wrong password")
    with pytest.raises(PledgeError, match="login_locked") as err:
        login(db)  # even the right password, while locked
    assert "15" in err.value.message


def test_session_expires(db):
    make_user(db)
    staff = login(db)
    with db.session() as session:
        row = session.scalar(select(StaffSession))
        row.expires_at = row.expires_at - timedelta(hours=9)
    with pytest.raises(PledgeError, match="session_expired"), db.session() as session:
        accounts.current_user(session=session, token=staff.token)


def test_bad_usernames_and_short_passwords(db):
    for username, password, code in (("a", PASSWORD, "username_invalid"),
                                     ("<script>", PASSWORD, "username_invalid"),
                                     ("okname", "short", "password_too_short")):
        with pytest.raises(PledgeError) as err, db.session() as session:
            accounts.create_user(session=session, username=username, password=password)
        assert err.value.code == code
    make_user(db)
    with pytest.raises(PledgeError, match="username_taken"):
        make_user(db)


def test_admin_cli_creates_user(monkeypatch, capsys, data_dir):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert admin_main(["create-user", "clerk", "--password-stdin"]) == 0
    assert "clerk" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert admin_main(["create-user", "clerk", "--password-stdin"]) == 1
    assert "已存在" in capsys.readouterr().err
    assert admin_main(["unlock", "clerk"]) == 0
    from civic.db import dispose_engines

    dispose_engines()
