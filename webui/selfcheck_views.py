"""Streamlit rendering for the self-check pages: questionnaire form, save and resume.

The pages call :func:`selfcheck_page`; every rule lives in ``engagement``. Widget
values stay in ``st.session_state`` (UI state only); answers are stored through
``engagement.store`` on the shared database layer (``civic.db``); when the database is
unreachable the result is still shown and the page says what was not saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from civic.db import DatabaseUnavailable, get_engine, session_scope
from civic.settings import get_settings
from engagement import messages, retention
from engagement.cities import cities_not_set_up, find_city, load_cities
from engagement.questionnaire import MODES, UNKNOWN, Question, load_questionnaire
from engagement.resume_codes import ResumeCodeError
from engagement.selfcheck import CheckResult, run_check
from engagement.store import issue_resume_code, load_by_code, save_response
from webui import a11y
from webui.selfcheck_results import md, render_aggregates, render_result
from webui.theme import elder_mode

MODE_LABELS = {"express": "快速（6题以内）", "full": "完整"}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


def engine() -> Engine:
    return _engine(get_settings().sqlalchemy_url)


@contextmanager
def db_session() -> Iterator[Session]:
    """One transaction on the app's database; raises civic.db.DatabaseUnavailable."""
    with session_scope(engine()) as session:
        yield session


def _key(topic: str, name: str) -> str:
    return f"sc_{topic}_{name}"


def _apply_pending(topic: str) -> None:
    """Answers restored from a resume code are put into the widgets before they are drawn."""
    pending = st.session_state.pop(_key(topic, "pending"), None)
    if not pending:
        return
    answers, mode = pending
    st.session_state[_key(topic, "mode")] = mode if mode in MODES else "full"
    for qid, value in answers.items():
        st.session_state[_key(topic, qid)] = value


def _prefill_city(topic: str) -> None:
    """``?city=石嘴山`` (name or id) preselects the city once; an unknown one is reported."""
    flag = _key(topic, "city_from_query")
    value = st.query_params.get("city")
    if not value or st.session_state.get(flag):
        return
    st.session_state[flag] = True
    city = find_city(value)
    if city:
        st.session_state[_key(topic, "city")] = city.id
    else:
        supported = "、".join(c.name for c in load_cities().values())
        text = messages.UNKNOWN_CITY.format(city=value[:20], supported=supported)
        st.session_state[_key(topic, "city_notice")] = md(text)  # the link's text, shown as plain text


def _city_widget(topic: str, question: Question) -> None:
    cities = load_cities()
    options = [*cities.keys(), UNKNOWN]
    st.selectbox(
        question.text, options, index=None, key=_key(topic, "city"), help=question.help,
        format_func=lambda cid: "不清楚" if cid == UNKNOWN else cities[cid].name, placeholder="请选择城市",
    )
    if missing := cities_not_set_up():
        st.caption(md(messages.NOT_SET_UP.format(cities="、".join(missing))))


def _question_widget(topic: str, question: Question, city_id: str | None) -> None:
    key = _key(topic, question.id)
    if question.kind == "choice":
        labels = {o.id: o.label for o in question.options}
        st.radio(question.text, question.option_ids, index=None, key=key, help=question.help,
                 format_func=lambda oid: labels[oid])
    elif question.kind == "district":
        city = load_cities().get(city_id or "")
        districts = list(city.districts) if city else []
        if not districts:
            return
        if st.session_state.get(key) not in (None, UNKNOWN, *districts):
            st.session_state[key] = None  # city changed: an old district would not fit
        st.selectbox(question.text, [*districts, UNKNOWN], index=None, key=key, help=question.help,
                     format_func=lambda d: "不愿透露" if d == UNKNOWN else d, placeholder="可不选")
    elif question.kind == "number":
        st.text_input(question.text, key=key, help=question.help, placeholder="不清楚可留空")


def _collect(topic: str, mode: str) -> dict[str, object]:
    questionnaire = load_questionnaire(topic)
    answers: dict[str, object] = {}
    for q in questionnaire.questions_for(mode):
        value = st.session_state.get(_key(topic, q.id))
        if value not in (None, ""):
            answers[q.id] = value
    return answers


