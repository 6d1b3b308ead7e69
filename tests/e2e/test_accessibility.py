"""Every resident: the 长辈版 on every page, a keyboard-only journey, 200 % zoom, the residents' menu.

The 长辈版 is measured from computed styles (tests/e2e/elder.py) on every page at
phone width, each page also checked with axe-core and for English and photographed
as test-artifacts/screenshots/<page>_elder_phone.png.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_page
from tests.e2e.elder import assert_elder_sizes
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.steps import fits_width, follow, goto, pick, screenshot, settle

pytestmark = pytest.mark.browser

TIANJIN = "天津新能源汽车比例有什么要求？"  # answered with 天津's Traditional sentences


def ready(page) -> None:
    """Streamlit has finished and the page script is in place (live region, translations)."""
    settle(page)
    page.wait_for_function("() => window.civic && document.getElementById('civic-live')")


def elder_page(page, name: str) -> None:
    """The 长辈版's measurements, axe-core, Chinese only, then the photograph."""
    ready(page)
    assert_elder_sizes(page, name)
    check_page(page, f"{name} [长辈版]")
    screenshot(page, f"{name}_elder_phone")
    assert_chinese_renders(page)


def elder_switch(page):
    return page.get_by_role("switch", name="长辈版")


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#civic-live")).to_contain_text("回答", timeout=60_000)
    settle(page)


@pytest.mark.parametrize("view", ["phone"])
def test_elder_mode_is_one_switch_remembered_by_the_browser_and_in_a_link(served_app, new_page):
    page = new_page()
    goto(page, served_app.url + "/?elder=true")  # a link opens it
    ready(page)
    expect(elder_switch(page)).to_be_checked()
    assert page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] p')).fontSize)") >= 18

    # The residents' menu: every resident page, not the staff page (whose address still works).
    page.get_by_role("button", name="菜单").click()
    menu = page.get_by_role("dialog", name="菜单")
    names = menu.get_by_role("link").all_inner_texts()
    assert [n.split()[-1] for n in names] == ["首页", "问问政策", "目标对比", "通知原文", "签署承诺", "我的承诺", "承诺活动",
                                             "清洁取暖自查", "餐桌浪费自查"]
    follow(page, menu.get_by_role("link", name="目标对比"), r"/targets")
    ready(page)
    expect(page.get_by_role("dialog", name="菜单")).to_have_count(0)  # closed on the new page
    expect(elder_switch(page)).to_be_checked()
    # Focus starts at the new page's heading after a page switch.
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('h1')")

    same_browser = page.context.new_page()  # the same browser, a new visit: remembered (cookie)
    goto(same_browser, served_app.url + "/browse")
    ready(same_browser)
    expect(elder_switch(same_browser)).to_be_checked()
    elder_switch(same_browser).click(force=True)  # switched off there …
    settle(same_browser)
    expect(elder_switch(same_browser)).not_to_be_checked()
    later = page.context.new_page()
    goto(later, served_app.url + "/campaign")
    ready(later)
    expect(elder_switch(later)).not_to_be_checked()  # … stays off for this browser

    other = new_page()  # another browser: the ordinary version
    goto(other, served_app.url + "/check-food")
    ready(other)
    expect(elder_switch(other)).not_to_be_checked()
    goto(other, served_app.url + "/staff")
    expect(other.get_by_role("heading", name="活动工作人员")).to_be_visible()


