"""Streamlit rendering of a self-check result: score, charts, citations, estimates, actions, links."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from engagement import messages
from engagement.actions import TIERS, as_url, ask_query, pledge_query, tier_labels
from engagement.aggregates import city_aggregates, min_group_size
from engagement.cities import find_city
from engagement.estimates import fmt_option
from engagement.selfcheck import CheckResult
from engagement.summary import first_action, key_lines, summary_markdown
from pledges.catalogue import load_catalogue
from webui import charts, hanzi
from webui.text import escape_md


def md(text: str) -> str:
    """Escape Markdown so data and answers show as plain text (never HTML, never formatting)."""
    return escape_md(str(text))


def _link(page: str, url_path: str, label: str, params: dict[str, str], icon: str) -> None:
    """A link to another page with query parameters; a plain URL if that page is not registered."""
    try:
        st.page_link(page, label=label, query_params=params, icon=icon)
    except Exception:  # the target page is built by another team and may not be registered yet
        st.markdown(f"{icon} [{md(label)}]({as_url('/' + url_path, params)})")


def _category_chart(result: CheckResult) -> None:
    rows = [{"方面": c.label, "得分": c.score} for c in result.categories if c.score is not None]
    if not rows:
        return
    data = pd.DataFrame(rows)
    bars = alt.Chart(data).mark_bar(color=charts.GREEN).encode(
        x=alt.X("得分:Q", scale=alt.Scale(domain=[0, 100]), title="得分（满分100）"),
        y=alt.Y("方面:N", sort=None, title=None),
        tooltip=["方面", "得分"],
    )
    text = bars.mark_text(align="left", dx=3, color=charts.TEXT, fontSize=charts.font_size()).encode(text="得分:Q")
    described = charts.describe("各方面得分（满分100）", {r["方面"]: r["得分"] for r in rows}, "分")
    st.altair_chart(charts.readable((bars + text).properties(height=38 * len(rows) + 40), described), width="stretch")


def _target_chart(result: CheckResult, *, elder: bool = False) -> None:
    t = result.target
    if t is None:
        if result.target_note:
            st.caption(result.target_note)
        return
    st.markdown(f"**{md(t.household_label)}与本市目标**")
    if elder:
        st.markdown(f"- {md(t.household_label)}：{t.household_value} 分  \n- 本市目标：{md(t.label)} {t.city_value:g}%")
    data = pd.DataFrame([
        {"对象": "您家得分", "数值": t.household_value},
        {"对象": "本市目标 %", "数值": t.city_value},
    ])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("数值:Q", scale=alt.Scale(domain=[0, 100]), title=None),
        y=alt.Y("对象:N", sort=None, title=None, axis=alt.Axis(labelLimit=170)),
        color=alt.Color("对象:N", legend=None, scale=alt.Scale(range=[charts.GREEN, charts.GREY])),
    )
    text = bars.mark_text(align="left", dx=3, color=charts.TEXT, fontSize=charts.font_size()).encode(text="数值:Q")
    if not elder:
        described = charts.describe(f"{t.household_label}与本市目标", {"您家得分": t.household_value, "本市目标 %": t.city_value})
        st.altair_chart(charts.readable((bars + text).properties(height=110), described), width="stretch")
    st.caption(
        f"本市目标：{t.label} {t.city_value:g}%，出自《{result.notice_title}》{t.clause}：“{_quote(result, t.quote)}”。"
        f"{t.household_label}得分为 {t.household_value} 分；家庭得分与全市比例目标口径不同，仅作对照。"
    )


def _citations(result: CheckResult) -> None:
    if not result.city_name:
        return
    st.subheader(f"{result.city_name}的通知怎么说")
    st.caption(f"《{result.notice_title}》")
    city = result.answers.city
    original = bool(city and hanzi.is_traditional(city.id) and st.toggle(hanzi.ORIGINAL_LABEL, key=f"sc_{result.topic}_original"))
    previous = None
    for q in result.quotes:
        if q.subject_label != previous:
            badge = " :green-badge[与您家相关]" if q.relevant else ""
            st.markdown(f"**{md(q.subject_label)}**{badge}")
            previous = q.subject_label
        st.markdown(f"> {md(_quote(result, q.quote, original))}")
        st.caption(f"出处：《{q.notice_title}》{q.clause}　{q.heading}")
        if q.note:
            st.caption(f"说明：{q.note}")
    if result.silent_message:
        st.info(result.silent_message)


def _estimate(result: CheckResult) -> None:
    est = result.estimate
    if est is None:
        return
    st.subheader("一年的排放和花费")
    st.caption(est.disclaimer)
    if est.current:
        for opt in [est.current, *est.alternatives]:
            st.markdown(f"- {md(fmt_option(opt, est.gas))}")
    for note in est.notes:
        st.caption(note)
    if est.sources:
        with st.expander("估算依据和数据来源"):
            for source in est.sources:
                st.markdown(f"- {md(source)}")


def _actions(result: CheckResult) -> None:
    st.subheader("可以做什么")
    labels = tier_labels()
    city = result.city_name
    titles = {i.id: i.title for i in load_catalogue().items.values()}  # what each 一键承诺 signs up for
    for tier in TIERS:
        actions = result.actions.get(tier, [])
        if not actions:
            continue
        st.markdown(f"**{labels[tier]}**")
        for action in actions:
            with st.container(border=True):
                st.markdown(md(action.text))
                if action.pledge:
                    st.caption(f"承诺项：{md(titles.get(action.pledge, action.pledge))}")
                    _link("app_pages/pledge_sign.py", "pledge", "一键承诺", pledge_query([action.pledge], city), ":material/edit_note:")
                st.caption(f"可以问：{md(action.ask)}")  # a link label would be cut off at phone width
                _link("app_pages/ask.py", "ask", "去问答页问一问", ask_query(action.ask, city), ":material/forum:")
    if result.pledge_items:
        label = f"把以上 {len(result.pledge_items)} 项建议一键加入承诺"
        _link("app_pages/pledge_sign.py", "pledge", label, pledge_query(result.pledge_items, city), ":material/task_alt:")


def _quote(result: CheckResult, text: str, original: bool = False) -> str:
    """A quote of the household's city notice as shown (Simplified for 天津 unless the original is asked for)."""
    city = result.answers.city
    return hanzi.shown(text, city.id, original=original) if city else text


