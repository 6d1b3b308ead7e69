"""A resident on a phone holds a three-turn conversation: a question, 那天津呢？, 这个谁负责？."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import check_page
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.steps import VIEWPORTS, fits_width, goto, screenshot, settle

pytestmark = pytest.mark.browser

TURNS = [
    # what the resident types, how the page says it understood it (None: as typed), what the answer quotes
    ("石嘴山农村生活污水治理率目标是多少？", None, "农村生活污水治理率达到40%"),
    ("那天津呢？", "按“天津农村生活污水治理率目标是多少？”理解", "90%"),
    ("这个谁负责？", "按“天津农村生活污水治理率目标，谁负责？”理解", "牵头"),  # 天津's 牽頭, shown in Simplified
]


@pytest.fixture
def phone(_browser):
    context = _browser.new_context(viewport=VIEWPORTS["phone"], locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_follow_ups_are_understood_from_the_conversation(indexed_app, phone):
    page = phone
    goto(page, indexed_app.url + "/ask")
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=180_000)  # the first visit loads the embedding model
    messages = page.get_by_test_id("stChatMessage")
    for n, (typed, understood, quoted) in enumerate(TURNS):
        box.fill(typed)
        box.press("Enter")
        answer = messages.nth(2 * n + 1)
        expect(answer).to_contain_text(quoted, timeout=60_000)
        settle(page)
        expect(messages.nth(2 * n)).to_contain_text(typed)  # the resident's own words stay as typed
        if understood:
            expect(answer).to_contain_text(understood)
        else:
            expect(answer).not_to_contain_text("理解")
    # The follow-ups were answered about 天津, the first question about 石嘴山.
    for n, city in ((1, "石嘴山"), (3, "天津"), (5, "天津")):
        labels = messages.nth(n).get_by_test_id("stExpander").locator("summary").all_inner_texts()
        assert labels and all(city in label for label in labels), (city, labels)
    expect(messages.nth(5)).to_contain_text("负责部门")
    assert fits_width(page)
    check_page(page, "ask conversation [phone]")
    screenshot(page, "ask_conversation_phone")
    assert_chinese_renders(page)
