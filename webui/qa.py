"""Streamlit glue for the Q&A: the cached asker, first-start indexing, answer rendering."""

from __future__ import annotations

import logging
import threading
import tomllib
from pathlib import Path

import streamlit as st

from civic.settings import get_settings
from retrieval.answer import Answer, Asker, Status, get_asker
from retrieval.answer import messages as msg
from retrieval.corpus import Corpus, load_corpus
from retrieval.index import IndexDamaged, IndexMissing, sync
from retrieval.sources import notice_metas
from retrieval.targets import targets_version
from webui.desk_services import services as desk_services
from webui.text import escape_md, highlight

log = logging.getLogger(__name__)
_BUILD_LOCK = threading.Lock()
CITY_KEY = "city"
ALL_CITIES = "不限城市"


@st.cache_resource(show_spinner=False, max_entries=2)
def _asker_for(version: str) -> Asker:  # noqa: ARG001 - the cache key (a leading _ would be unhashed)
    return get_asker()


def _cached_asker() -> Asker:
    """The asker for the notices and reviewed targets as they are now: a notice published or
    a target confirmed (in this process or another) brings a new one, without a restart."""
    return _asker_for(f"{load_corpus().fingerprint()}|{targets_version()}")


# What a visitor sees while the index is built (first start, or the store was deleted)
# or rebuilt (the store could not be read), and once it is ready.
_BUILD_TEXT = {
    False: ("正在为通知建立检索索引（首次启动或索引缺失时需要），请稍候……", "检索索引已建立，可以提问了。"),
    True: ("检索索引文件已损坏，正在重新建立，请稍候……", "检索索引已重新建立，可以提问了。"),
}
UNAVAILABLE = "问答服务暂时无法启动，请稍后刷新页面再试。"


def asker() -> Asker:
    """The asker, answering with what staff taught on the desk (refreshed in the background)."""
    ready = _ready_asker()
    ready.teachings = desk_services().teachings  # one provider per process and database
    return ready


def _ready_asker() -> Asker:
    """The asker; builds the index with a progress bar when it is missing, rebuilds it when damaged."""
    try:
        return _cached_asker()
    except IndexMissing:
        pass
    except Exception:  # noqa: BLE001 - e.g. a Chroma server down: a message, not a traceback
        _unavailable()
    with _BUILD_LOCK:
        try:
            return _cached_asker()  # another visitor's run built it while this one waited
        except IndexMissing as missing:
            damaged = isinstance(missing, IndexDamaged)
            building, built = _BUILD_TEXT[damaged]
        except Exception:  # noqa: BLE001
            _unavailable()
        bar = st.progress(0.0, text=building)

        def progress(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"{building}（{done}/{total}）")

        try:
            sync(rebuild=damaged, progress=progress)
            ready = _cached_asker()
        except Exception:  # noqa: BLE001
            _unavailable()
        bar.empty()
    st.info(built, icon=":material/build:")
    return ready


def _unavailable() -> None:
    log.exception("the Q&A could not start")
    st.error(UNAVAILABLE, icon=":material/error:")
    st.stop()


@st.cache_data(show_spinner=False)
def examples() -> dict[str, list[str]]:
    with open(Path(__file__).with_name("examples.toml"), "rb") as fh:
        return tomllib.load(fh)["examples"]


_NUMERALS = "零一二三四五六七八九十"


def cities_text() -> str:
    """"定州、葫芦岛、石嘴山、运城、天津五个城市" for the notices there are now."""
    cities = list(dict.fromkeys(m.city for m in notice_metas(get_settings().corpus_dir)))  # no parsing
    count = _NUMERALS[len(cities)] if len(cities) <= 10 else str(len(cities))
    return f"{'、'.join(cities)}{count}个城市"


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
    """An answer inside a chat message: text, then each citation expandable to its clause.

    A follow-up shows how it was understood; "not specified" says so first, then the related
    text as context (never as an answer).
    """
    if answer.rewritten:
        st.caption(escape_md(msg.UNDERSTOOD_AS.format(question=answer.question)))
    if answer.status in (Status.ANSWERED, Status.NOT_SPECIFIED):
        if answer.table:
            _render_targets(answer)
        elif answer.status is Status.NOT_SPECIFIED:
            lead, _, context = answer.text.partition("\n")
            st.info(escape_md(lead), icon=":material/info:")
            st.markdown(escape_md(context))
        else:
            st.markdown(escape_md(answer.text))
        if answer.composer_note:
            st.caption(answer.composer_note)
        for n, citation in enumerate(answer.citations, start=1):
            chunk = citation.chunk
            clause = corpus().notices[chunk.notice_id].clause(chunk.clause_path)
            label = escape_md(f"[{n}] {chunk.city} ·《{chunk.title}》{chunk.clause_path} {chunk.heading}")
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


_TABLE_HEADERS = {"city": "城市", "value": "目标", "indicator": "指标", "ref": "引用", "clause": "条款"}


def _render_targets(answer: Answer) -> None:
    """A comparison from the targets table: the lead line, a small table, the comparison lines."""
    st.markdown(escape_md(answer.text.split("\n", 1)[0]))
    rows = [{_TABLE_HEADERS[k]: row.get(k, "") for k in _TABLE_HEADERS} for row in answer.table]
    st.dataframe(rows, hide_index=True, width="stretch")
    for note in answer.notes:
        st.markdown(escape_md(note))
    st.page_link("app_pages/targets.py", label="在“目标对比”页查看各城市的全部目标", icon=":material/leaderboard:")
