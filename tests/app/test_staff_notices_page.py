"""The 通知管理 staff page and the pages a new city reaches, under AppTest (no browser)."""

from __future__ import annotations

import pytest

from civic.db import default_engine as engine
from civic.db import dispose_engines, session_scope
from publishing import notices, provider
from publishing.publish import publish
from retrieval.corpus import load_corpus
from retrieval.index import sync
from tests.fixtures import newcity
from tests.pages import page
from tests.publishing.conftest import wangchuan_meta


@pytest.fixture
def staff(monkeypatch):
    from pledges.accounts import create_user

    monkeypatch.setenv("CIVIC_EMBEDDING_MODEL", "static")
    with session_scope(engine()) as session:
        create_user(session=session, username="clerk", password="correct horse battery")
    provider.install(provider.Published(poll_seconds=0))
    yield
    provider.uninstall()
    dispose_engines()


def logged_in():
    at = page("staff_notices")
    at.text_input[0].input("clerk")
    at.text_input[1].input("correct horse battery")
    return at.button[0].click().run()


def upload(name: str = "望川<b>方案</b>.txt"):
    with session_scope(engine()) as session:
        notices.upload(session=session, data=newcity.make_notice().encode(), file_name=name, meta=wangchuan_meta(),
                       corpus=load_corpus(), user="clerk")


def test_login_is_required(staff):
    at = page("staff_notices")
    assert [t.label for t in at.text_input][:2] == ["用户名", "密码"]
    assert not at.get("file_uploader")


def test_a_draft_shows_its_parse_before_publishing(staff):
    upload()
    at = logged_in()
    at.selectbox(key="staff_notice").select("wangchuan").run()
    text = "\n".join(m.value for m in at.markdown)
    assert "已去掉开头的转载导语 115 字" in text and "三、（四）1\\. 推进农村清洁取暖（责任单位 3 个）" in text
    assert any("全文只有" in w.value for w in at.warning)
    assert "望川<b>方案</b>" not in "".join(c.value for c in at.caption)  # the file name is escaped
    assert [b.label for b in at.button if b.label in ("发布到问答", "删除这份草稿")] == ["发布到问答", "删除这份草稿"]
    assert "wangchuan" not in load_corpus().notices


def test_a_published_city_reaches_the_other_pages(staff):
    sync()
    upload()
    publish(engine=engine(), notice_id="wangchuan", user="clerk")
    ask = page("ask", city="望川")
    assert any("还没有为望川整理示例问题" in c.value for c in ask.caption)
    assert any("望川六个城市" in c.value for c in ask.caption)
    heating = page("check_heating")
    assert any("望川的通知已经收录" in c.value for c in heating.caption)
    sign = page("pledge_sign")
    assert "望川" in sign.selectbox[0].options
    browse = page("browse", notice="wangchuan")
    assert browse.selectbox[0].value.meta.id == "wangchuan"
