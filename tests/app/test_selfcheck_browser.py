"""Both self-checks end to end in headless Chromium at phone width (390 px).

Set SELFCHECK_SCREENSHOTS=<dir> to save one result screenshot per topic.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.browser import wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHIZUISHAN = "%E7%9F%B3%E5%98%B4%E5%B1%B1"  # 石嘴山
DINGZHOU = "%E5%AE%9A%E5%B7%9E"  # 定州


@pytest.fixture(scope="module")
def app_url(served_app):
    return served_app.url


def _open(page, url: str, first_question: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.get_by_text(first_question).first.wait_for()
    wait_for_app(page)
    assert not page.get_by_text("Page not found").count()


def _choose(page, *labels: str) -> None:
    for label in labels:
        page.get_by_text(label, exact=True).first.click()


def _submit(page, button: str = "查看结果") -> None:
    page.get_by_role("button", name=button).click()
    wait_for_app(page)
    if button == "查看结果":  # the result is complete once its last element is drawn
        page.get_by_role("button", name="下载结果摘要（可打印）").wait_for()


def _fits_phone(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def _screenshot(page, name: str) -> None:
    folder = os.environ.get("SELFCHECK_SCREENSHOTS")
    if not folder:
        return
    page.wait_for_timeout(1500)  # charts draw after the script run ends
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": PHONE["width"], "height": min(height + 80, 16000)})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(Path(folder) / name), full_page=True)
    page.set_viewport_size(PHONE)


def test_heating_check_at_phone_width_save_and_resume(app_url, browser_page, _browser):
    page = browser_page
    _open(page, f"{app_url}/check-heating?city={SHIZUISHAN}", "您家位于：")
    page.get_by_text("完整", exact=True).click()
    wait_for_app(page)
    _choose(page, "农村", "平房", "散煤炉", "23～24℃", "没有保温", "单层窗，漏风明显", "自己买燃料或交气费、电费")
    page.get_by_role("textbox", name="一个采暖季主要取暖用了多少燃料或能量？（可选）").fill("3")
    page.get_by_role("textbox", name="一个采暖季的取暖花费大约多少元？（可选）").fill("-5")
    _submit(page)
    body = page.locator('[data-testid="stMain"]')
    body.get_by_text("石嘴山的通知怎么说").wait_for()
    text = body.inner_text()
    assert "农村地区清洁取暖率达到60%以上" in text and "三、（三）" in text
    assert "《石嘴山市“十四五”节能减排综合工作实施方案》" in text
    assert "不能为负数" in text and "估算，仅供参考" in text and "空气源热泵" in text
    assert "禁燃区、禁煤区" in text  # what the notice does not say, said plainly
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    charts.nth(1).wait_for()  # per-category bars, and the household against the city's target
    pledge = page.get_by_role("link", name="一键承诺").first
    assert "items=" in pledge.get_attribute("href") and "city=" in pledge.get_attribute("href")
    assert _fits_phone(page)
    _screenshot(page, "selfcheck_heating.png")

    _submit(page, "保存，稍后继续")
    code = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    # A new visitor (fresh browser context) resumes with the code; a forged one is refused.
    other = _browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    try:
        _open(other, f"{app_url}/check-heating", "您家位于：")
        other.get_by_text("有续填码？在这里恢复").click()
        forged = code[:-1] + ("A" if code[-1] != "A" else "B")
        other.get_by_role("textbox", name="续填码").fill(forged)
        other.get_by_role("button", name="恢复回答").click()
        wait_for_app(other)
        other.get_by_text("续填码无效").wait_for()
        other.get_by_role("textbox", name="续填码").fill(code)
        other.get_by_role("button", name="恢复回答").click()
        wait_for_app(other)
        other.get_by_text("已恢复您保存的回答").wait_for()
        # expect() retries: the flash message can be drawn before the form below it
        expect(other.get_by_role("radio", name="农村")).to_be_checked()
        main = other.get_by_role("radiogroup", name="冬季主要取暖方式：")
        expect(main.get_by_role("radio", name="散煤炉")).to_be_checked()
        amount = other.get_by_role("textbox", name="一个采暖季主要取暖用了多少燃料或能量？（可选）")
        expect(amount).to_have_value("3")
    finally:
        other.context.close()


def test_food_check_at_phone_width(app_url, browser_page):
    page = browser_page
    _open(page, f"{app_url}/check-food?city={DINGZHOU}", "家里一起吃饭的有几口人？")
    _choose(page, "4人", "不会，看到想吃的就买", "几乎每天都剩不少", "常点很多，怕不够或讲面子", "不分类")
    _submit(page)
    body = page.locator('[data-testid="stMain"]')
    body.get_by_text("定州的通知怎么说").wait_for()
    text = body.inner_text()
    assert "“光盘行动”深入开展" in text and "三、（七）" in text and "小份菜" in text
    assert "估算，仅供参考" in text and "浪费减半后" in text
    assert "马上能做" in text and "可以问：定州" in text
    ask = page.get_by_role("link", name="去问答页问一问").first
    assert "q=" in ask.get_attribute("href") and "city=" in ask.get_attribute("href")
    assert _fits_phone(page)
    _screenshot(page, "selfcheck_food.png")

    # "一键承诺" for all suggestions opens the pledge page with the items pre-selected.
    page.get_by_role("link", name="把以上建议一键加入承诺").click()
    page.wait_for_url(re.compile(r"/pledge\?"))
    assert "items=clean-plate" in page.url and "city=" in page.url


def test_unknown_city_in_link_is_reported_as_plain_text(app_url, browser_page):
    page = browser_page
    city = quote("<b>北京</b>[点我](http://example.com)")
    _open(page, f"{app_url}/check-food?city={city}", "家里一起吃饭的有几口人？")
    page.get_by_text("暂不支持").wait_for()
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="暂不支持")
    assert "<b>北京</b>[点我]" in alert.inner_text()  # shown literally
    assert alert.locator("b, a").count() == 0  # never turned into markup or a link
