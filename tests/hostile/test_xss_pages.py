"""XSS payloads in every text field and query parameter, checked in what the pages hand to Streamlit.

Each page runs under Streamlit's AppTest. Every string the run gave to a
Markdown-rendering element (markdown, caption, alerts, headings, widget labels)
that carries part of a payload must be inert: no unescaped ``< > [ ] $ `````.
The campaign intro may keep its allowed subset (text, emphasis, lists, http(s)
links) and is checked with a CommonMark parser instead.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from civic.db import dispose_engines, get_engine, session_scope
from civic.settings import REPO_ROOT, get_settings
from pledges import accounts, campaigns
from pledges.models import Campaign
from pledges.signing import SignForm, sign_pledge
from tests.hostile.payloads import MARK, PAYLOADS, emitted_markdown, inert, intro_violations
from tests.hostile.strategies import FAST, hostile_text
from tests.pages import page

TITLE = ":red[XSS] [XSS](javascript:alert(1)) $XSS$ `XSS`"  # what a title may hold (no < >)
INTRO = "\n\n".join(PAYLOADS) + "\n\n[正常链接XSS](https://example.org/ok)"


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    dispose_engines()




def assert_safe(at: AppTest) -> None:
    assert not at.exception, at.exception
    for text in emitted_markdown(at):
        if MARK in text or "javascript" in text or "onerror" in text:
            assert inert(text), text


def store():
    return session_scope(get_engine(get_settings().sqlalchemy_url))


def hostile_campaign(slug: str = "xss-test") -> str:
    with store() as session:
        campaigns.create_campaign(session=session, data=campaigns.CampaignInput(
            slug=slug, title=TITLE, city=None, starts_on=None, ends_on=None, goal=10,
            item_ids=("clean-plate", "sort-waste"), intro=INTRO))
    return slug


def test_sign_page_query_params_and_form_fields():
    for params in ({"c": "<script>alert('XSS')</script>"}, {"c": "[XSS](javascript:1)"},
                   {"city": "<img src=x onerror=alert('XSS')>", "items": "XSS<script>,clean-plate"}):
        assert_safe(page("pledge_sign", **params))
    at = page("pledge_sign", items="clean-plate", city="天津")
    at.selectbox[1].select("和平区")
    at.checkbox[-1].check()  # consent
    for name, contact in (("<script>XSS</script>", ""), ("XSS", "<img src=x onerror=1>"), ("=XSS()", ""),
                          ("[XSS](javascript:1)", "")):
        at.text_input[0].input(name)
        at.text_input[1].input(contact)
        at = at.button[0].click().run()
        assert_safe(at)
    assert any("感谢您的承诺" in s.value for s in at.success)  # the markdown-looking name was accepted ...
    assert at.image  # ... and drawn on the certificate as pixels


def test_campaign_page_title_and_intro():
    slug = hostile_campaign()
    at = page("campaign", c=slug)
    assert_safe_intro(at)
    at = page("campaign")  # the list of campaigns shows titles on buttons
    assert_safe(at)
    assert any(MARK in b.label for b in at.button)


def assert_safe_intro(at: AppTest) -> None:
    assert not at.exception, at.exception
    intros = [t for t in emitted_markdown(at) if "正常链接" in t]
    assert len(intros) == 1, intros
    assert intro_violations(intros[0]) == [], intros[0]
    assert "[正常链接XSS](https://example.org/ok)" in intros[0]
    for text in emitted_markdown(at):
        if text != intros[0] and MARK in text:
            assert inert(text), text


def test_campaign_intro_stored_before_sanitising_is_still_safe():
    """A row written around the sanitiser (an old version, a manual edit) is sanitised again on display."""
    slug = hostile_campaign("raw-intro")
    with store() as session:
        session.execute(update(Campaign).where(Campaign.slug == slug).values(intro=INTRO))
    assert_safe_intro(page("campaign", c=slug))


def test_my_pledge_page_with_hostile_token_and_title():
    for token in ("<script>alert('XSS')</script>", "XSS" * 10, "[XSS](javascript:1)", "XSS\x00" * 8):
        at = page("pledge_mine", t=token)
        assert_safe(at)
        assert any("私人链接无效" in e.value for e in at.error)
    slug = hostile_campaign()
    with store() as session:
        token = sign_pledge(session=session, campaign_slug=slug, browser_token="browser-token-abcdefghijkl",
                            form=SignForm(city="天津", district="和平区", item_ids=("clean-plate",), consent=True,
                                          display_name="[XSS](javascript:1)")).token
    at = page("pledge_mine", t=token)
    assert_safe(at)
    assert any(MARK in c.value for c in at.caption)


def test_staff_login_and_campaign_form():
    with store() as session:
        accounts.create_user(session=session, username="xss-clerk", password="correct horse battery")
    at = page("staff")
    at.text_input[0].input("<script>alert('XSS')</script>")
    at.text_input[1].input("<img src=x onerror=alert('XSS')>")
    at = at.button[0].click().run()
    assert_safe(at)
    assert any("用户名或密码错误" in e.value for e in at.error)
    at.text_input[0].input("xss-clerk")
    at.text_input[1].input("correct horse battery")
    at = at.button[0].click().run()
    assert not at.exception
    form = {t.label.split("（")[0]: t for t in at.text_input}
    form["网址标识"].input("<script>XSS")
    form["活动标题"].input(TITLE)
    at.text_area[0].input(INTRO)
    at = at.button(key="FormSubmitter:campaign_new-保存活动").click().run()
    assert_safe(at)
    assert any("网址标识" in e.value for e in at.error)
    form = {t.label.split("（")[0]: t for t in at.text_input}
    form["网址标识"].input("xss-staff")
    at.multiselect[0].select("clean-plate")
    at = at.button(key="FormSubmitter:campaign_new-保存活动").click().run()
    assert_safe(at)
    assert any("活动已创建" in s.value for s in at.success)
    assert_safe_intro(page("campaign", c="xss-staff"))


@pytest.mark.parametrize("name", ["check_heating", "check_food"])
def test_selfcheck_query_param_numbers_and_resume_code(name):
    topic = name.removeprefix("check_")
    at = page(name, city="<script>alert('XSS')</script>[XSS](javascript:1)")
    assert_safe(at)
    assert any(MARK in w.value for w in at.warning)  # reported back, as text
    at.selectbox(key=f"sc_{topic}_city").set_value("tianjin").run()
    at.radio(key=f"sc_{topic}_mode").set_value("full").run()
    for box in at.text_input:
        if box.key and box.key != f"sc_{topic}_resume_code":
            box.input("<img src=x onerror=alert('XSS')>$XSS$")
    at = at.button(key=f"FormSubmitter:sc_{topic}_form-查看结果").click().run()
    assert_safe(at)
    assert any(MARK in i.value for i in at.info)  # the number problem quotes what was typed, escaped
    at.text_input(key=f"sc_{topic}_resume_code").input("<script>XSS</script>")
    at = at.button(key=f"sc_{topic}_resume_btn").click().run()
    assert_safe(at)


def test_ask_and_browse_pages(indexed):
    app = str(REPO_ROOT / "streamlit_app.py")
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params["q"] = "<script>alert('XSS')</script>石嘴山农村烧煤有什么要求？"
    at.query_params["city"] = "<img src=x onerror=alert('XSS')>"
    at.run()
    at.switch_page("app_pages/ask.py").run()
    assert_safe(at)
    for question in PAYLOADS[:6]:
        at.chat_input[0].set_value(question + "清洁取暖").run()
        assert_safe(at)
    assert sum(MARK in m.value for m in at.markdown) >= 6  # every question is shown back, escaped
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params["notice"] = "<script>XSS</script>"
    at.query_params["clause"] = "[XSS](javascript:1)"
    at.run()
    at.switch_page("app_pages/browse.py").run()
    assert_safe(at)


@settings(FAST, max_examples=6)  # every example is a page run
@given(c=hostile_text(20), city=hostile_text(20), items=hostile_text(30), t=hostile_text(30))
def test_pledge_pages_survive_any_query_params(c, city, items, t):
    assert_safe(page("pledge_sign", c=c, city=city, items=items))
    assert_safe(page("campaign", c=c))
    at = page("pledge_mine", t=t or "x")
    assert_safe(at)
    assert at.error  # no token opens anything


@settings(FAST, max_examples=6)
@given(city=hostile_text(30))
def test_selfcheck_page_survives_any_city_param(city):
    at = page("check_food", city=city or "x")
    assert_safe(at)
    for warning in at.warning:
        assert inert(warning.value)
