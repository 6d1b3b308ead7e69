"""The Ask and Browse pages through Streamlit's AppTest; tests/e2e/test_ask_journey.py drives them in Chromium."""

import pytest
from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT, get_settings
from desk.messages import PRIVACY

APP = str(REPO_ROOT / "streamlit_app.py")
PRIVACY_LINE = PRIVACY.format(days=get_settings().desk_retention_days)


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
    # 天津's Traditional notice is shown in Simplified, with full-width punctuation …
    assert "划定为高污染燃料禁燃区。" in _texts(at) and "禁燃區" not in _texts(at)
    assert any("责任单位" in i.value for i in at.info)
    # … and its own characters are one tap away.
    at.toggle(key="browse_original").set_value(True).run()
    assert "禁燃區" in _texts(at)


def test_elder_mode_keeps_the_ask_page_to_city_question_answer_and_sources(indexed):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["elder"] = "true"  # the 长辈版 link
    at.run()
    at.switch_page("app_pages/ask.py").run()
    assert at.toggle(key="elder").value
    # No introduction, no examples, no clear button; only the line that questions are recorded.
    assert [c.value for c in at.caption] == [PRIVACY_LINE] and not at.button
    for question in ("城镇清洁取暖率要达到多少？", "石嘴山城市生活污水集中处理率目标是多少？"):
        at.chat_input[0].set_value(question).run()
    assert not at.exception
    assert len(at.chat_message) == 2  # the latest question and its answer only
    assert "98%" in _texts(at) and at.expander  # the answer and its sources
    # No disclaimer under the answer, no 有用 / 没用: the only captions are the sources'
    # responsible departments and the recording line.
    assert all(c.value.startswith("责任单位：") or c.value == PRIVACY_LINE for c in at.caption)
    assert not at.get("button_group")
