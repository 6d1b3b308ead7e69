"""问答概览 (staff): questions per day, answered / not answered / out of scope, 没用, clauses, cities, CSV."""

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from desk.export import log_csv
from desk.overview import OUTCOMES, overview
from desk.review import QueueFilter, rows
from desk.tunables import local_day, utcnow
from retrieval.corpus import load_corpus
from webui import charts
from webui import desk_services as desk
from webui import desk_views as views
from webui.staff_auth import require_staff
from webui.text import escape_md

COLOURS = ["#2e7d32", "#c62828", "#a15c00", "#616161"]  # answered, not answered, out of scope, other (≥ 3:1 on white)

st.title("问答概览")
user = require_staff()
corpus = load_corpus()
today = local_day(utcnow())
left, right = st.columns(2)
span = left.date_input("日期范围", value=(today - timedelta(days=29), today), max_value=today, format="YYYY-MM-DD",
                       key="overview_dates")
city = right.selectbox("城市", [views.ALL_CITIES, *corpus.cities], key="overview_city")
start, end = views.date_span(span)
city = None if city == views.ALL_CITIES else city

o = desk.call(lambda s: overview(session=s, start=start, end=end, city=city))
if o is None:
    st.stop()
if not o.total:
    st.info("这段时间没有提问记录。")
    st.stop()

a, b, c, d = st.columns(4)
a.metric("提问", o.total)
b.metric("已回答", f"{o.share('answered'):.0%}")
c.metric("未回答", f"{o.share('not_answered'):.0%}", help="没有找到答案，或通知里没有写明")
d.metric("超出范围", f"{o.share('out_of_scope'):.0%}")
st.caption(f"居民评价 {o.voted} 次：有用 {o.useful}、没用 {o.not_useful}（没用占 {o.not_useful_share:.0%}）；"
           f"由工作人员的关联回答 {o.taught} 次。")

st.markdown("**每日提问**")
days = pd.DataFrame([(d.isoformat(), OUTCOMES[k], n) for d, counts in o.by_day.items() for k, n in counts.items()],
                    columns=["日期", "结果", "提问数"])
st.altair_chart(charts.readable(alt.Chart(days).mark_bar().encode(
    x=alt.X("日期:N", title=None), y=alt.Y("提问数:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")),
    color=alt.Color("结果:N", scale=alt.Scale(domain=list(OUTCOMES.values()), range=COLOURS),
                    legend=alt.Legend(orient="bottom", title=None, columns=2)),
    tooltip=["日期", "结果", "提问数"],
).properties(height=260), charts.describe("每日提问", {f"{r.日期}{r.结果}": r.提问数 for r in days.itertuples()}, "条")),
    width="stretch")

st.markdown("**各城市**")
cities = pd.DataFrame([(name, OUTCOMES[k], n) for name, f in o.per_city.items() for k, n in f.outcomes.items()],
                      columns=["城市", "结果", "提问数"])
st.altair_chart(charts.readable(alt.Chart(cities).mark_bar().encode(
    y=alt.Y("城市:N", title=None, sort=list(o.per_city)),
    x=alt.X("提问数:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")),
    color=alt.Color("结果:N", scale=alt.Scale(domain=list(OUTCOMES.values()), range=COLOURS),
                    legend=alt.Legend(orient="bottom", title=None, columns=2)),
    tooltip=["城市", "结果", "提问数"],
).properties(height=alt.Step(28)), charts.describe("各城市", {f"{r.城市}{r.结果}": r.提问数 for r in cities.itertuples()}, "条")),
    width="stretch")
st.dataframe(pd.DataFrame([
    (name, f.total, f.outcomes["answered"], f.outcomes["not_answered"], f.outcomes["out_of_scope"], f.voted,
     f.not_useful) for name, f in o.per_city.items()
], columns=["城市", "提问", "已回答", "未回答", "超出范围", "评价", "没用"]), hide_index=True)

st.markdown("**引用最多的条款**")
if o.top_clauses:
    st.dataframe(pd.DataFrame([
        (corpus.notices[n].meta.city if n in corpus.notices else n, clause, n_answers)
        for (n, clause), n_answers in o.top_clauses
    ], columns=["城市", "条款", "回答次数"]), hide_index=True)
else:
    st.caption("这段时间没有已回答的提问。")

st.markdown("**未回答最多的问题**")
for g in o.top_unanswered:
    st.markdown(f"- {escape_md(g.question)}（{g.count} 次，{escape_md('、'.join(g.cities))}）")

if o.reasons:
    st.markdown("**“没用”的原因**")
    st.dataframe(pd.DataFrame(o.reasons.most_common(), columns=["原因", "次数"]), hide_index=True)

items = desk.call(lambda s: rows(session=s, filter=QueueFilter(statuses=(), city=city, start=start, end=end,
                                                              reviewed=None), limit=10**7)) or []
st.download_button("导出提问记录 CSV（个人信息已遮盖）", log_csv(items), file_name=f"提问记录-{today}.csv",
                   mime="text/csv", on_click="ignore", icon=":material/download:")
logger = desk.services().logger
if logger.failed or logger.dropped:
    st.warning(f"本服务进程有 {logger.failed + logger.dropped} 条提问未能记录（数据库暂时无法连接或写入排队过长）。")
