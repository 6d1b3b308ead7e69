"""Streamlit glue for the Q&A: the cached asker, first-start indexing, answer rendering."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import streamlit as st

from retrieval.answer import Answer, Asker, Status, get_asker
from retrieval.answer import messages as msg
from retrieval.corpus import Corpus, load_corpus
from retrieval.index import IndexMissing, sync
from webui.text import escape_md, highlight

_BUILD_LOCK = threading.Lock()
CITY_KEY = "city"
ALL_CITIES = "不限城市"


@st.cache_resource(show_spinner=False)
def _cached_asker() -> Asker:
    return get_asker()


def asker() -> Asker:
    """The asker; on first start, builds the index with a progress bar."""
    try:
        return _cached_asker()
    except IndexMissing:
        pass
    with _BUILD_LOCK:
        bar = st.progress(0.0, text="首次启动：正在为通知建立检索索引，请稍候……")

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"首次启动：正在建立检索索引（{done}/{total}）")

        sync(progress=progress)
        bar.empty()
    return _cached_asker()


@st.cache_data(show_spinner=False)
def examples() -> dict[str, list[str]]:
    with open(Path(__file__).with_name("examples.toml"), "rb") as fh:
        return tomllib.load(fh)["examples"]


def corpus() -> Corpus:
    return load_corpus()


def city_selector(cities: list[str]) -> str | None:
    """A city choice remembered for the session (and settable by ?city=).

    The choice lives under its own key because Streamlit drops a widget's state
    when the visitor goes to a page that does not show that widget.
    """
    options = [ALL_CITIES, *cities]
    wanted = st.query_params.get("city")
    if wanted in cities and st.session_state.get("city_from_link") != wanted:
        st.session_state["city_from_link"] = wanted
        st.session_state[CITY_KEY] = wanted
    remembered = st.session_state.get(CITY_KEY, ALL_CITIES)
    index = options.index(remembered) if remembered in options else 0
    choice = st.selectbox("我所在的城市", options, index=index, help="问题里没写城市时，按这里选的城市查找")
    st.session_state[CITY_KEY] = choice
    return None if choice == ALL_CITIES else choice


def render_answer(answer: Answer, key: str) -> None:
    """An answer inside a chat message: text, then each citation expandable to its clause."""
    if answer.status is Status.ANSWERED:
        st.markdown(escape_md(answer.text))
        for n, citation in enumerate(answer.citations, start=1):
            chunk = citation.chunk
            clause = corpus().notices[chunk.notice_id].clause(chunk.clause_path)
            label = f"[{n}] {chunk.city} ·《{chunk.title}》{chunk.clause_path} {chunk.heading}"
            with st.expander(label):
                quotes = [c.quote for c in answer.citations if c.chunk.notice_id == chunk.notice_id
                          and c.chunk.clause_path == chunk.clause_path]
                text = "\n".join(p.text for p in clause.paragraphs) if clause else chunk.text
                st.markdown(highlight(text, quotes))
                if clause and clause.departments:
                    st.caption("责任单位：" + "、".join(clause.departments))
                st.page_link(
                    "app_pages/browse.py", label="在通知原文中查看", icon=":material/description:",
                    query_params={"notice": chunk.notice_id, "clause": chunk.clause_path},
                )
        st.caption(msg.DISCLAIMER)
    elif answer.status is Status.ERROR:
        st.error(answer.text)
    elif answer.status is Status.INVALID_QUESTION:
        st.warning(answer.text)
    else:
        st.info(answer.text)
