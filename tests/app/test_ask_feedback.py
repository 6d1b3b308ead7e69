"""The Ask page logs each question (masked) and takes 有用 / 没用 with reasons, through AppTest."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from civic.db import get_engine, session_scope
from civic.settings import REPO_ROOT, reset_settings
from desk.messages import PRIVACY, THANKS, DeskError
from desk.models import LoggedQuestion
from tests.databases import database
from tests.desk.test_logger import dead_database_url
from webui.desk_services import services

APP = str(REPO_ROOT / "streamlit_app.py")


@pytest.fixture
def ask(indexed, tmp_path, monkeypatch):
    with database("sqlite", tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings()
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        at.switch_page("app_pages/ask.py").run()
        yield at, url


def logged(url: str) -> list[LoggedQuestion]:
    services().logger.flush(10)
    with session_scope(get_engine(url)) as s:
        return list(s.scalars(select(LoggedQuestion).order_by(LoggedQuestion.id)))


def test_a_question_is_logged_masked_and_voted_on(ask):
    at, url = ask
    assert any(PRIVACY.format(days=180) == c.value for c in at.caption)
    at.chat_input[0].set_value("我电话13812345678，定州秸秆能不能在地里烧？").run()
    assert not at.exception
    (row,) = logged(url)
    assert "13812345678" not in row.question and row.city_chosen is None and row.useful is None
    vote = at.segmented_control(key=f"vote-{row.ref}")
    vote.set_value("没用").run()
    assert any(c.value == THANKS for c in at.caption)
    at.pills(key=f"why-{row.ref}-reasons").set_value(["答非所问", "引用不对"])
    at.text_input(key=f"why-{row.ref}-comment").set_value("<b>我问的是</b>住建设路18号能不能烧")
    at.button(key="FormSubmitter:why-" + row.ref + "-提交").click().run()
    assert not at.exception
    (row,) = logged(url)
    assert (row.useful, row.reasons) == (False, "答非所问、引用不对")
    assert row.comment == "＜b＞我问的是＜/b＞住建设路［门牌号］能不能烧"
    at.segmented_control(key=f"vote-{row.ref}").set_value("有用").run()
    (row,) = logged(url)
    assert (row.useful, row.reasons, row.comment) == (True, "", "")


def test_a_database_that_is_down_still_answers(indexed, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", dead_database_url())
    reset_settings()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/ask.py").run()
    at.chat_input[0].set_value("石嘴山城市生活污水集中处理率目标是多少？").run()
    assert not at.exception
    assert any("98%" in m.value for m in at.markdown)
    services().logger.flush(10)
    assert services().logger.failed >= 1
    (vote,) = at.segmented_control
    vote.set_value("有用").run()
    assert [w.value for w in at.warning] == [DeskError("db_unavailable").message]
