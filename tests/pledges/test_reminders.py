"""Email reminders end to end against a real SMTP server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL.

Double opt-in, one-click unsubscribe that deletes the address, idempotent and paced
runs of ``python -m pledges.remind``, counts-only logs. The clock is moved by passing
``now``.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from civic.settings import get_settings
from pledges import mail, remind, reminders
from pledges.checkins import check_in, load_my_pledge
from pledges.messages import PledgeError
from pledges.models import Reminder
from pledges.signing import SignForm, sign_pledge
from pledges.tunables import utcnow
from tests.smtp import body, link

ADDRESS = "xiaoli@example.com"


def sign(db, contact: str = ADDRESS, reminders_wanted: bool = True, slug: str = "test-campaign", now=None):
    form = SignForm(city="运城", district="盐湖区", item_ids=("clean-plate",), consent=True, contact=contact,
                    reminders=reminders_wanted)
    with db.session() as session:
        return sign_pledge(session=session, campaign_slug=slug, form=form, browser_token=None, now=now)


def token_of(url: str, name: str) -> str:
    return url.split(f"{name}=", 1)[1]


def run(db, now, **kw) -> remind.Counts:
    return remind.run(engine=db.engine, channel=mail.channel_from_settings(), now=now, per_second=0, **kw)


def reminder_rows(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Reminder))


def subscribe_and_confirm(db, inbox, contact: str, now: datetime) -> None:
    result = sign(db, contact=contact, now=now)
    assert remind.send_confirmation(engine=db.engine, channel=mail.channel_from_settings(),
                                    reminder_id=result.reminder_id, now=now)
    confirm = link(inbox.to(contact)[-1], "confirm")
    with db.session() as session:
        reminders.confirm(session=session, token=token_of(confirm, "confirm"), now=now)


def test_double_opt_in_reminders_and_one_click_unsubscribe(db, smtp_inbox):
    db.campaign()
    now = utcnow()
    result = sign(db, now=now)
    assert result.reminder_requested and result.reminder_id
    assert db.tables_holding(ADDRESS) == ["pledge_reminders.address"]  # the one place it is kept

    # Nothing is sent before the signer confirms; the confirmation goes once.
    assert run(db, now + timedelta(days=3)).reminders_sent == 0
    assert smtp_inbox.wait_for(1)[0]["Subject"] == "请确认：接收绿色承诺打卡提醒"  # the run sent it (page had not)
    assert run(db, now + timedelta(days=3)).confirmations_sent == 0
    assert not remind.send_confirmation(engine=db.engine, channel=mail.channel_from_settings(),
                                        reminder_id=result.reminder_id, now=now)
    confirmation = smtp_inbox.messages[0]
    assert confirmation["To"] == ADDRESS and confirmation["From"] == "lvse@xuanchuan.example.cn"
    assert "测试活动" in body(confirmation)
    assert confirmation["List-Unsubscribe"].strip().startswith(f"<{get_settings().public_url}/reminders?unsubscribe=")

    with db.session() as session:
        with pytest.raises(PledgeError, match="提醒链接无效"):  # a forged link confirms nothing
            reminders.confirm(session=session, token=f"{result.reminder_id}.{'A' * 24}", now=now)
        title = reminders.confirm(session=session, token=token_of(link(confirmation, "confirm"), "confirm"), now=now)
    assert title == "测试活动"

    # Due from the next evening on, sent once per period however often the command runs.
    due = reminders.first_due(now)
    assert due > now and due.hour == 12  # 20:00 in Asia/Shanghai
    assert run(db, due - timedelta(minutes=1)).reminders_sent == 0
    later = due + timedelta(hours=1)
    assert run(db, later).reminders_sent == 1
    assert run(db, later).reminders_sent == 0
    assert run(db, due + timedelta(days=7, minutes=-1)).reminders_sent == 0
    assert run(db, due + timedelta(days=7, minutes=1)).reminders_sent == 1
    mails = smtp_inbox.wait_for(3)
    assert [m["Subject"] for m in mails[1:]] == ["打卡提醒：测试活动"] * 2

    # The mail's check-in link opens the pledge and checks in.
    checkin = token_of(link(mails[1], "t"), "t")
    with db.session() as session:
        assert load_my_pledge(session=session, token=checkin).campaign_title == "测试活动"
        assert check_in(session=session, token=checkin, item_ids=["clean-plate"]) == 1

    # One click on the unsubscribe link deletes the address; the pledge stays.
    unsubscribe = token_of(link(mails[2], "unsubscribe"), "unsubscribe")
    with db.session() as session, pytest.raises(PledgeError):  # a forged one deletes nothing
        reminders.unsubscribe(session=session, token=unsubscribe[:-2] + "AA")
    assert reminder_rows(db) == 1
    with db.session() as session:
        assert reminders.unsubscribe(session=session, token=unsubscribe) is True
    with db.session() as session:
        assert reminders.unsubscribe(session=session, token=unsubscribe) is False  # clicked twice: still fine
    assert reminder_rows(db) == 0
    assert db.tables_holding(ADDRESS) == [] and db.tables_holding("xiaoli") == []
    assert run(db, due + timedelta(days=15)).reminders_sent == 0
    assert len(smtp_inbox.messages) == 3
    with db.session() as session, pytest.raises(PledgeError, match="私人链接无效"):  # the check-in link died too
        load_my_pledge(session=session, token=checkin)


def test_two_runs_at_once_send_each_reminder_once(db, smtp_inbox):
    db.campaign()
    now = utcnow()
    contacts = [f"resident{n}@example.com" for n in range(8)]
    for contact in contacts:
        subscribe_and_confirm(db, smtp_inbox, contact, now)
    assert len(smtp_inbox.wait_for(8)) == 8
    later = now + timedelta(days=2)
    results: list[remind.Counts] = []
    threads = [threading.Thread(target=lambda: results.append(run(db, later))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sum(r.reminders_sent for r in results) == 8
    mails = smtp_inbox.wait_for(16)
    assert sorted(m["To"] for m in mails[8:]) == sorted(contacts)  # each once


def test_runs_are_bounded_and_a_refused_mail_is_retried(db, smtp_inbox):
    db.campaign()
    now = utcnow()
    for n in range(3):
        subscribe_and_confirm(db, smtp_inbox, f"r{n}@example.com", now)
    later = now + timedelta(days=2)
    first = run(db, later, max_mails=2)
    assert (first.reminders_sent, first.left_for_next_run) == (2, 1)
    smtp_inbox.fail = True
    refused = run(db, later)
    assert (refused.reminders_sent, refused.failed) == (0, 1)
    smtp_inbox.fail = False
    assert run(db, later).reminders_sent == 1  # released, so the next run sends it
    assert len(smtp_inbox.wait_for(6)) == 6


def test_sending_is_paced(db, smtp_inbox, monkeypatch):
    """per_second spaces the mails: the command waits between them (recorded here, not slept)."""
    db.campaign()
    now = utcnow()
    for n in range(3):
        sign(db, contact=f"p{n}@example.com", now=now)
    waits: list[float] = []
    monkeypatch.setattr(remind.time, "sleep", waits.append)
    counts = remind.run(engine=db.engine, channel=mail.channel_from_settings(), now=now, per_second=2)
    assert counts.confirmations_sent == 3
    assert len(waits) == 2 and all(0 < w <= 0.5 for w in waits)  # before the 2nd and 3rd mail


def test_addresses_leave_unconfirmed_or_when_the_campaign_ends(db, smtp_inbox):
    db.campaign(ends_on=date.today() + timedelta(days=20))
    now = utcnow()
    sign(db, contact="never@example.com", now=now)
    subscribe_and_confirm(db, smtp_inbox, "kept@example.com", now)
    assert run(db, now + timedelta(days=8)).reminders_deleted == 1  # unconfirmed for pending_days
    assert db.tables_holding("never@") == [] and db.tables_holding("kept@") == ["pledge_reminders.address"]
    assert run(db, now + timedelta(days=23)).reminders_deleted == 1  # the campaign is over
    assert db.tables_holding("kept@") == []


def test_logs_hold_counts_never_an_address(db, smtp_inbox, monkeypatch, caplog, database_url):
    monkeypatch.setenv("DATABASE_URL", database_url)
    from civic.settings import reset_settings

    reset_settings()
    db.campaign()
    sign(db)
    smtp_inbox.fail = True
    with caplog.at_level(logging.DEBUG):
        assert remind.main(["--per-second", "0"]) == 1  # the refused mail makes it exit non-zero
        smtp_inbox.fail = False
        assert remind.main(["--per-second", "0"]) == 0
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))  # not the server's
    assert "confirmations_sent=1" in ours and "failed=1" in ours
    assert ADDRESS not in ours and "xiaoli" not in ours


def test_email_reminders_need_an_email(db, smtp_inbox):
    db.campaign()
    for contact in ("13800138000", ""):
        with pytest.raises(PledgeError) as err:
            sign(db, contact=contact)
        assert err.value.code == "reminder_needs_email"
    assert db.tables_holding("13800138000") == []


def test_without_smtp_there_is_no_channel_and_nothing_in_clear(db):
    db.campaign()
    assert mail.channel_from_settings() is None
    result = sign(db)
    assert not result.reminder_requested and result.reminder_id is None
    assert reminder_rows(db) == 0 and db.tables_holding(ADDRESS) == []
    counts = remind.run(engine=db.engine, channel=None, now=utcnow())
    assert counts.confirmations_sent == counts.reminders_sent == 0
