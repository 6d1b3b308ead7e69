"""教问答 (staff): link a resident's question to the sentence that answers it, add word pairs, test, undo."""

import streamlit as st

from desk.messages import DeskError
from desk.review import find
from desk.teach import (
    add_link,
    add_pair,
    answering_units,
    check_link,
    check_pair,
    list_links,
    list_pairs,
    undo_link,
    undo_pair,
    with_draft,
)
from webui import desk_services as desk
from webui import desk_views as views
from webui import qa
from webui.staff_auth import require_staff
from webui.text import escape_md

st.set_page_config(layout="wide")  # the retrieval test is a wide table
st.title("教问答")
user = require_staff()
asker = desk.staff_asker(qa.asker())
corpus = asker.corpus
cities = corpus.cities
source = desk.services().teachings

if flash := st.session_state.pop("teach_flash", None):
    st.success(flash)


def done(message: str) -> None:
    source.refresh(force=True)  # this process answers with it at once; others within a second
    st.session_state.teach_flash = message
    st.rerun()


# A question opened from the queue (?q=<id>) fills the form once.
opened = st.query_params.get("q")
if opened and opened.isdigit() and st.session_state.get("teach_opened") != opened:
    st.session_state.teach_opened = opened
    row = desk.call(lambda s: find(session=s, question_id=int(opened)))
    if row is not None:
        for key in ("teach_question", "teach_search", "teach_trial"):
            st.session_state[key] = row.shown_question
        st.session_state.teach_city = row.city if row.city in cities else cities[0]
st.session_state.setdefault("teach_city", cities[0])

teach, taught = st.tabs(["教一教", "已教内容"])

with teach:
    question = st.text_input("居民的问题", key="teach_question", max_chars=300,
                             help="从“问答队列”打开的问题会自动填入，也可以自己输入或修改。")
    city = st.selectbox("城市（关联只对这个城市的提问生效）", cities, key="teach_city")
    if not question.strip():
        st.info("请先填写一个居民的问题，或从“问答队列”点“去教一教”。")
    else:
        st.subheader("现在的回答")
        views.answer_preview(asker.ask(question, city))

        st.subheader("在通知里查找")
        st.session_state.setdefault("teach_search", question)
        words = st.text_input("查找用词（可以改成通知里的说法）", key="teach_search")
        rows = asker.inspect(words, city, k=8) if words.strip() else []
        if rows:
            views.retrieval_table(rows)
        clauses = list(dict.fromkeys((r["notice_id"], r["clause"]) for r in rows))
        headings = {(r["notice_id"], r["clause"]): r["heading"] for r in rows}
        picked = st.selectbox(
            "答案所在的条款", clauses, key="teach_clause", index=None, placeholder="选择上表中的一个条款",
            format_func=lambda c: f"{corpus.notices[c[0]].meta.city} · {c[1]} {headings.get(c, '')}",
        )
        draft = None
        if picked:
            units = answering_units(picked[0], picked[1], corpus)
            sentence = st.radio("能回答这个问题的句子", units, key=f"teach_sentence_{picked[0]}_{picked[1]}",
                                index=None, format_func=escape_md)
            if sentence:
                try:
                    draft = check_link(question=question, notice_id=picked[0], clause_path=picked[1],
                                       quote=sentence, corpus=corpus)
                except DeskError as err:
                    st.error(err.message, icon=":material/error:")

        st.subheader("保存前试一试")
        st.session_state.setdefault("teach_trial", question)
        trial = st.text_input("试问（换一种问法，看关联能不能用上）", key="teach_trial", max_chars=300)
        if draft is None:
            st.caption("选好条款和句子后，这里会并排显示现在的回答和保存后的回答。")
        elif trial.strip():
            views.before_and_after(asker.ask(trial, city),
                                   asker.ask(trial, city, teachings=with_draft(source(), link=draft)))
        if draft is not None and st.button("保存关联", type="primary", icon=":material/link:") and desk.call(
            lambda s: add_link(session=s, question=question, notice_id=draft.notice_id,
                               clause_path=draft.clause_path, quote=draft.quote, created_by=user, corpus=corpus)
        ):
            done("关联已保存：相近的提问将直接用这句原文回答。")

    st.subheader("居民说法与通知用词")
    st.caption("居民常说、但通知里不这么写的词，例如“米糠麸皮”对应通知里的“粮食加工副产物”。")
    with st.form("teach_pair"):
        everyday = st.text_input("居民说法", max_chars=12)
        notice_words = st.text_input("通知里的用词（多个用“、”分隔）", max_chars=100)
        test_pair = st.form_submit_button("试一试")
        save_pair = st.form_submit_button("保存对应", type="primary")
    if test_pair or save_pair:
        try:
            pair = check_pair(everyday=everyday, notice_words=notice_words, corpus=corpus)
        except DeskError as err:
            st.error(err.message, icon=":material/error:")
            pair = None
        if pair is not None and test_pair:
            trial = question.strip() or everyday
            views.before_and_after(asker.ask(trial, city),
                                   asker.ask(trial, city, teachings=with_draft(source(), pair=pair)))
        if pair is not None and save_pair and desk.call(
            lambda s: add_pair(session=s, everyday=everyday, notice_words=notice_words, created_by=user,
                               corpus=corpus)
        ):
            done("词语对应已保存。")

