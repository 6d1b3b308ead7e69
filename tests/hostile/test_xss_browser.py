"""XSS in a real browser: the campaign page and the pledge certificate page in Chromium.

A hostile campaign (title and intro made of payloads, one row written around the
sanitiser) is put into the served app's database. No dialog may fire, and no
script, event-handler attribute, javascript: link, iframe, image from the
payload or rendered LaTeX/colour directive may appear in the page.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from civic.db import get_engine, session_scope
from pledges import campaigns
from pledges.models import Campaign
from tests.browser import wait_for_app
from tests.hostile.payloads import PAYLOADS

pytestmark = pytest.mark.browser

TITLE = ":red[XSS] [XSS](javascript:alert(1)) $XSS$"
INTRO = "\n\n".join(PAYLOADS) + "\n\n[正常链接](https://example.org/ok)"

INJECTED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const all = [...app.querySelectorAll('*')];
  return {
    // The app's own page script lives in its hidden bridge (webui/a11y.py); any other script is injected.
    scripts: [...app.querySelectorAll('script')].filter(s => !s.closest('.st-key-civic-bridge')).length,
    bridgeHasPayload: [...app.querySelectorAll('.st-key-civic-bridge script')].some(s => /alert|XSS|evil/.test(s.textContent)),
    handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 80)),
    jsLinks: [...app.querySelectorAll('a')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href') || '')).length,
    frames: app.querySelectorAll('iframe, object, embed, svg[onload]').length,
    evilImages: [...app.querySelectorAll('img')].filter(i => (i.getAttribute('src') || '').includes('evil')).length,
    katex: app.querySelectorAll('.katex').length,
    styled: [...app.querySelectorAll('.stMarkdownColoredText, .stMarkdownColoredBackground, .stMarkdownBadge')]
      .filter(e => e.textContent.includes('XSS')).length,
    webLinks: [...app.querySelectorAll('a')].map(a => a.getAttribute('href')).filter(h => h.includes('example.org')),
  };
}"""


SLUGS = ("xss-browser", "xss-raw")


@pytest.fixture
def hostile_site(served_app):
    """The session's served app with two hostile campaigns, removed again afterwards (the app is shared)."""
    engine = get_engine(f"sqlite:///{served_app.data_dir / 'civic.sqlite3'}")
    with session_scope(engine) as session:
        for slug in SLUGS:
            campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
                slug=slug, title=TITLE, city=None, starts_on=None, ends_on=None, goal=10,
                item_ids=("clean-plate", "sort-waste"), intro=INTRO))
        session.execute(update(Campaign).where(Campaign.slug == "xss-raw").values(intro=INTRO))  # around the sanitiser
    yield served_app
    with session_scope(engine) as session:
        for campaign in session.scalars(select(Campaign).where(Campaign.slug.in_(SLUGS))):
            campaigns.delete_campaign(session=session, campaign_id=campaign.id)


def open_watched(page, url: str) -> list[str]:
    dialogs: list[str] = []

    def dismiss(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(url)
    wait_for_app(page)
    return dialogs


def assert_nothing_injected(page, dialogs: list[str]) -> dict:
    found = page.evaluate(INJECTED)
    assert found["scripts"] == 0 and not found["bridgeHasPayload"], found
    assert found["handlers"] == [] and found["jsLinks"] == 0, found
    assert found["frames"] == 0 and found["evilImages"] == 0 and found["katex"] == 0 and found["styled"] == 0, found
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert dialogs == []
    return found


@pytest.mark.parametrize("slug", ["xss-browser", "xss-raw"])
def test_campaign_page_shows_payloads_as_text(hostile_site, browser_page, slug):
    page = browser_page
    dialogs = open_watched(page, f"{hostile_site.url}/campaign?c={slug}")
    page.get_by_text("正常链接").wait_for()
    found = assert_nothing_injected(page, dialogs)
    assert found["webLinks"] == ["https://example.org/ok"]  # the allowed subset still works
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "［XSS］［r］" in text and "＄\\href" in text  # brackets and dollars show, in full width


def test_sign_page_and_certificate_with_hostile_names(hostile_site, browser_page):
    page = browser_page
    dialogs = open_watched(page, f"{hostile_site.url}/pledge?c=xss-browser&items=clean-plate&city=天津")
    caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert ":red[XSS] [XSS](javascript:alert(1)) $XSS$" in caption  # escaped: shown exactly as written
    page.locator('[data-testid="stSelectbox"]').filter(has_text="区县").click()
    page.get_by_role("option", name="和平区", exact=True).click()
    wait_for_app(page)
    name = page.get_by_label("显示名称（选填，留空即匿名）")
    name.fill("<svg/onload=alert()>")  # 20 characters: the field's maxlength
    page.get_by_text("我已阅读并同意上述个人信息说明").click()
    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_text("输入内容不能包含 < > 等网页代码字符。").wait_for()
    assert_nothing_injected(page, dialogs)
    name.fill("[XSS](javascript:1)")
    page.get_by_role("button", name="签署承诺").click()
    wait_for_app(page)
    page.get_by_test_id("stAlert").get_by_text("感谢您的承诺").wait_for()  # (the live region repeats it)
    assert "已有 1 人签署" in page.locator('[data-testid="stAlert"]').first.inner_text()  # the refused try counted nothing
    page.locator('[data-testid="stImage"] img').first.wait_for()  # the certificate, drawn as pixels
    assert_nothing_injected(page, dialogs)