def _store(result: CheckResult, answers: dict[str, object], *, counted: bool) -> int:
    topic, mode = result.topic, result.mode
    with db_session() as session:
        response_id = save_response(
            session=session, topic=topic, mode=mode, answers=answers,
            city=result.answers.city.id if result.answers.city else None, district=result.answers.district,
            overall=result.overall, categories={c.id: c.score for c in result.categories},
            counted=counted, response_id=st.session_state.get(_key(topic, "response_id")),
        )
    st.session_state[_key(topic, "response_id")] = response_id
    return response_id


def _resume_box(topic: str) -> None:
    with st.expander("有续填码？在这里恢复"):
        code = st.text_input("续填码", key=_key(topic, "resume_code"), placeholder="例如 ABCD-EFGH-JKMN")
        if st.button("恢复回答", key=_key(topic, "resume_btn")):
            try:
                with db_session() as session:
                    saved = load_by_code(session=session, code=code, secret=get_settings().server_secret(), topic=topic)
            except ResumeCodeError as err:
                st.error(str(err))
                return
            except DatabaseUnavailable:
                st.error(messages.DB_UNAVAILABLE_RESUME)
                return
            st.session_state[_key(topic, "pending")] = (saved.answers, saved.mode)
            st.session_state[_key(topic, "response_id")] = saved.id
            st.session_state[_key(topic, "flash")] = messages.RESUME_OK
            st.rerun()


def selfcheck_page(topic: str) -> None:
    questionnaire = load_questionnaire(topic)
    _apply_pending(topic)
    _prefill_city(topic)
    st.title(questionnaire.title)
    st.write(questionnaire.intro)
    if flash := st.session_state.pop(_key(topic, "flash"), None):
        st.success(flash)
    if notice := st.session_state.pop(_key(topic, "city_notice"), None):
        st.warning(notice)
    _resume_box(topic)

    mode = st.radio("模式", MODES, key=_key(topic, "mode"), horizontal=True, format_func=MODE_LABELS.get)
    questions = questionnaire.questions_for(mode)
    _city_widget(topic, questions[0])
    city_id = st.session_state.get(_key(topic, "city"))
    with st.form(_key(topic, "form"), enter_to_submit=False):
        for q in questions[1:]:
            _question_widget(topic, q, city_id)
        consent = st.checkbox("允许把我的回答匿名计入城市汇总（不含任何个人信息）", value=True, key=_key(topic, "consent"))
        show = st.form_submit_button("查看结果", type="primary")
        save = st.form_submit_button("保存，稍后继续")
        st.caption(retention.notice())

    answers = _collect(topic, mode)
    if save:
        try:
            response_id = _store(run_check(topic, answers, mode), answers, counted=False)
            with db_session() as session:
                code = issue_resume_code(session=session, response_id=response_id,
                                         secret=get_settings().server_secret())
            st.session_state[_key(topic, "code")] = code
        except DatabaseUnavailable:
            st.error(messages.DB_UNAVAILABLE_SAVE)
    if show:
        result = run_check(topic, answers, mode)
        st.session_state[_key(topic, "result")] = result
        try:
            _store(result, answers, counted=consent)
        except DatabaseUnavailable:
            st.warning(messages.DB_UNAVAILABLE_RESULT)
        a11y.announce(f"自查结果已生成：总分 {result.overall} 分，{result.grade}。")
        a11y.focus(f"sc-result-{topic}")
    if code := st.session_state.get(_key(topic, "code")):
        st.success(messages.SAVED)
        st.code(code, language=None)
    if result := st.session_state.get(_key(topic, "result")):
        render_result(result, elder=elder_mode())
    aggregates(topic)


def aggregates(topic: str) -> None:
    """The anonymous aggregates panel, or a line saying they cannot be shown right now."""
    try:
        with db_session() as session:
            render_aggregates(session, topic)
    except DatabaseUnavailable:
        st.caption(messages.DB_UNAVAILABLE_AGGREGATES)
