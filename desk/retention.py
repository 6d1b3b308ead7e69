"""Logged questions are kept ``CIVIC_DESK_RETENTION_DAYS`` days (default 180), then deleted.

The app's log writer deletes old rows as it goes (at most hourly); this command does it on a
schedule, for a deployment where few questions arrive or none for a while:

    python -m desk.retention [--days N] [--dry-run]

e.g. from cron (``15 3 * * * cd /srv/civic && .venv/bin/python -m desk.retention``) or the systemd
timer in deploy/systemd/. Taught links and word pairs are staff data, not the log: they stay.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from desk.models import LoggedQuestion
from desk.tunables import utcnow


def cutoff(days: int | None = None, now: datetime | None = None) -> datetime:
    if days is None:
        from civic.settings import get_settings

        days = get_settings().desk_retention_days
    return (now or utcnow()) - timedelta(days=days)


def purge(*, session: Session, days: int | None = None, now: datetime | None = None) -> int:
    """Delete logged questions asked before ``now - days``; returns how many."""
    result = session.execute(delete(LoggedQuestion).where(LoggedQuestion.asked_at < cutoff(days, now)))
    return int(result.rowcount or 0)


def count_older(*, session: Session, days: int | None = None, now: datetime | None = None) -> int:
    query = select(func.count()).select_from(LoggedQuestion).where(LoggedQuestion.asked_at < cutoff(days, now))
    return int(session.scalar(query) or 0)


def main(argv: list[str] | None = None) -> int:
    from civic.db import DatabaseUnavailable, get_engine, session_scope
    from civic.settings import get_settings

    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m desk.retention", description="删除超过保存期限的提问记录")
    parser.add_argument("--days", type=int, default=settings.desk_retention_days,
                        help=f"保存天数（默认取设置 CIVIC_DESK_RETENTION_DAYS，现为 {settings.desk_retention_days}）")
    parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days 至少为 1")
    try:
        with session_scope(get_engine(settings.sqlalchemy_url)) as session:
            if args.dry_run:
                print(f"超过 {args.days} 天的提问记录：{count_older(session=session, days=args.days)} 条（未删除）。")
            else:
                print(f"已删除超过 {args.days} 天的提问记录：{purge(session=session, days=args.days)} 条。")
    except DatabaseUnavailable as exc:
        print(f"{exc.message}（{exc}）", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
