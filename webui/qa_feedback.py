"""The residents' side of the desk on the Ask page: the question logged, 有用 / 没用 under each answer.

Logging hands the answer to the per-process writer and returns at once (the resident's answer never
waits for the database). A vote names the answer by its random ``ref``; the browser's widget holds
one choice per answer, and choosing again replaces the vote.
"""

from __future__ import annotations

import time

import streamlit as st

from civic.db import DatabaseUnavailable, get_engine, session_scope
from civic.settings import get_settings
from desk.feedback import reasons, set_feedback
from desk.messages import COMMENT_LABEL, FEEDBACK_QUESTION, PRIVACY, REASONS_LABEL, THANKS, DeskError
from desk.questions import entry_for, new_ref
from desk.tunables import tunables
from retrieval.answer import Answer, Asker, Status
from webui.desk_services import services

CONVERSATION = "qa_conversation"
_VOTES = "qa_votes"  # ref -> {"saved": bool, "error": str}
USEFUL, NOT_USEFUL = "有用", "没用"


def privacy_notice() -> None:
    settings = get_settings()
    if settings.desk_log_questions:
        st.caption(PRIVACY.format(days=settings.desk_retention_days))


def new_conversation() -> None:
    st.session_state.pop(CONVERSATION, None)


def ask_and_record(asker: Asker, question: str, city: str | None, history: list[str]) -> tuple[Answer, str | None]:
    """Answer, then queue the question for the log; returns the answer and its ref (None: not logged)."""
    started = time.perf_counter()
    answer = asker.ask(question, city, history=history)
    latency = time.perf_counter() - started
    if not get_settings().desk_log_questions:
        return answer, None
    conversation = st.session_state.setdefault(CONVERSATION, new_ref())
    entry = entry_for(answer, question=question, city=city, latency_s=latency, conversation=conversation)
    return answer, entry.ref if services().logger.submit(entry) else None


def feedback(ref: str | None, answer: Answer) -> None:
    """有用 / 没用 under one answer; 没用 opens reasons and a comment; a thank-you line once saved."""
    if not ref or answer.status in (Status.INVALID_QUESTION, Status.ERROR):
        return
    state = st.session_state.setdefault(_VOTES, {}).setdefault(ref, {})
    vote = st.segmented_control(FEEDBACK_QUESTION, [USEFUL, NOT_USEFUL], key=f"vote-{ref}", required=True,
                                on_change=_on_vote, args=(ref,))
    if vote == NOT_USEFUL and not state.get("detailed"):
        limit = tunables()["feedback"]["comment_max"]
        box = st.empty()  # emptied once the reasons are saved, in the same run
        with box.form(f"why-{ref}", border=False, enter_to_submit=False):
            chosen = st.pills(REASONS_LABEL, reasons(), selection_mode="multi", key=f"why-{ref}-reasons")
            comment = st.text_input(COMMENT_LABEL, max_chars=limit, key=f"why-{ref}-comment",
                                    placeholder="例如：我想知道的是……")
            submitted = st.form_submit_button("提交")
        if submitted and _save(ref, False, chosen or [], comment):
            state["detailed"] = True
            box.empty()
    if state.get("error"):
        st.warning(state["error"], icon=":material/error:")
    elif state.get("saved"):
        st.caption(THANKS)


def _on_vote(ref: str) -> None:
    vote = st.session_state.get(f"vote-{ref}")
    if vote in (USEFUL, NOT_USEFUL):
        state = st.session_state.setdefault(_VOTES, {}).setdefault(ref, {})
        state["detailed"] = False
        _save(ref, vote == USEFUL, [], "")


def _save(ref: str, useful: bool, chosen: list[str], comment: str) -> bool:
    state = st.session_state.setdefault(_VOTES, {}).setdefault(ref, {})
    desk = services()
    desk.logger.flush(3.0)  # the question itself may still be on its way to the database
    try:
        with session_scope(get_engine(desk.url)) as session:
            set_feedback(session=session, ref=ref, useful=useful, reasons_given=chosen, comment=comment)
    except DeskError as err:
        state.update(saved=False, error=err.message)
        return False
    except DatabaseUnavailable:
        state.update(saved=False, error=DeskError("db_unavailable").message)
        return False
    state.update(saved=True, error="")
    return True