@pytest.mark.parametrize("view", ["phone"])
def test_elder_mode_on_every_page(indexed_app, page):
    url = indexed_app.url
    goto(page, url + "/?elder=true")
    elder_page(page, "home")

    # Ask: the city, the question, the answer and its sources — nothing else.
    goto(page, url + "/ask")
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
    main = page.locator("main")  # (on a chat page Streamlit's <main> is not data-testid=stMain)
    expect(main.get_by_role("heading", name="问问政策")).to_be_visible()
    expect(main.get_by_text("可以这样问：")).to_have_count(0)
    # One line besides: that questions are recorded anonymously (owed on every Ask page).
    expect(main.get_by_test_id("stCaptionContainer")).to_have_count(1)
    expect(main.get_by_test_id("stCaptionContainer")).to_contain_text("您的提问会匿名记录")
    pick(page, "我所在的城市", "天津")
    ask(page, TIANJIN)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    # 天津's sentences in Simplified, exactly; the original one tap away.
    expect(answer).to_contain_text("新增及更新车辆中新能源汽车比例原则上不低于30%，")
    expect(answer).not_to_contain_text("車輛")
    answer.get_by_text("查看原文（繁体）").click()
    settle(page)
    expect(answer).to_contain_text("新增及更新車輛中新能源汽車比例原則上不低于30%,")
    answer.get_by_text("查看原文（繁体）").click()
    settle(page)
    expect(answer).not_to_contain_text("車輛")
    expect(answer.get_by_test_id("stExpander").first).to_be_visible()  # the sources
    ask(page, "天津的绿色出行比例目标是多少？")
    expect(page.get_by_test_id("stChatMessage")).to_have_count(2)  # only the latest question and answer
    expect(main.get_by_text("清空对话")).to_have_count(0)
    elder_page(page, "ask")

    goto(page, url + "/targets")
    elder_page(page, "targets")
    goto(page, url + "/browse?notice=tianjin")
    elder_page(page, "browse")

    # Self-check results: the three most useful lines first.
    goto(page, url + "/check-heating?city=" + quote("石嘴山"))
    for label in ("农村", "散煤炉"):
        page.get_by_text(label, exact=True).first.click()
    page.get_by_role("button", name="查看结果").click()
    settle(page)
    key_lines = page.locator(".st-key-sc-key-lines-heating")
    lines = key_lines.locator("strong").all_inner_texts()
    assert len(lines) == 3, lines
    assert lines[0].startswith("总分") and "散煤" in lines[0]
    assert lines[1].startswith("石嘴山的通知说：“") and "农村地区清洁取暖率达到60%以上" in lines[1]
    assert lines[2].startswith("马上能做：")
    expect(key_lines.get_by_role("link", name="一键承诺")).to_be_visible()  # the easiest step, one tap to pledge
    key_box = key_lines.bounding_box()
    assert key_box["y"] < page.get_by_role("heading", name="完整结果").bounding_box()["y"]
    elder_page(page, "check_heating_result")

    goto(page, url + "/check-food?city=" + quote("天津"))
    page.get_by_role("button", name="查看结果").click()
    settle(page)
    lines = page.locator(".st-key-sc-key-lines-food strong").all_inner_texts()
    assert lines[1] == "天津的通知说：“完善生活垃圾分类制度体系和分类投放、收集、运输、处理系统”（三、（十））", lines
    elder_page(page, "check_food_result")

    # Sign, keep the private link, open it, see the campaign; then the staff sign-in.
    goto(page, url + "/pledge?items=clean-plate&city=" + quote("天津"))
    elder_page(page, "pledge")
    pick(page, "区县", "和平区")
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    page.get_by_role("button", name="签署承诺").click()
    page.get_by_test_id("stAlert").get_by_text(re.compile(r"感谢您的承诺！本活动已有 \d+ 人签署。")).wait_for()
    elder_page(page, "pledge_thanks")
    link = page.locator("#civic-private-link").inner_text().strip()
    goto(page, link)
    page.get_by_text("今日打卡").wait_for()
    elder_page(page, "my_pledge")
    goto(page, url + "/campaign?c=green-life")
    page.get_by_text("分享本活动").wait_for()
    elder_page(page, "campaign")
    goto(page, url + "/staff")
    elder_page(page, "staff")


# -- keyboard only -----------------------------------------------------------------

