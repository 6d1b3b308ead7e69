"""The scheduled command: retention, then confirmation mails, then due reminders.

    python -m pledges.remind [--max N] [--per-second R] [--now 2026-12-24T12:00]

Meant for a systemd timer or cron (docs/pledges.md). Every step is safe to repeat and
to run twice at once: retention only changes rows still to change, and each mail is
claimed with a compare-and-set update before it is sent, so a second run finds nothing
left to send. Mails are paced (``per_second``) and bounded (``max_per_run``); a mail the
server refused is released for the next run. It logs counts, never an address.
Without SMTP settings it runs retention only.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine

from civic.db import DatabaseUnavailable, default_engine, session_scope
from pledges import mail, reminders, retention
from pledges.tunables import tunables, utcnow

log = logging.getLogger("pledges.remind")


@dataclass
class Counts:
    signatures_anonymised: int = 0
    reminders_deleted: int = 0
    rate_events_pruned: int = 0
    confirmations_sent: int = 0
    reminders_sent: int = 0
    failed: int = 0
    left_for_next_run: int = 0

    def line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in vars(self).items())


class Pace:
    """At most ``per_second`` sends a second, and ``budget`` in all."""

    def __init__(self, per_second: float, budget: int) -> None:
        self.gap = 1.0 / per_second if per_second > 0 else 0.0
        self.budget = budget
        self._last = 0.0

    def take(self) -> bool:
        if self.budget <= 0:
            return False
        wait = self._last + self.gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        self.budget -= 1
        return True


def send_confirmation(*, engine: Engine, channel: mail.Channel, reminder_id: int, now: datetime) -> bool:
    """Send one row's confirmation mail unless someone else has; True if this call sent it."""
    with session_scope(engine) as session:
        if not reminders.claim_confirmation(session=session, reminder_id=reminder_id, now=now):
            return False
        view = reminders.mail_view(session=session, reminder_id=reminder_id)
    try:
        channel.send(view.address, mail.confirmation(view))
    except mail.SendFailed:
        with session_scope(engine) as session:
            reminders.release_confirmation(session=session, reminder_id=reminder_id, now=now)
        raise
    return True


def _send_due(engine: Engine, channel: mail.Channel, reminder_id: int, due_at: datetime, now: datetime) -> bool:
    with session_scope(engine) as session:
        if not reminders.claim_due(session=session, reminder_id=reminder_id, due_at=due_at, now=now):
            return False  # another run took it
        view = reminders.mail_view(session=session, reminder_id=reminder_id)
    try:
        channel.send(view.address, mail.reminder(view))
    except mail.SendFailed:
        with session_scope(engine) as session:
            reminders.release_due(session=session, reminder_id=reminder_id, due_at=due_at, now=now)
        raise
    return True


def run(*, engine: Engine, channel: mail.Channel | None, now: datetime | None = None,
        max_mails: int | None = None, per_second: float | None = None) -> Counts:
    now = now or utcnow()
    conf = tunables()["reminders"]
    pace = Pace(per_second if per_second is not None else float(conf["per_second"]),
                max_mails if max_mails is not None else int(conf["max_per_run"]))
    counts = Counts()
    with session_scope(engine) as session:
        removed = retention.run(session=session, now=now)
    counts.signatures_anonymised = removed.signatures_anonymised
    counts.reminders_deleted = removed.reminders_deleted
    counts.rate_events_pruned = removed.rate_events_pruned
    if channel is None:
        return counts
    with session_scope(engine) as session:
        waiting = reminders.unsent_confirmations(session=session, limit=pace.budget + 1)
    for rid in waiting:
        if not pace.take():
            counts.left_for_next_run += 1
            break
        try:
            counts.confirmations_sent += send_confirmation(engine=engine, channel=channel, reminder_id=rid, now=now)
        except mail.SendFailed:
            counts.failed += 1
    with session_scope(engine) as session:
        due = reminders.due(session=session, now=now, limit=pace.budget + 1)
    for rid, due_at in due:
        if not pace.take():
            counts.left_for_next_run += 1
            break
        try:
            counts.reminders_sent += _send_due(engine, channel, rid, due_at, now)
        except mail.SendFailed:
            counts.failed += 1
    return counts


def _moment(text: str) -> datetime:
    """An ISO time (local Asia/Shanghai when it has no offset) as naive UTC."""
    from pledges.tunables import local_zone

    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pledges.remind",
                                     description="定时任务：到期匿名化签名、发送确认邮件和打卡提醒")
    parser.add_argument("--max", type=int, default=None, help="本次最多发送的邮件数（默认见 pledges/tunables.toml）")
    parser.add_argument("--per-second", type=float, default=None, help="每秒最多发送的邮件数（0 表示不限速，只用于测试）")
    parser.add_argument("--now", type=_moment, default=None,
                        help="按这个时间运行（ISO 格式，无时区即北京时间；用于测试和补跑）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        counts = run(engine=default_engine(), channel=mail.channel_from_settings(), now=args.now,
                     max_mails=args.max, per_second=args.per_second)
    except DatabaseUnavailable as exc:
        log.error("database unavailable (%s); nothing done", type(exc).__name__)
        return 2
    log.info("done: %s", counts.line())
    return 1 if counts.failed else 0


if __name__ == "__main__":
    sys.exit(main())
