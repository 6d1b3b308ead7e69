"""The self-check pages in Streamlit's in-process test runner (fast, no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from civic.db import default_engine, dispose_engines, session_scope
from civic.settings import REPO_ROOT, reset_settings
from engagement.store import save_response


def _page(name: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / name), default_timeout=60)
    at.run()
    assert not at.exception
    return at


def test_aggregates_show_only_groups_of_ten():
    with session_scope(default_engine()) as session:
        for city, n in (("dingzhou", 10), ("tianjin", 3)):
            for _ in range(n):
                save_response(session=session, topic="food", mode="express", answers={"city": city, "leftovers": "often"},
                              city=city, district=None, overall=40, categories={"sorting": 10}, counted=True)
    dispose_engines()
    at = _page("check_food.py")
    (table,) = at.dataframe
    assert table.value["城市"].tolist() == ["定州"]
    assert table.value["份数"].tolist() == [10]
    assert table.value["几乎每天剩饭菜（%）"].tolist() == [100]


@pytest.mark.parametrize(("page", "topic"), [("check_heating.py", "heating"), ("check_food.py", "food")])
def test_submit_with_nothing_answered_still_gives_a_result(page, topic):
    at = _page(page)
    at.button(key=f"FormSubmitter:sc_{topic}_form-查看结果").click()
    at.run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "未选择城市" in infos and "未回答" in infos
    assert at.metric[0].value.endswith("分")


def test_forged_resume_code_is_refused_and_answers_kept():
    at = _page("check_heating.py")
    at.selectbox(key="sc_heating_city").set_value("tianjin")
    at.run()
    at.radio(key="sc_heating_area").set_value("urban")
    at.button(key="FormSubmitter:sc_heating_form-查看结果").click()
    at.run()
    at.text_input(key="sc_heating_resume_code").input("ABCD-EFGH-JKMN")
    at.button(key="sc_heating_resume_btn").click()
    at.run()
    assert any("续填码" in e.value for e in at.error)
    assert at.selectbox(key="sc_heating_city").value == "tianjin"
    assert at.radio(key="sc_heating_area").value == "urban"
    assert at.metric  # the result shown before is still there


def test_database_unreachable_still_gives_the_result_and_says_what_was_not_saved(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    reset_settings()
    at = _page("check_heating.py")
    assert "匿名汇总暂不显示" in " ".join(c.value for c in at.caption)
    at.button(key="FormSubmitter:sc_heating_form-查看结果").click()
    at.run()
    assert not at.exception
    assert at.metric[0].value.endswith("分")
    assert any("这次回答没有保存" in w.value for w in at.warning)
    at.button(key="FormSubmitter:sc_heating_form-保存，稍后继续").click()
    at.run()
    assert any("您的回答没有保存" in e.value for e in at.error) and not at.code
