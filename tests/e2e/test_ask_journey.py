"""A resident asks three questions in two cities, opens a citation, reads the clause, compares targets.

Every state is checked with axe-core and for English (``check``/``shoot``).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import fits_width, follow, goto, main_text, pick, settle

pytestmark = pytest.mark.browser

QUESTIONS = [
    # city chosen on the page, question, what the answer must quote
    ("石嘴山", "我住在农村，冬天烧煤取暖，政策对我有什么要求？", "农村地区清洁取暖率达到60%以上"),
    ("石嘴山", "城市生活污水集中处理率目标是多少？<img src=x onerror=alert(1)>", "98%"),
    ("葫芦岛", "城镇清洁取暖率要达到多少？", "城镇清洁取暖率达到80%以上"),
]


def ask(page, question: str, expected: str, n: int) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    answer = page.get_by_test_id("stChatMessage").nth(2 * n + 1)
    expect(answer).to_contain_text(expected, timeout=60_000)
    expect(answer.get_by_test_id("stExpander").first).to_be_visible()
    settle(page)


def open_citation(page, answer, expected: str):
    """Open the citation of the quote holding ``expected``: its clause shows, the quoted sentence highlighted."""
    citations = answer.get_by_test_id("stExpander")
    n = next(i for i in range(citations.count())
             if any(expected in t for t in citations.nth(i).locator(".stMarkdownColoredBackground").all_text_contents()))
    citation = citations.nth(n)
    quote = citation.locator(".stMarkdownColoredBackground").filter(has_text=expected).first
    expect(quote).to_be_hidden()
    citation.locator("summary").click()
    expect(quote).to_be_visible()
    expect(quote).to_contain_text(expected)
    assert quote.inner_text().strip() in answer.inner_text()  # the answer quotes the clause exactly
    expect(citation).to_contain_text("责任单位：")
    return citation


def test_resident_asks_in_two_cities_and_opens_a_citation(indexed_app, page, shoot, check):
    goto(page, indexed_app.url)
    expect(page.get_by_role("heading", name="节能减排，和我有什么关系？")).to_be_visible()
    assert fits_width(page)
    shoot(page, "home")
    follow(page, page.get_by_role("link", name="去提问"), r"/ask$")
    # The first visit loads the embedding model (and builds the index if it has none).
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)
    expect(page.get_by_text("可以这样问：")).to_be_visible()
    settle(page)
    check(page, "ask before a question")

    messages = page.get_by_test_id("stChatMessage")
    for n, (city, question, expected) in enumerate(QUESTIONS):
        if n == 0 or city != QUESTIONS[n - 1][0]:
            pick(page, "我所在的城市", city)
        ask(page, question, expected, n)
        # Screen readers are told that the answer arrived (a polite live region outside Streamlit's tree).
        expect(page.locator("#civic-live[role=status][aria-live=polite]")).to_contain_text("已回答", timeout=10_000)
        if n == 0:
            expect(page.get_by_text("可以这样问：")).to_have_count(0)  # the examples gave way to the chat
            check(page, "ask after an answer")
            open_citation(page, messages.nth(1), expected)
            assert fits_width(page)
            shoot(page, "ask")

    expect(messages).to_have_count(6)
    # Streamlit's "Chat message from assistant" is read out in Chinese.
    expect(page.get_by_role("group", name="回答", exact=True)).to_have_count(3)
    expect(page.get_by_role("group", name="您的问题", exact=True)).to_have_count(3)
    # The question is shown as the resident typed it, never as HTML.
    expect(messages.nth(2)).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator('[data-testid="stChatMessage"] img[src="x"]').count() == 0
    # Each answer cites the city chosen when it was asked.
    for n, city in ((1, "石嘴山"), (3, "石嘴山"), (5, "葫芦岛")):
        labels = messages.nth(n).get_by_test_id("stExpander").locator("summary").all_inner_texts()
        assert labels and all(city in label for label in labels), (city, labels)

    citation = open_citation(page, messages.nth(5), QUESTIONS[2][2])
    assert fits_width(page)
    follow(page, citation.get_by_text("在通知原文中查看"), r"/browse\?notice=huludao&clause=")
    expect(page.get_by_role("heading", name=re.compile(r"^三、（三）"))).to_be_visible()
    text = main_text(page)
    assert "城镇清洁取暖率达到80%以上" in text and "葫芦岛" in text
    assert fits_width(page)
    shoot(page, "browse")

    # 目标对比, from the menu: a theme compared across the five cities, then one city's targets.
    page.get_by_role("button", name="菜单").click()
    follow(page, page.get_by_role("link", name="目标对比"), r"/targets")
    settle(page)
    expect(page.get_by_role("dialog", name="菜单")).to_have_count(0)  # the menu closes on the new page
    expect(page.get_by_role("table").first).to_contain_text("未提及")
    assert fits_width(page)
    shoot(page, "targets")
    page.get_by_text("按城市查看").click()
    pick(page, "城市", "天津")
    expect(page.get_by_role("table").first).to_contain_text("力争比2020年提高4个百分点以上")
    assert fits_width(page)
    check(page, "targets by city")