with taught:
    loaded = desk.call(lambda s: (list_links(session=s), list_pairs(session=s)))
    links, pairs = loaded or ([], [])
    st.subheader("问题关联")
    active = [r for r in links if r.undone_at is None]
    if not active:
        st.caption("还没有生效的关联。")
    for r in active:
        with st.container(border=True):
            st.markdown(f"**{escape_md(r.question)}**")
            notice = corpus.notices.get(r.notice_id)
            title = notice.meta.title if notice else r.notice_id
            st.markdown(escape_md(f"→ {r.city} ·《{title}》{r.clause_path}：「{r.quote}」"))
            used = f"此后用于回答 {r.uses} 次" + (f"（最近 {views.when(r.last_used_at)}）" if r.last_used_at else "")
            st.caption(escape_md(f"{r.created_by} 于 {views.when(r.created_at)} 添加 · {used}"))
            if st.button("撤销这条关联", key=f"undo-link-{r.id}", icon=":material/undo:") and desk.call(
                lambda s, r=r: undo_link(session=s, link_id=r.id, undone_by=user)
            ):
                done("关联已撤销：这些提问恢复按原来的方式回答。")
    st.subheader("词语对应")
    active_pairs = [p for p in pairs if p.undone_at is None]
    if not active_pairs:
        st.caption("还没有生效的词语对应。")
    for p in active_pairs:
        with st.container(border=True):
            st.markdown(escape_md(f"{p.everyday} → {p.notice_words}"))
            used = f"此后出现在 {p.uses} 次提问中" + (f"（最近 {views.when(p.last_used_at)}）" if p.last_used_at else "")
            st.caption(escape_md(f"{p.created_by} 于 {views.when(p.created_at)} 添加 · {used}"))
            if st.button("撤销这条对应", key=f"undo-pair-{p.id}", icon=":material/undo:") and desk.call(
                lambda s, p=p: undo_pair(session=s, pair_id=p.id, undone_by=user)
            ):
                done("词语对应已撤销。")
    undone = [r for r in links if r.undone_at is not None] + [p for p in pairs if p.undone_at is not None]
    if undone:
        with st.expander(f"已撤销（{len(undone)}）"):
            for r in undone:
                what = f"{r.question} → {r.city} {r.clause_path}" if hasattr(r, "quote") else \
                    f"{r.everyday} → {r.notice_words}"
                st.caption(escape_md(f"{what} · {r.created_by} 添加，{r.undone_by} 于 {views.when(r.undone_at)} 撤销 · "
                                     f"生效期间用了 {r.uses} 次"))
