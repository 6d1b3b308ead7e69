"""Saved self-check answers expire after selfcheck_retention_days, on SQLite and PostgreSQL; the clock moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from civic.db import session_scope
from civic.settings import get_settings, reset_settings
from engagement.models import responses
from engagement.resume_codes import ResumeCodeError
from engagement.retention import expire_saved, main, notice
from engagement.store import issue_resume_code, load_by_code, save_response

SECRET = b"test-secret"


def _save(engine, *, counted: bool, code: bool) -> str | None:
    with session_scope(engine) as session:
        rid = save_response(session=session, topic="heating", mode="express", answers={"city": "shizuishan"},
                            city="shizuishan", district=None, overall=40, categories={"fuel": 0}, counted=counted)
        return issue_resume_code(session=session, response_id=rid, secret=SECRET) if code else None


def _resume(engine, code: str):
    with session_scope(engine) as session:
        return load_by_code(session=session, code=code, secret=SECRET, topic="heating")


def test_saved_answers_expire_after_the_period(engine, monkeypatch):
    monkeypatch.setenv("CIVIC_SELFCHECK_RETENTION_DAYS", "10")
    reset_settings()
    kept_code = _save(engine, counted=True, code=True)  # counted in the aggregates, with a code
    lone_code = _save(engine, counted=False, code=True)  # saved for later, not counted
    _save(engine, counted=False, code=False)  # a result viewed without consent to count it
    now = datetime.now(UTC)

    with session_scope(engine) as session:  # within the period nothing changes
        assert expire_saved(session=session, now=now + timedelta(days=9)).deleted == 0
    assert _resume(engine, kept_code).answers == {"city": "shizuishan"}

    with session_scope(engine) as session:
        expired = expire_saved(session=session, now=now + timedelta(days=10, minutes=1))
    assert (expired.deleted, expired.codes_voided) == (2, 1)
    for code in (kept_code, lone_code):
        with pytest.raises(ResumeCodeError, match="可能已被清理"):
            _resume(engine, code)
    with session_scope(engine) as session:  # the counted answers stay for the aggregates, without a code
        left = session.execute(select(responses.c.counted, responses.c.resume_digest)).all()
        assert left == [(True, None)]
        again = expire_saved(session=session, now=now + timedelta(days=11))
    assert (again.deleted, again.codes_voided) == (0, 0)


def test_the_command_and_the_notice_use_the_setting(engine, monkeypatch, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CIVIC_SELFCHECK_RETENTION_DAYS", "3")
    reset_settings()
    assert "3 天内有效" in notice() and get_settings().selfcheck_retention_days == 3
    _save(engine, counted=False, code=True)
    assert main(["--now", (datetime.now(UTC) + timedelta(days=2)).isoformat()]) == 0
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(responses)) == 1
    assert main(["--now", (datetime.now(UTC) + timedelta(days=4)).isoformat()]) == 0
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(responses)) == 0
