"""Logged questions older than the retention setting are deleted; links and pairs stay."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import select

from desk.models import LoggedQuestion
from desk.retention import purge
from desk.teach import add_link, list_links
from desk.tunables import utcnow
from tests.desk.conftest import CLAUSE, NOTICE, QUOTE


def questions(desk) -> set[str]:
    with desk.session() as s:
        return set(s.scalars(select(LoggedQuestion.question)))


def test_moving_the_clock_past_the_retention_deletes_old_questions(desk, corpus):
    now = utcnow()
    desk.log("第一天问的", asked_at=now)
    desk.log("第十天问的", asked_at=now + timedelta(days=10))
    with desk.session() as s:
        add_link(session=s, question="第一天问的饭店浪费", notice_id=NOTICE, clause_path=CLAUSE, quote=QUOTE,
                 created_by="a", corpus=corpus)
    with desk.session() as s:
        assert purge(session=s, days=180, now=now + timedelta(days=179)) == 0
    assert questions(desk) == {"第一天问的", "第十天问的"}
    with desk.session() as s:
        assert purge(session=s, days=180, now=now + timedelta(days=181)) == 1
    assert questions(desk) == {"第十天问的"}
    with desk.session() as s:
        assert purge(session=s, days=180, now=now + timedelta(days=191)) == 1
        assert len(list_links(session=s)) == 1  # staff data is not the log


def test_the_command_reads_the_setting(desk):
    now = utcnow()
    desk.log("两百天前", asked_at=now - timedelta(days=200))
    desk.log("一百天前", asked_at=now - timedelta(days=100))
    desk.log("今天", asked_at=now)
    env = dict(os.environ, DATABASE_URL=desk.url)
    run = [sys.executable, "-m", "desk.retention"]
    dry = subprocess.run([*run, "--dry-run"], capture_output=True, text=True, env=env, timeout=120)
    assert dry.returncode == 0 and "1 条" in dry.stdout and len(questions(desk)) == 3
    done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert questions(desk) == {"一百天前", "今天"}
    env["CIVIC_DESK_RETENTION_DAYS"] = "30"
    assert subprocess.run(run, capture_output=True, text=True, env=env, timeout=120).returncode == 0
    assert questions(desk) == {"今天"}
