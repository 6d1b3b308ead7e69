"""Ask the notices: a chat that quotes the notices and cites the clause."""

import streamlit as st

from webui import qa, qa_feedback
from webui.text import escape_md

st.title("问问政策")
st.caption(f"回答只摘录{qa.cities_text()}节能减排通知的原文，并注明出处；通知里没写的，会如实告诉您。")

asker = qa.asker()
city = qa.city_selector(asker.corpus.cities)
history: list = st.session_state.setdefault("qa_history", [])
refs: list = st.session_state.setdefault("qa_refs", [])  # each answer's log ref, for 有用 / 没用

pending = None
from_link = st.query_params.get("q")
if from_link and st.session_state.get("qa_from_link") != from_link:
    st.session_state["qa_from_link"] = from_link
    pending = from_link

# The chat input is pinned to the bottom wherever it is called; read it first so the
# examples disappear on the run that answers the first question.
typed = st.chat_input("输入您的问题，例如：我家烧散煤取暖，政策有什么要求？", max_chars=300)
if not history and not pending and not typed:
    st.markdown("**可以这样问：**")
    for n, example in enumerate(qa.examples().get(city or "", [])):
        if st.button(example, key=f"example-{city}-{n}", width="stretch"):
            pending = example
    if city and city not in qa.examples():
        st.caption(f"还没有为{city}整理示例问题，直接在下方输入您的问题即可，例如问它的主要目标或清洁取暖要求。")

for n, (question, answer) in enumerate(history):
    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        qa.render_answer(answer, key=f"a{n}")
        qa_feedback.feedback(refs[n] if n < len(refs) else None, answer)

pending = typed or pending
if pending:
    with st.chat_message("user"):
        st.markdown(escape_md(pending))
    with st.chat_message("assistant"):
        # The conversation's earlier questions let a follow-up ("那天津呢？") be understood.
        answer, ref = qa_feedback.ask_and_record(asker, pending, city, [q for q, _ in history])
        qa.render_answer(answer, key=f"a{len(history)}")
        qa_feedback.feedback(ref, answer)
    history.append((pending, answer))
    refs[len(history) - 1:] = [ref]

if history and st.button("清空对话", icon=":material/delete_sweep:"):
    history.clear()
    refs.clear()
    qa_feedback.new_conversation()
    st.rerun()

qa_feedback.privacy_notice()