# The focused control's name: its label, or its own text for links, buttons and expanders.
_FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || !e.matches('a, button, input, textarea, select, summary, [role=button], [role=switch]')) return '';
    const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || '';
    return (label + ' ' + (e.innerText || '')).replace(/\\s+/g, ' ').trim();
}"""


def tab_to(page, name: str, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focused element is named ``name``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if name in page.evaluate(_FOCUSED):
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.mark.parametrize("view", ["desktop"])
def test_keyboard_only_ask_open_a_citation_and_sign_a_pledge(indexed_app, page):
    goto(page, indexed_app.url)
    ready(page)
    page.keyboard.press("Tab")
    assert page.evaluate(_FOCUSED) == "跳到主要内容"  # the first stop: a skip link, in Chinese
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    tab_to(page, "去提问")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ask$"))
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
    ready(page)
    page.wait_for_function("() => document.activeElement.matches('h1')")  # the new page starts at its heading

    tab_to(page, "输入您的问题")
    page.keyboard.type("城镇清洁取暖率要达到多少？")
    page.keyboard.press("Enter")
    expect(page.locator("#civic-live")).to_contain_text("已回答", timeout=60_000)
    settle(page)
    assert "输入您的问题" in page.evaluate(_FOCUSED)  # still in the box, ready for the next question
    tab_to(page, "[1]", back=True)  # back up to the first source
    page.keyboard.press("Enter")
    citation = page.get_by_test_id("stExpander").first
    expect(citation.locator(".stMarkdownColoredBackground").first).to_be_visible()  # the quoted sentence, highlighted
    expect(citation).to_contain_text("责任单位：")

    goto(page, indexed_app.url + "/pledge")  # typed into the address bar
    ready(page)
    tab_to(page, "您所在的城市")
    page.keyboard.type("运城")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    tab_to(page, "区县")
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name="盐湖区").wait_for()
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("combobox", name="区县")).to_have_value("盐湖区")
    tab_to(page, "节约用水")
    page.keyboard.press("Space")
    tab_to(page, "显示名称")
    page.keyboard.type("老李")
    page.keyboard.press("Enter")  # Enter in a field does not send the form
    settle(page)
    expect(page.get_by_text("我承诺做到")).to_be_visible()
    tab_to(page, "我已阅读并同意")
    page.keyboard.press("Space")
    tab_to(page, "签署承诺")
    page.keyboard.press("Enter")
    page.get_by_test_id("stAlert").get_by_text(re.compile(r"感谢您的承诺！本活动已有 \d+ 人签署。")).wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.st-key-pledge-thanks')")
    expect(page.locator("#civic-live")).to_contain_text("签署成功")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab_to(page, "复制私人链接")
    page.keyboard.press("Enter")
    expect(page.locator("#civic-private-link-status")).to_contain_text("已复制")


# -- 200 % zoom ---------------------------------------------------------------------

_TRUNCATED = """() => [...document.querySelectorAll('main *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim())
    .map(e => e.innerText.slice(0, 30))"""


def test_readable_at_200_percent_zoom(indexed_app, _browser):
    """A 1280 × 900 screen at 200 %: 640 × 450 CSS pixels, two device pixels each; and 320 px
    wide (WCAG's reflow width: a phone at 200 %)."""
    context = _browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2, locale="zh-CN")
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        goto(page, indexed_app.url + "/targets?theme=" + quote("清洁取暖"))
        ready(page)
        expect(page.locator(".civic-compare").first).to_contain_text("80%以上（2025年）")
        assert fits_width(page)
        assert page.evaluate(_TRUNCATED) == []  # no value cut off ("不低…")
        # One card per city: the city above its values, not a squeezed column beside them.
        city, value = (page.locator(".civic-compare tbody tr").nth(1).locator(s).bounding_box() for s in ("th", "td"))
        assert value["y"] >= city["y"] + city["height"] - 1 and value["width"] > 500
        check_page(page, "targets at 200 %")

        goto(page, indexed_app.url + "/ask")
        page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
        pick(page, "我所在的城市", "石嘴山")
        ask(page, "我住在农村，冬天烧煤取暖，政策对我有什么要求？")
        para = page.get_by_test_id("stChatMessage").nth(1).locator("p").first
        per_line = ("p => p.innerText.length / Math.round(p.getBoundingClientRect().height"
                    " / parseFloat(getComputedStyle(p).lineHeight))")
        # The chat box keeps most of the screen for the answer, and the answer runs in full lines
        # (before: 29 % of the height at 640 px, 33 % and 13 characters a line at 320 px).
        for width, height, box_share, characters in ((640, 450, 0.25, 20), (320, 568, 0.3, 15)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_function(f"() => document.documentElement.clientWidth === {width}")
            settle(page)
            assert page.get_by_test_id("stBottom").bounding_box()["height"] <= box_share * height, width
            assert para.evaluate(per_line) >= characters, (width, para.evaluate(per_line))
            assert fits_width(page)
        check_page(page, "ask at 200 %")
    finally:
        context.close()
