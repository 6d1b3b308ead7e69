"""End to end in Chromium: a citizen signs and checks in; staff run a campaign page."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser import wait_for_app

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def goto(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    assert not page.get_by_text("Page not found").count()


def pick(page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def test_citizen_signs_checks_in_and_withdraws(served_app, browser_page):
    page = browser_page
    goto(page, f"{served_app.url}/pledge?items=clean-plate,small-portions&city=定州")
    assert page.get_by_role("checkbox", name="光盘行动").is_checked()
    pick(page, "区县", "南城区街道")
    page.get_by_label("显示名称（选填，留空即匿名）").fill("<b>小明</b>")
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_text("输入内容不能包含 < > 等网页代码字符。").wait_for()

    page.get_by_label("显示名称（选填，留空即匿名）").fill("小明")
    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_text(re.compile(r"感谢您的承诺！本活动已有 \d+ 人签署")).wait_for()
    link = page.locator('[data-testid="stCode"]').first.inner_text().strip()
    assert "/my-pledge?t=" in link

    goto(page, link)
    page.get_by_text("今日打卡").wait_for()
    page.get_by_text("光盘行动", exact=True).click()
    page.get_by_role("button", name="打卡").click()
    wait_for_app(page)
    page.get_by_text("光盘行动（今天已打卡）").wait_for()
    assert "1 天" in page.locator('[data-testid="stMetric"]').first.inner_text()

    page.get_by_text("撤回承诺").first.click()
    page.get_by_text("我确认撤回并删除我的个人信息").click()
    page.get_by_role("button", name="撤回承诺").click()
    wait_for_app(page)
    page.get_by_text("相关个人信息已全部删除").wait_for()
    goto(page, link)
    page.get_by_text("这个私人链接无效或已失效").wait_for()


def test_staff_create_campaign_and_public_page(served_app, browser_page):
    subprocess.run(
        [sys.executable, "-m", "pledges.admin", "create-user", "xuanchuan", "--password-stdin"],
        input=PASSWORD + "\n", text=True, env=served_app.env, check=True, capture_output=True,
    )
    page = browser_page
    goto(page, f"{served_app.url}/staff")
    page.get_by_role("textbox", name="用户名").fill("xuanchuan")
    page.get_by_label("密码", exact=True).fill("wrong password")
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.get_by_text("用户名或密码错误。").wait_for()
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.get_by_text("已登录：xuanchuan").wait_for()

    pick(page, "活动", "＋ 新建活动")
    page.get_by_role("textbox", name="网址标识（小写字母、数字、短横线）").fill("yc-2026")
    page.get_by_role("textbox", name="活动标题").fill("运城市绿色生活承诺")
    pick(page, "面向城市", "运城")
    items = page.locator('[data-testid="stMultiSelect"]')
    for _ in range(3):  # a rerun triggered by the city choice can swallow the first click
        wait_for_app(page)
        items.click()
        page.get_by_role("option", name="光盘行动").click()
        page.keyboard.press("Escape")
        wait_for_app(page)
        if "光盘行动" in items.inner_text():
            break
    expect(items).to_contain_text("光盘行动")
    page.get_by_role("button", name="保存活动").click()
    wait_for_app(page)
    try:
        page.get_by_text("活动已创建。").wait_for()
    except Exception:
        alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
        page.screenshot(path=str(served_app.data_dir / "staff-create-failure.png"), full_page=True)
        raise AssertionError(f"campaign not created; alerts: {alerts}") from None
    page.get_by_text("数据看板").wait_for()

    goto(page, f"{served_app.url}/campaign?c=yc-2026")
    page.get_by_text("还没有人签署，欢迎成为第一位！").wait_for()
    page.get_by_role("button", name="立即签署承诺").click()
    wait_for_app(page)
    pick(page, "区县", "盐湖区")
    page.get_by_role("checkbox", name="光盘行动").click(force=True)
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_text("感谢您的承诺！本活动已有 1 人签署。").wait_for()

    goto(page, f"{served_app.url}/campaign?c=yc-2026")
    page.get_by_text("已有 1 人签署").wait_for()
    page.get_by_role("button", name="下载 A4 海报（PDF）").wait_for()
    goto(page, f"{served_app.url}/campaign?c=no-such-campaign")
    page.get_by_text("没有找到这个承诺活动").wait_for()
