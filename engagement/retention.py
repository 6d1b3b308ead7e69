"""Saved self-check answers expire on a schedule, like signatures (``selfcheck_retention_days``).

    python -m engagement.retention [--now 2026-12-24T12:00]

Run by the same timer as ``python -m pledges.remind`` (docs/pledges.md). A response last
saved more than the period ago loses its resume code (the code stops working); if it was
not counted in the anonymous aggregates it is deleted outright, since nothing uses it
any more. Counted answers stay, anonymous, so the aggregates still add up. The
self-check page states the period (:func:`notice`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, update
from sqlalchemy.orm import Session

from civic.db import DatabaseUnavailable, default_engine, session_scope
from civic.settings import get_settings
from engagement.models import responses

log = logging.getLogger("engagement.retention")


@dataclass(frozen=True)
class Expired:
    deleted: int
    codes_voided: int


def expire_saved(*, session: Session, now: datetime | None = None) -> Expired:
    """Apply the period to every response; safe to repeat."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=get_settings().selfcheck_retention_days)
    deleted = session.execute(
        delete(responses).where(and_(responses.c.counted.is_(False), responses.c.updated_at < cutoff))
    ).rowcount or 0
    voided = session.execute(
        update(responses).where(responses.c.resume_digest.is_not(None), responses.c.updated_at < cutoff)
        .values(resume_digest=None)
    ).rowcount or 0
    return Expired(deleted=deleted, codes_voided=voided)


def notice() -> str:
    """What the self-check page says about keeping saved answers (the period from the settings)."""
    days = get_settings().selfcheck_retention_days
    return (f"续填码自最后一次保存起 {days} 天内有效；到期后续填码失效，"
            "没有计入匿名汇总的回答会被删除。回答中不含姓名、电话等个人信息。")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engagement.retention", description="定时任务：清理到期的自查回答")
    parser.add_argument("--now", type=datetime.fromisoformat, default=None,
                        help="按这个时间运行（ISO 格式，带时区；用于测试和补跑）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    now = args.now.astimezone(UTC) if args.now and args.now.tzinfo else (args.now or None)
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        with session_scope(default_engine()) as session:
            expired = expire_saved(session=session, now=now)
    except DatabaseUnavailable as exc:
        log.error("database unavailable (%s); nothing done", type(exc).__name__)
        return 2
    log.info("done: deleted=%d codes_voided=%d", expired.deleted, expired.codes_voided)
    return 0


if __name__ == "__main__":
    sys.exit(main())
