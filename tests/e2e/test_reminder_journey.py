"""Reminders in Chromium, at phone width: with a mail server, and without one.

With SMTP configured (a real aiosmtpd server on 127.0.0.1 and an app served to name
it): a resident signs with email reminders, confirms from the mail the server received,
gets a reminder from ``python -m pledges.remind``, checks in from it, unsubscribes, and
the address is gone from the database. Without SMTP (the session's served app) the form
offers only the calendar file, and that file reads back with the icalendar library.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from civic.db import new_engine
from pledges.tunables import local_date
from tests.browser import free_port, start_app, stop_app
from tests.databases import tables_holding
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.steps import VIEWPORTS, fits_width, goto, pick, screenshot, settle
from tests.smtp import link, smtp_env, smtp_server

pytestmark = pytest.mark.browser
ADDRESS = "zhao.min@example.com"
EMAIL_BOX = "通过邮件接收打卡提醒（需填写邮箱，确认后才发送，可随时一键退订）"
CALENDAR = "加到手机日历"


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory):
    """One app for this module, with SMTP settings pointing at a server the test reads."""
    with smtp_server() as (inbox, smtp_port):
        port = free_port()
        env = smtp_env(smtp_port, public_url=f"http://127.0.0.1:{port}")
        proc, app = start_app(tmp_path_factory.mktemp("mail-app"), extra_env=env, port=port)
        try:
            yield app, inbox
        finally:
            stop_app(proc)


@pytest.fixture
def phone(_browser):
    context = _browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sign(page, url: str, contact: str, email: bool) -> None:
    goto(page, f"{url}/pledge?items=clean-plate&city=天津")
    pick(page, "区县", "和平区")
    page.get_by_role("textbox", name="手机号或邮箱（选填）").fill(contact)
    if email:
        page.get_by_text(EMAIL_BOX).click()
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    settle(page)
    page.get_by_role("button", name="签署承诺").click()
    page.get_by_test_id("stAlert").get_by_text("感谢您的承诺！").wait_for()


def calendar_from(page) -> Calendar:
    with page.expect_download() as download:
        page.get_by_role("button", name=CALENDAR).click()
    assert download.value.suggested_filename == "绿色承诺打卡提醒.ics"
    return Calendar.from_ical(Path(download.value.path()).read_bytes())


def test_email_reminders_from_signing_to_unsubscribing(mail_app, phone):
    app, inbox = mail_app
    page = phone
    sign(page, app.url, ADDRESS, email=True)
    expect(page.get_by_text("我们已向您填写的邮箱发送一封确认邮件")).to_be_visible()
    assert fits_width(page)
    screenshot(page, "pledge_thanks_email_phone")
    assert_chinese_renders(page)

    (confirmation,) = inbox.wait_for(1)
    assert confirmation["To"] == ADDRESS
    goto(page, link(confirmation, "confirm"))
    page.get_by_text("已确认。").wait_for()

    # The timer's command, run as it would be at 21:00 tomorrow (first reminders are due from 20:00).
    tomorrow = datetime.combine(local_date() + timedelta(days=1), time(21)).isoformat()
    run = subprocess.run([sys.executable, "-m", "pledges.remind", "--now", tomorrow, "--per-second", "0"],
                         env=app.env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "reminders_sent=1" in run.stderr and ADDRESS not in run.stderr + run.stdout
    again = subprocess.run([sys.executable, "-m", "pledges.remind", "--now", tomorrow], env=app.env,
                           capture_output=True, text=True, timeout=120)
    assert "reminders_sent=0" in again.stderr  # the timer firing twice sends nothing twice
    reminder = inbox.wait_for(2)[1]
    assert reminder["Subject"].startswith("打卡提醒：")

    goto(page, link(reminder, "t"))  # the mail's check-in link
    page.get_by_text("今日打卡").wait_for()
    page.get_by_text("光盘行动", exact=True).click()
    page.get_by_role("button", name="打卡", exact=True).click()
    expect(page.get_by_role("checkbox", name="光盘行动（今天已打卡）")).to_be_checked()

    goto(page, link(reminder, "unsubscribe"))
    page.get_by_text("您的邮箱已从系统中删除").wait_for()
    screenshot(page, "reminders_unsubscribed_phone")
    engine = new_engine(f"sqlite:///{app.data_dir / 'civic.sqlite3'}")
    try:
        assert tables_holding(engine, ADDRESS) == [] and tables_holding(engine, "zhao.min") == []
    finally:
        engine.dispose()
    assert len(inbox.messages) == 2


def test_without_smtp_only_the_calendar(served_app, phone):
    page = phone
    goto(page, f"{served_app.url}/pledge?items=clean-plate&city=天津")
    expect(page.get_by_text("签署后可以把打卡提醒加到手机日历，不需要留下联系方式。")).to_be_visible()
    assert not page.get_by_text("通过邮件接收打卡提醒").count()
    screenshot(page, "pledge_sign_calendar_only_phone")
    sign(page, served_app.url, "13800138000", email=False)
    assert not page.get_by_text("确认邮件").count()
    button = page.get_by_role("button", name=CALENDAR)
    expect(button).to_be_visible()
    assert button.bounding_box()["height"] >= 40  # a large tap target
    assert fits_width(page)
    screenshot(page, "pledge_thanks_calendar_phone")
    cal = calendar_from(page)
    (event,) = cal.walk("VEVENT")
    private = page.locator("#civic-private-link").inner_text().strip()
    assert str(event["url"]) == private and "/my-pledge?t=" in private
    assert event.walk("VALARM") and event.get("rrule")["FREQ"] == ["DAILY"]

    goto(page, private)  # the my-pledge page offers the same file
    page.get_by_text("今日打卡").wait_for()
    assert str(calendar_from(page).walk("VEVENT")[0]["url"]) == private