def _key_lines(result: CheckResult) -> None:
    """The 长辈版's first screen: the three most useful lines, and the easiest step's 一键承诺."""
    with st.container(border=True, key=f"sc-key-lines-{result.topic}"):
        for line in key_lines(result, quote=lambda q: _quote(result, q)):
            st.markdown(f"**{md(line)}**")
        action = first_action(result)
        if action and action.pledge:
            _link("app_pages/pledge_sign.py", "pledge", "一键承诺", pledge_query([action.pledge], result.city_name),
                  ":material/edit_note:")


def render_result(result: CheckResult, *, elder: bool = False) -> None:
    st.divider()
    with st.container(key=f"sc-result-{result.topic}"):
        st.header("自查结果")
    if elder:
        _key_lines(result)
        st.subheader("完整结果")
    _full_result(result, elder=elder)


def _full_result(result: CheckResult, *, elder: bool) -> None:
    for problem in result.problems:  # may quote what the resident typed: escaped, never markup
        st.info(md(problem))
    if result.confirmations:
        st.warning(messages.CONFIRM_INTRO + "\n\n" + "\n\n".join(f"- {md(c)}" for c in result.confirmations))
    if result.headline:
        st.warning(result.headline)
    st.metric("总分", f"{result.overall} 分", help="各方面得分的加权平均，满分100")
    st.write(result.grade)
    if elder:  # the scores as plain lines: large text instead of small chart labels
        for c in result.categories:
            st.markdown(f"- {md(c.label)}：{'不适用' if c.score is None else f'{c.score} 分'}")
    else:
        _category_chart(result)
    _target_chart(result, elder=elder)
    _citations(result)
    _estimate(result)
    _actions(result)
    st.download_button(
        "下载结果摘要（可打印）", summary_markdown(result), file_name=f"selfcheck-{result.topic}.md",
        mime="text/markdown", key=f"sc_{result.topic}_download",
    )


def render_aggregates(session: Session, topic: str) -> None:
    with st.expander("匿名汇总（供宣传部门参考）"):
        n = min_group_size()
        groups = city_aggregates(session=session, topic=topic)
        st.caption(messages.AGG_TOO_FEW.format(n=n))
        if not groups:
            st.write(messages.AGG_EMPTY.format(n=n))
            return
        rows = []
        for g in groups:
            city = find_city(g.city)
            row = {"城市": city.name if city else g.city, "区县": g.district or "全市", "份数": g.responses, "平均分": g.mean_overall}
            row.update(g.mean_by_category)
            row[g.share_label] = g.share_percent
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
