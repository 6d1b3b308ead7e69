"""The signing page's reminder options under AppTest: calendar always, email only with SMTP (a real server)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from civic.db import dispose_engines, get_engine, session_scope
from civic.settings import get_settings
from pledges.models import Reminder
from tests.pages import page
from tests.smtp import link

EMAIL_BOX = "通过邮件接收打卡提醒（需填写邮箱，确认后才发送，可随时一键退订）"


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    dispose_engines()


def fill(at, contact: str = "", email: bool = False):
    at.selectbox[1].select("和平区")
    at.text_input[1].input(contact)
    if email:
        next(c for c in at.checkbox if c.label == EMAIL_BOX).check()
    next(c for c in at.checkbox if c.label.startswith("我已阅读")).check()
    return at.button[0].click().run()


def reminders_stored() -> int:
    with session_scope(get_engine(get_settings().sqlalchemy_url)) as session:
        return session.scalar(select(func.count()).select_from(Reminder))


def test_without_smtp_only_the_calendar_is_offered():
    at = page("pledge_sign", items="clean-plate", city="天津")
    assert EMAIL_BOX not in [c.label for c in at.checkbox]
    notice = " ".join(str(i.value) for i in at.info)
    assert "活动结束 30 天后自动匿名化" in notice and "加到手机日历" in notice
    at = fill(at, contact="li@example.com")
    assert not at.exception
    assert any("感谢您的承诺" in s.value for s in at.success)
    assert "加到手机日历" in [b.label for b in at.get("download_button")]
    assert reminders_stored() == 0


def test_with_smtp_the_page_sends_the_confirmation_and_the_links_work(smtp_inbox):
    at = page("pledge_sign", items="clean-plate", city="天津")
    assert EMAIL_BOX in [c.label for c in at.checkbox]
    assert "7 天内未确认的邮箱自动删除" in " ".join(str(i.value) for i in at.info)
    at = fill(at, contact="13800138000", email=True)
    assert any("邮件提醒需要填写电子邮箱" in e.value for e in at.error)  # and nothing signed
    at = fill(at, contact="Chen@Example.com", email=True)
    assert not at.exception and any("确认邮件" in i.value for i in at.info)
    (mail,) = smtp_inbox.wait_for(1)
    assert mail["To"] == "chen@example.com"

    confirm = link(mail, "confirm").split("confirm=")[1]
    at = page("reminders", confirm=confirm)
    assert any("已确认" in s.value for s in at.success)
    at = page("reminders", confirm=confirm[:-3] + "abc")
    assert any("提醒链接无效" in e.value for e in at.error)

    unsubscribe = link(mail, "unsubscribe").split("unsubscribe=")[1]
    at = page("reminders", unsubscribe=unsubscribe)
    assert any("您的邮箱已从系统中删除" in s.value for s in at.success)
    assert reminders_stored() == 0
    at = page("reminders", unsubscribe=unsubscribe)
    assert any("已不在系统中" in s.value for s in at.success)
