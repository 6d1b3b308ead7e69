"""Retention runs itself, on SQLite and PostgreSQL: the clock moves past a campaign's end + the period.

Everything personal goes (keyed contact and browser hashes, display names, private
links, reminder addresses); counts, districts, items, check-ins and dates stay, so the
campaign page and the export add up exactly as before. The privacy notice states the
periods from the settings.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from civic.settings import reset_settings
from pledges import campaigns, remind
from pledges.checkins import check_in, load_my_pledge
from pledges.export import signatures_csv
from pledges.messages import PledgeError
from pledges.models import Reminder, Signature
from pledges.privacy import signing_notice
from pledges.signing import SignForm, sign_pledge
from pledges.stats import campaign_stats, signature_rows
from pledges.tunables import local_date, utcnow


def noon(day: date) -> datetime:
    """12:00 in Asia/Shanghai on ``day``, as the naive UTC the app stores."""
    return datetime.combine(day, time(4))


def sign(db, slug: str, n: int, **kw):
    form = SignForm(city="葫芦岛", district="龙港区" if n % 2 else "连山区", item_ids=("clean-plate", "save-standby"),
                    consent=True, display_name=f"居民{n}", **kw)
    with db.session() as session:
        return sign_pledge(session=session, campaign_slug=slug, form=form, browser_token=f"browser-token-{n:010d}")


def views(db, slug: str):
    with db.session() as session:
        campaign = campaigns.get_campaign(session=session, slug=slug)
        stats = campaign_stats(session=session, campaign=campaign)
        rows = signature_rows(session=session, campaign=campaign)
    return stats, rows


def retention(db, now: datetime) -> int:
    return remind.run(engine=db.engine, channel=None, now=now).signatures_anonymised


def test_a_campaign_forgets_its_signers_after_the_period(db, smtp_inbox):
    today = local_date()
    ends = today + timedelta(days=3)
    db.campaign("hld-2026", ends_on=ends)
    signed = [sign(db, "hld-2026", 0, contact="13800138000"), sign(db, "hld-2026", 1),
              sign(db, "hld-2026", 2, contact="zhang@example.com", reminders=True)]
    with db.session() as session:
        check_in(session=session, token=signed[0].token, item_ids=["clean-plate", "save-standby"])
    stats_before, rows_before = views(db, "hld-2026")
    assert db.tables_holding("zhang@example.com") == ["pledge_reminders.address"]

    assert retention(db, noon(ends + timedelta(days=30))) == 0  # the last day with personal data (30 by default)
    with db.session() as session:
        assert load_my_pledge(session=session, token=signed[1].token).display_name == "居民1"

    assert retention(db, noon(ends + timedelta(days=31))) == 3
    assert retention(db, noon(ends + timedelta(days=32))) == 0  # a second run has nothing left to do
    stats, rows = views(db, "hld-2026")
    assert (stats.count, stats.by_district, stats.by_item, stats.by_day) == (
        stats_before.count, stats_before.by_district, stats_before.by_item, stats_before.by_day)
    assert [(r.ref, r.created_at, r.district, r.items, r.checkins) for r in rows] == [
        (r.ref, r.created_at, r.district, r.items, r.checkins) for r in rows_before]
    assert all(r.display_name is None for r in rows)
    assert all(name == "匿名" or "居民" not in name for name, _, _ in stats.recent)
    assert len(signatures_csv(rows).decode("utf-8-sig").splitlines()) == 4
    with db.session() as session:
        hashes = session.execute(select(Signature.id, Signature.dedup_hash, Signature.token_hash)).all()
        assert all(d == t == f"anon-{i}" for i, d, t in hashes)
        assert session.scalar(select(func.count()).select_from(Reminder)) == 0
        for result in signed:  # private links open nothing any more
            try:
                load_my_pledge(session=session, token=result.token)
                raise AssertionError("a private link still works")
            except PledgeError as err:
                assert err.code == "token_invalid"
    assert db.tables_holding("zhang") == [] and db.tables_holding("居民") == []


def test_a_campaign_without_an_end_keeps_data_for_the_open_ended_period(db, monkeypatch):
    monkeypatch.setenv("CIVIC_PLEDGE_OPEN_ENDED_DAYS", "60")
    reset_settings()
    db.campaign("standing")
    sign(db, "standing", 0, contact="13900139000")
    signed_on = local_date(utcnow())
    assert retention(db, noon(signed_on + timedelta(days=60))) == 0
    assert retention(db, noon(signed_on + timedelta(days=61))) == 1
    with db.session() as session:
        assert session.scalar(select(Signature.display_name)) is None


def test_the_privacy_notice_states_the_periods_in_force(monkeypatch):
    notice = signing_notice(email_reminders=False)
    assert "活动结束 30 天后自动匿名化" in notice and "签署 365 天后" in notice
    assert "邮箱" not in notice.split("保存多久")[0].split("为什么")[1]  # no email use without SMTP
    assert "加到手机日历" in notice
    monkeypatch.setenv("CIVIC_PLEDGE_RETENTION_DAYS", "45")
    monkeypatch.setenv("CIVIC_PLEDGE_OPEN_ENDED_DAYS", "180")
    reset_settings()
    notice = signing_notice(email_reminders=True)
    assert "活动结束 45 天后自动匿名化" in notice and "签署 180 天后" in notice
    assert "7 天内未确认的邮箱自动删除" in notice and "一键退订" in notice
