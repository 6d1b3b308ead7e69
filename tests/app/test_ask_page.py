"""The Ask and Browse pages: Streamlit's AppTest for the logic, Chromium for what a person sees."""

import pytest
from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT
from tests.browser import wait_for_app

APP = str(REPO_ROOT / "streamlit_app.py")


@pytest.fixture
def ask_page(indexed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/ask.py").run()
    assert not at.exception
    return at


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_ask_page_answers_with_citations(ask_page):
    at = ask_page
    at.chat_input[0].set_value("石嘴山城市生活污水集中处理率目标是多少？").run()
    assert not at.exception
    assert "98%" in _texts(at)
    assert any("石嘴山" in e.label and "三、" in e.label for e in at.expander)


def test_city_choice_is_remembered_and_scopes(ask_page):
    at = ask_page
    at.selectbox[0].select("葫芦岛").run()
    at.chat_input[0].set_value("城镇清洁取暖率要达到多少？").run()
    assert "80%" in _texts(at)
    assert all("葫芦岛" in e.label for e in at.expander)
    at.switch_page("app_pages/browse.py").run()
    at.switch_page("app_pages/ask.py").run()
    assert at.selectbox[0].value == "葫芦岛"


def test_user_html_is_shown_as_text(ask_page):
    at = ask_page
    at.chat_input[0].set_value("<b>石嘴山</b>清洁取暖<img src=x onerror=alert(1)>").run()
    question = at.chat_message[0].markdown[0].value
    assert "\\<b\\>" in question and "<b>" not in question.replace("\\<b\\>", "")


def test_example_question_button_asks_it(ask_page):
    at = ask_page
    at.selectbox[0].select("天津").run()
    at.button[0].click().run()
    assert at.chat_message and at.expander


def test_query_params_ask_once(indexed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "运城的事业单位有停车场的，必须装充电桩吗？"
    at.query_params["city"] = "运城"
    at.run()
    at.switch_page("app_pages/ask.py").run()
    assert "必须" in _texts(at)
    assert at.selectbox[0].value == "运城"


def test_browse_opens_a_clause(indexed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["notice"] = "tianjin"
    at.query_params["clause"] = "三、（八）"
    at.run()
    at.switch_page("app_pages/browse.py").run()
    assert not at.exception
    assert "禁燃區" in _texts(at)
    assert any("责任单位" in i.value for i in at.info)


@pytest.mark.browser
def test_ask_in_a_real_browser_at_phone_width(served_app, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served_app.url + "/ask")
    wait_for_app(page)
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=180_000)  # after the first-start index build
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("我住在石嘴山农村，冬天烧煤取暖，政策对我有什么要求？<img src=x onerror=alert(1)>")
    box.press("Enter")
    page.get_by_text("农村地区清洁取暖率达到60%以上", exact=False).first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stChatMessage"] img[src="x"]').count() == 0
    expander = page.get_by_test_id("stExpander").first
    expander.click()
    expander.get_by_text("在通知原文中查看").wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways at phone width
    page.screenshot(path=str(served_app.data_dir / "ask_phone.png"), full_page=True)
