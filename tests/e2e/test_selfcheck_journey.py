"""A resident completes both self-checks and pledges from the result; saved answers resume elsewhere."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import fits_width, follow, goto, main_text, pick, settle

pytestmark = pytest.mark.browser

HEATING = "/check-heating?city=" + quote("石嘴山")
FOOD = "/check-food?city=" + quote("定州")
FOOD_PLEDGES = ["光盘行动", "适量点餐，小份菜，剩菜打包", "按需采买，科学制定膳食计划", "厨余垃圾分类投放"]


def choose(page, *labels: str) -> None:
    for label in labels:
        page.get_by_text(label, exact=True).first.click()


def see_result(page) -> str:
    page.get_by_role("button", name="查看结果").click()
    settle(page)
    page.get_by_role("button", name="下载结果摘要（可打印）").wait_for()  # the result's last element
    return main_text(page)


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_resident_does_both_self_checks_and_pledges_from_the_result(served_app, page, shoot, check):
    goto(page, served_app.url + HEATING)
    page.get_by_text("您家位于：").wait_for()
    page.get_by_text("完整", exact=True).click()
    settle(page)
    check(page, "heating questions")
    choose(page, "农村", "平房", "散煤炉", "23～24℃", "没有保温", "单层窗，漏风明显", "自己买燃料或交气费、电费")
    page.get_by_role("textbox", name="一个采暖季主要取暖用了多少燃料或能量？（可选）").fill("3")
    page.get_by_role("textbox", name="一个采暖季的取暖花费大约多少元？（可选）").fill("-5")
    text = see_result(page)
    # Focus moves to the result's heading; screen readers hear the score.
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.st-key-sc-result-heating')")
    expect(page.locator("#civic-live")).to_contain_text("自查结果已生成")
    assert "石嘴山的通知怎么说" in text
    assert "农村地区清洁取暖率达到60%以上" in text and "三、（三）" in text
    assert "《石嘴山市“十四五”节能减排综合工作实施方案》" in text
    assert "不能为负数" in text and "估算，仅供参考" in text and "空气源热泵" in text
    assert "禁燃区、禁煤区" in text  # what the notice does not say, said plainly
    page.locator('[data-testid="stVegaLiteChart"]').nth(1).wait_for()  # score by category; household vs target
    pledge_links = page.get_by_role("link", name="一键承诺", exact=True)
    assert pledge_links.count() >= 3  # one per action that has a matching pledge item
    expect(page.get_by_text("承诺项：合理设定室温，支持供热计量")).to_be_visible()  # says what it signs up for
    first = query(pledge_links.first.get_attribute("href"))
    assert first["city"] == "石嘴山" and first["items"] == "heating-temp"
    assert fits_width(page)
    shoot(page, "check_heating_result")

    goto(page, served_app.url + FOOD)
    page.get_by_text("家里一起吃饭的有几口人？").wait_for()
    check(page, "food questions")
    choose(page, "4人", "不会，看到想吃的就买", "几乎每天都剩不少", "常点很多，怕不够或讲面子", "不分类")
    text = see_result(page)
    assert "定州的通知怎么说" in text
    assert "“光盘行动”深入开展" in text and "三、（七）" in text and "小份菜" in text
    assert "估算，仅供参考" in text and "浪费减半后" in text
    assert "马上能做" in text and "可以问：定州" in text
    ask = query(page.get_by_role("link", name="去问答页问一问").first.get_attribute("href"))
    assert ask["city"] == "定州" and ask["q"].startswith("定州")
    assert fits_width(page)
    shoot(page, "check_food_result")

    # One click takes every suggestion to the pledge page, ticked, with the city chosen.
    follow(page, page.get_by_role("link", name=f"把以上 {len(FOOD_PLEDGES)} 项建议一键加入承诺"), r"/pledge\?")
    settle(page)
    page.get_by_text(f"已按您打开的链接预先勾选 {len(FOOD_PLEDGES)} 项").wait_for()
    for title in FOOD_PLEDGES:
        expect(page.get_by_role("checkbox", name=title, exact=True)).to_be_checked()
    expect(page.get_by_role("checkbox", name="清洁取暖，不烧散煤")).not_to_be_checked()
    expect(page.get_by_role("combobox", name="您所在的城市")).to_have_value("定州")
    assert fits_width(page)
    shoot(page, "pledge_from_selfcheck")

    pick(page, "区县", "南城区街道")
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    page.get_by_role("button", name="签署承诺").click()
    settle(page)
    page.get_by_test_id("stAlert").get_by_text(re.compile(r"感谢您的承诺！本活动已有 \d+ 人签署。")).wait_for()
    certificate = page.get_by_test_id("stImage").filter(has_text="您的承诺证书")
    expect(certificate.locator("img")).to_be_visible()


@pytest.mark.parametrize("view", ["phone"])  # one width is enough for these two
def test_saved_answers_resume_in_another_browser(served_app, new_page):
    page = new_page()
    goto(page, served_app.url + HEATING)
    page.get_by_text("您家位于：").wait_for()
    choose(page, "农村", "散煤炉")
    page.get_by_role("button", name="保存，稍后继续").click()
    settle(page)
    code = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)

    other = new_page()  # a new visitor: nothing in common but the code
    goto(other, served_app.url + "/check-heating")
    other.get_by_text("有续填码？在这里恢复").click()
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    other.get_by_role("textbox", name="续填码").fill(forged)
    other.get_by_role("button", name="恢复回答").click()
    settle(other)
    other.get_by_text("续填码无效").wait_for()
    other.get_by_role("textbox", name="续填码").fill(code)
    other.get_by_role("button", name="恢复回答").click()
    settle(other)
    other.get_by_text("已恢复您保存的回答").wait_for()
    expect(other.get_by_role("combobox", name="您家在哪个城市？")).to_have_value("石嘴山")
    expect(other.get_by_role("radio", name="农村")).to_be_checked()
    main = other.get_by_role("radiogroup", name="冬季主要取暖方式：")
    expect(main.get_by_role("radio", name="散煤炉")).to_be_checked()


@pytest.mark.parametrize("view", ["phone"])
def test_unknown_city_in_a_link_is_reported_as_plain_text(served_app, page):
    goto(page, served_app.url + "/check-food?city=" + quote("<b>北京</b>[点我](http://example.com)"))
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="暂不支持")
    expect(alert).to_contain_text("<b>北京</b>[点我]")  # shown literally
    assert alert.locator("b, a").count() == 0  # never turned into markup or a link
