"""Ask the notices: a chat that quotes the notices and cites the clause."""

import streamlit as st

from webui import a11y, qa, qa_feedback
from webui.theme import elder_mode

elder = elder_mode()  # 长辈版: city, question, answer, sources — nothing else
st.title("问问政策")
if not elder:
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
typed = st.chat_input("输入您的问题，例如：烧散煤取暖有什么要求？", max_chars=300, key="qa_input")
if not history and not pending and not typed and not elder:
    examples = st.empty()
    with examples.container():
        st.markdown("**可以这样问：**")
        for n, example in enumerate(qa.examples().get(city or "", [])):
            if st.button(example, key=f"example-{city}-{n}", width="stretch"):
                pending = example
        if city and city not in qa.examples():
            st.caption(f"还没有为{city}整理示例问题，直接在下方输入您的问题即可，例如问它的主要目标或清洁取暖要求。")
    if pending:
        examples.empty()
        a11y.focus_selector(qa.CHAT_INPUT)  # the pressed example is gone: the next question starts here

pending = typed or pending
if pending:
    # The conversation's earlier questions let a follow-up ("那天津呢？") be understood; the
    # question goes to the desk's log off the answer's path.
    answer, ref = qa_feedback.ask_and_record(asker, pending, city, [q for q, _ in history])
    history.append((pending, answer))
    refs[len(history) - 1:] = [ref]

shown = history[-1:] if elder else history  # the 长辈版 shows the latest question and answer only
for n, (question, answer) in enumerate(shown, start=len(history) - len(shown)):
    ref = refs[n] if n < len(refs) else None
    qa.render_exchange(question, answer, key=f"a{n}", elder=elder,
                       after=None if elder else lambda ref=ref, answer=answer: qa_feedback.feedback(ref, answer))
if pending:
    a11y.announce(qa.announcement(history[-1][1]))

if history and not elder and st.button("清空对话", icon=":material/delete_sweep:", type="tertiary"):
    history.clear()
    refs.clear()
    qa_feedback.new_conversation()
    st.rerun()

qa_feedback.privacy_notice()
