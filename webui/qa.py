"""Streamlit glue for the Q&A: the cached asker, first-start indexing, answer rendering."""

from __future__ import annotations

import logging
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from civic.settings import get_settings
from retrieval.answer import Answer, Asker, Status, get_asker
from retrieval.answer import messages as msg
from retrieval.corpus import Corpus, load_corpus
from retrieval.index import IndexDamaged, IndexMissing, sync
from retrieval.sources import notice_metas
from retrieval.targets import targets_version
from webui import hanzi, tables
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


CHAT_INPUT = '[data-testid="stChatInputTextArea"]'


def render_exchange(question: str, answer: Answer, key: str, *, elder: bool = False,
                    after: Callable[[], None] | None = None) -> None:
    """One question as the resident typed it (never markup), then its answer; ``after`` draws
    more inside the answer's message (有用 / 没用)."""
    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        render_answer(answer, key=key, elder=elder)
        if after:
            after()


def render_answer(answer: Answer, key: str, *, elder: bool = False) -> None:
    """An answer inside a chat message, one part after another.

    Each part is its own function so that a new part (a line above the answer, buttons
    under it) is one more call here. ``key`` keeps this answer's widgets apart. A follow-up
    shows how it was understood; "not specified" says so first, then the related text as
    context (never as an answer).
    """
    if answer.rewritten:
        st.caption(escape_md(msg.UNDERSTOOD_AS.format(question=answer.question)))
    if answer.status not in (Status.ANSWERED, Status.NOT_SPECIFIED):
        _status_message(answer)
        return
    original_key = f"{key}-original"
    original = bool(st.session_state.get(original_key, False))  # the switch is drawn below the text it changes
    _body(answer, original)
    _original_switch(answer, original_key)
    if answer.composer_note:
        st.caption(answer.composer_note)
    _sources(answer, original)
    if not elder:
        st.caption(msg.DISCLAIMER)


def _status_message(answer: Answer) -> None:
    """A decline, an invalid question or an error: the message, in the alert that fits it."""
    if answer.status is Status.ERROR:
        st.error(answer.text)
    elif answer.status is Status.INVALID_QUESTION:
        st.warning(answer.text)
    else:
        st.info(answer.text)


def _quotes(answer: Answer) -> list[tuple[str, str]]:
    return [(c.chunk.notice_id, c.quote) for c in answer.citations]


def _body(answer: Answer, original: bool) -> None:
    text = hanzi.shown_quotes(answer.text, _quotes(answer), original=original)
    if answer.table:
        _render_targets(answer)  # the table's values and indicators are kept in Simplified
    elif answer.status is Status.NOT_SPECIFIED:
        lead, _, context = text.partition("\n")
        st.info(escape_md(lead), icon=":material/info:")
        st.markdown(escape_md(context))
    else:
        st.markdown(escape_md(text))


def _original_switch(answer: Answer, key: str) -> None:
    """One tap from the Simplified display to a Traditional notice's own characters."""
    if any(hanzi.is_traditional(c.chunk.notice_id) for c in answer.citations):
        st.toggle(hanzi.ORIGINAL_LABEL, key=key)


def _sources(answer: Answer, original: bool) -> None:
    """Each citation, expandable to its whole clause with the quoted sentences highlighted."""
    for n, citation in enumerate(answer.citations, start=1):
        chunk = citation.chunk
        clause = corpus().notices[chunk.notice_id].clause(chunk.clause_path)
        heading = hanzi.shown(chunk.heading, chunk.notice_id, original=original)
        label = escape_md(f"[{n}] {chunk.city} ·《{chunk.title}》{chunk.clause_path} {heading}")
        with st.expander(label):
            quotes = [c.quote for c in answer.citations if c.chunk.notice_id == chunk.notice_id
                      and c.chunk.clause_path == chunk.clause_path]
            text = "\n".join(p.text for p in clause.paragraphs) if clause else chunk.text
            notice = chunk.notice_id
            st.markdown(highlight(hanzi.shown(text, notice, original=original),
                                  [hanzi.shown(q, notice, original=original) for q in quotes]))
            if clause and clause.departments:
                st.caption("责任单位：" + "、".join(hanzi.shown(d, notice, original=original) for d in clause.departments))
            st.page_link(
                "app_pages/browse.py", label="在通知原文中查看", icon=":material/description:",
                query_params={"notice": chunk.notice_id, "clause": chunk.clause_path},
            )


def announcement(answer: Answer) -> str:
    """What a screen reader is told when an answer arrives."""
    understood = msg.UNDERSTOOD_AS.format(question=answer.question) + "。" if answer.rewritten else ""
    if answer.status is not Status.ANSWERED:
        return f"回答：{understood}{hanzi.shown_quotes(answer.text, _quotes(answer))}"
    text = understood + hanzi.shown_quotes(answer.text, _quotes(answer))
    if answer.table:
        text = text.split("\n", 1)[0] + "（表格见页面）" + "".join(answer.notes)
    sources = f"共 {len(answer.citations)} 条出处，可展开查看条款原文。" if answer.citations else ""
    return f"已回答。{text} {sources}"


_TABLE_HEADERS = {"city": "城市", "value": "目标", "indicator": "指标", "ref": "引用", "clause": "条款"}


def _render_targets(answer: Answer) -> None:
    """A comparison from the targets table: the lead line, a small table (cards on a phone), the comparison lines."""
    st.markdown(escape_md(answer.text.split("\n", 1)[0]))
    rows = [[tables.text_cell(str(row.get(k, "")), "value" if k == "value" else "") for k in _TABLE_HEADERS]
            for row in answer.table]
    tables.responsive_table(list(_TABLE_HEADERS.values()), rows, caption="各城市的数字目标", labels=True)
    for note in answer.notes:
        st.markdown(escape_md(note))
    st.page_link("app_pages/targets.py", label="在“目标对比”页查看各城市的全部目标", icon=":material/leaderboard:")
