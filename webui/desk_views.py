"""Staff-only Streamlit blocks of the desk: queue filters and lines, answer previews, the retrieval test.

Everything a resident typed is shown through ``escape_md`` (or in a dataframe cell): never as markup.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from desk.review import STATUS_LABELS, UNANSWERED, Group, QueueFilter
from desk.tunables import local_day, to_local, utcnow
from retrieval.answer import Answer, Status
from webui.text import escape_md

REVIEWED = {"未审阅": False, "已审阅": True, "全部": None}
ALL_CITIES = "全部城市"


def when(moment) -> str:
    return f"{to_local(moment):%m-%d %H:%M}" if moment else ""


def queue_filter(cities: list[str]) -> QueueFilter:
    """The queue's filters, remembered for the session by their widget keys."""
    today = local_day(utcnow())
    with st.container(border=True):
        statuses = st.multiselect(
            "回答结果", list(STATUS_LABELS), default=list(UNANSWERED), format_func=STATUS_LABELS.get,
            key="desk_statuses", placeholder="全部结果",
        )
        left, right = st.columns(2)
        city = left.selectbox("城市", [ALL_CITIES, *cities], key="desk_city")
        reviewed = right.segmented_control("审阅", list(REVIEWED), default="未审阅", key="desk_reviewed",
                                           required=True)
        span = st.date_input("日期范围", value=(today - timedelta(days=29), today), max_value=today,
                             format="YYYY-MM-DD", key="desk_dates")
        not_useful = st.toggle("只看居民点了“没用”的", key="desk_not_useful")
    start, end = date_span(span)
    return QueueFilter(statuses=tuple(statuses), not_useful_only=not_useful,
                       city=None if city == ALL_CITIES else city, start=start, end=end,
                       reviewed=REVIEWED.get(reviewed or "未审阅"))


def date_span(value) -> tuple[date | None, date | None]:
    if isinstance(value, (tuple, list)):
        return (value[0] if value else None), (value[1] if len(value) > 1 else (value[0] if value else None))
    return value, value


def group_line(g: Group) -> None:
    """One line of the queue: the question asked most, how often, where, with what outcome and votes."""
    st.markdown(f"**{escape_md(g.question)}**")
    facts = [f"共 {g.count} 次", "、".join(f"{c} {n}" for c, n in g.cities.most_common()),
             "、".join(f"{STATUS_LABELS.get(s, s)} {n}" for s, n in g.statuses.most_common())]
    if g.not_useful:
        why = "、".join(f"{r} {n}" for r, n in g.reasons.most_common())
        facts.append(f"没用 {g.not_useful}" + (f"（{why}）" if why else ""))
    facts.append(f"最近 {when(g.latest)}")
    st.caption(escape_md(" · ".join(facts)))


def group_rows(g: Group) -> None:
    """Every question of a group, as asked (masked), with its outcome and the resident's vote."""
    vote = {None: "", True: "有用", False: "没用"}
    st.dataframe(pd.DataFrame(
        [(when(r.asked_at), r.city, r.question, r.rewritten or "", STATUS_LABELS.get(r.status, r.status),
          vote[r.useful], "、".join(r.reasons), r.comment, "是" if r.reviewed_at else "")
         for r in g.rows],
        columns=["时间", "城市", "提问（已遮盖个人信息）", "按此理解", "结果", "评价", "原因", "补充说明", "已审阅"],
    ), hide_index=True)


def before_and_after(now: Answer, after: Answer) -> None:
    """What the bot answers now and with the staff's change, side by side."""
    left, right = st.columns(2)
    with left:
        st.markdown("**现在**")
        answer_preview(now)
    with right:
        st.markdown("**保存后**")
        answer_preview(after)


def answer_preview(answer: Answer) -> None:
    """What the bot answers: the outcome, the text, and the clauses it quotes."""
    label = STATUS_LABELS.get(answer.status.value, answer.status.value)
    if answer.taught_link:
        label += "（来自工作人员的关联）"
    (st.success if answer.status is Status.ANSWERED else st.info)(label)
    if answer.rewritten:
        st.caption(escape_md(f"按“{answer.question}”理解"))
    st.markdown(escape_md(answer.text))
    for n, c in enumerate(answer.citations, start=1):
        st.caption(escape_md(f"[{n}] {c.chunk.city} ·《{c.chunk.title}》{c.chunk.clause_path}"))


def retrieval_table(rows: list[dict]) -> None:
    """The retrieval test (MaxKB 命中测试, RAGFlow's retrieval test): each score of each clause found.

    Ranks in the keyword (BM25), clause-meaning, sentence-meaning and sentence-coverage rankings ("—": not
    in the first candidates), the fused score, and the clause's best sentence with its coverage of the question's
    words, its meaning similarity and the relevance that decides the answer.
    """
    def rank(value) -> str:
        return "—" if value is None else str(value)

    small = {"width": "small"}
    st.dataframe(pd.DataFrame([
        (r["rank"], f"{r['city']} {r['clause']} {r['heading']}", rank(r.get("keyword_rank")),
         rank(r.get("dense_rank")), rank(r.get("sentence_rank")), rank(r.get("coverage_rank")),
         round(float(r.get("fused", 0.0)), 4),
         round(r["relevance"], 2), r["best_sentence"], round(r["coverage"], 2), round(r["similarity"], 2))
        for r in rows
    ], columns=["名次", "条款", "关键词", "语义", "句子", "词覆盖", "融合得分", "相关度", "最相关的句子", "覆盖", "相似度"]),
        hide_index=True, column_config={
            "名次": st.column_config.NumberColumn(**small), "条款": st.column_config.TextColumn(width="medium"),
            "关键词": st.column_config.TextColumn(**small), "语义": st.column_config.TextColumn(**small),
            "句子": st.column_config.TextColumn(**small), "词覆盖": st.column_config.TextColumn(**small),
            "融合得分": st.column_config.NumberColumn(**small),
            "相关度": st.column_config.NumberColumn(**small), "最相关的句子": st.column_config.TextColumn(width="large"),
        })
