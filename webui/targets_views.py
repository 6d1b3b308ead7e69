"""Streamlit rendering for the 目标对比 page: compare a theme across cities, or read one city.

The rows come from :func:`retrieval.targets.load_targets` (reviewed rows only);
which rows are comparable is decided in :mod:`retrieval.targets.groups`. Every
text from a notice or the table goes through ``escape_md`` before Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from civic.settings import get_settings
from retrieval.corpus import NoticeMeta
from retrieval.sources import notice_metas, provided_notices
from retrieval.targets import Target, load_targets, targets_version, theme_names, to_csv
from retrieval.targets.groups import Group, chart_rows, group_targets, short_value, target_text, theme_order
from webui import charts, hanzi, tables
from webui.text import escape_md

BROWSE_PAGE = "app_pages/browse.py"
TARGETS_PAGE = "app_pages/targets.py"
VIEWS = {"theme": "按主题对比", "city": "按城市查看"}
NOT_SET = "未提及"
_VIEW, _THEME, _CITY, _LINK = "tg_view", "tg_theme", "tg_city", "tg_link"


@dataclass
class TargetsData:
    rows: list[Target]
    groups: list[Group]
    themes: list[str]  # themes with at least one row, in display order
    cities: list[str]  # all cities of the corpus, in manifest order
    notices: dict[str, NoticeMeta]


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


# The versions are arguments only so that a changed table or a published notice is read again.
@st.cache_resource(show_spinner=False, max_entries=4)
def _load(corpus_dir: str, targets: str, manifest_mtime: int, notices: str) -> TargetsData:
    rows = load_targets(Path(corpus_dir))
    metas = notice_metas(Path(corpus_dir))
    cities = list(dict.fromkeys([m.city for m in metas] + [r.city for r in rows]))
    return TargetsData(rows, group_targets(rows), theme_order(rows, theme_names()), cities,
                       {m.id: m for m in metas})


def load_data() -> TargetsData:
    """The reviewed rows, grouped; read again whenever targets.csv, the manifest, a published
    notice or a staff review changes."""
    corpus_dir = get_settings().corpus_dir
    return _load(str(corpus_dir), targets_version(corpus_dir), _mtime(corpus_dir / "manifest.json"),
                 provided_notices()[0])


# -- deep links ----------------------------------------------------------


def _find_city(value: str, data: TargetsData) -> str | None:
    if value in data.cities:
        return value
    meta = data.notices.get(value.strip().lower())
    return meta.city if meta else None


def _apply_link(data: TargetsData) -> list[str]:
    """Put ``?view=&theme=&city=`` into the widgets when the URL changed; notes for unknown values."""
    link = {k: st.query_params.get(k) or None for k in ("view", "theme", "city")}
    if st.session_state.get(_LINK) == link:
        return []
    notes = []
    theme, city = link["theme"], link["city"] and _find_city(link["city"], data)
    if theme in data.themes:
        st.session_state[_THEME] = theme
    elif theme:
        notes.append("链接中的主题无法识别，已显示默认主题。")
    if city:
        st.session_state[_CITY] = city
    elif link["city"]:
        notes.append("链接中的城市无法识别，请在下方选择城市。")
    if link["view"] in VIEWS:
        st.session_state[_VIEW] = link["view"]
    elif link["view"]:
        notes.append("链接中的查看方式无法识别，已按主题显示。")
    elif city and theme not in data.themes:
        st.session_state[_VIEW] = "city"
    elif theme in data.themes:
        st.session_state[_VIEW] = "theme"
    return notes


def _write_link(view: str, value: str) -> None:
    """Keep the address bar a shareable link to what is shown."""
    link = {"view": view, "theme": value if view == "theme" else None, "city": value if view == "city" else None}
    # Written on every run: a page_link to this page changes the parameters but not the address bar.
    # (This drops ?elder=true from the address; the 长辈版 stays on through the session and cookie.)
    st.query_params.from_dict({k: v for k, v in link.items() if v})
    st.session_state[_LINK] = link


def _picker(label: str, options: list[str], key: str, format_func=str) -> str:
    """A selectbox whose choice survives switching views (Streamlit drops hidden widgets' state)."""
    keep = key + "_keep"
    if st.session_state.get(key) not in options:
        st.session_state[key] = st.session_state.get(keep) if st.session_state.get(keep) in options else options[0]
    value = st.selectbox(label, options, key=key, format_func=format_func)
    st.session_state[keep] = value
    return value


# -- pieces ---------------------------------------------------------------


def _quotes(rows: list[Target], data: TargetsData) -> None:
    """Each value's exact sentence, notice and clause, with a link to the clause.

    A Traditional notice's sentences are shown in Simplified; its own characters open
    from a "查看原文（繁体）" button (a popover: a widget in here would disturb the links).
    """
    with st.expander(f"原文与条款（{len(rows)}条）", icon=":material/format_quote:"):
        for row in rows:
            meta = data.notices.get(row.notice_id)
            title = f"《{meta.title}》" if meta else row.notice_id
            st.markdown(f"**{escape_md(row.city)}** {escape_md(target_text(row))}")
            st.markdown("> " + escape_md(hanzi.shown(row.quote, row.notice_id)).replace("  \n", "  \n> "))
            st.caption(escape_md(f"{title} {row.clause}"))
            st.page_link(BROWSE_PAGE, label=f"查看条款原文 {escape_md(row.clause)}", icon=":material/description:",
                         query_params={"notice": row.notice_id, "clause": row.clause})
        traditional = [r for r in rows if hanzi.is_traditional(r.notice_id)]
        if traditional:
            with st.popover(hanzi.ORIGINAL_LABEL):
                for row in traditional:
                    st.markdown("> " + escape_md(row.quote).replace("  \n", "  \n> "))


def _cell(group: Group, city: str) -> tables.Cell:
    """Values of one city in one group, each followed by the notice's own wording where it differs."""
    rows = group.rows_of(city)
    if not rows:
        return tables.text_cell(NOT_SET, "muted")
    lines = []
    for row in rows:
        line = [tables.Span(target_text(row), "value")]
        if row.indicator and group.own_wording(row):
            line.append(tables.Span(row.indicator, "muted"))
        lines.append(line)
    return lines


def _bar_chart(rows: list[Target], unit: str) -> None:
    """Bars of the rows that share one unit, each with "city: value as written" above it.

    The label sits above its bar, not beside it, so that it has the chart's whole width
    and is never cut off on a phone or at 200 % zoom.
    """
    frame = pd.DataFrame({
        "行": list(range(len(rows))), "目标值": [r.number for r in rows],
        "标注": [f"{r.city}：{short_value(r)}" for r in rows], "目标": [target_text(r) for r in rows],
    }).sort_values("目标值", ascending=False)
    size = charts.font_size()
    base = alt.Chart(frame, title=alt.TitleParams(f"目标值（{unit or '无单位'}）", anchor="start")).encode(
        y=alt.Y("行:N", sort=None, axis=None),
        tooltip=["标注", "目标"],
    )
    bars = base.mark_bar(size=14, color=charts.GREEN, yOffset=size // 2 + 2).encode(
        x=alt.X("目标值:Q", axis=None, scale=alt.Scale(domain=[0, max(float(frame["目标值"].max()), 0.0) or 1.0])),
    )
    labels = base.mark_text(align="left", baseline="middle", fontSize=size, color=charts.TEXT,
                            yOffset=-(size // 2) - 2).encode(x=alt.datum(0), text="标注:N")
    described = charts.describe(f"目标值（{unit or '无单位'}）", dict(zip(frame["标注"], [""] * len(frame), strict=True)))
    st.altair_chart(charts.readable((bars + labels).properties(height=alt.Step(size * 2 + 22)), described),
                    width="stretch")


def _group_card(group: Group, data: TargetsData, n: int) -> None:
    with st.container(border=True, key=f"tg_group_{n}"):
        st.markdown(f"**{escape_md(group.name)}**")
        tables.responsive_table(["城市", "目标"], [[tables.text_cell(c), _cell(group, c)] for c in data.cities],
                                caption=f"{group.name}：各城市目标")
        unit, charted = chart_rows(group)
        if charted:
            _bar_chart(charted, unit)
            left_out = list(dict.fromkeys(r.city for r in group.rows if r not in charted))
            if left_out:
                st.caption(escape_md(f"图中只画单位为“{unit or '无单位'}”的目标；{'、'.join(left_out)}的目标单位不同，见上表。"))
        _quotes(group.rows, data)


def _summary(rows: list[Target], data: TargetsData) -> str:
    counts = {c: sum(r.city == c for r in rows) for c in data.cities}
    have = "、".join(f"{c} {n} 项" for c, n in counts.items() if n)
    missing = "、".join(c for c, n in counts.items() if not n)
    return f"共 {len(rows)} 项目标：{have}" + (f"；{missing}未提及。" if missing else "。")


# -- views ----------------------------------------------------------------


def theme_view(data: TargetsData) -> str:
    counts = {t: len({id(r) for g in data.groups if t in g.themes for r in g.rows}) for t in data.themes}
    theme = _picker("主题", data.themes, _THEME, lambda t: f"{t}（{counts[t]}项）")
    groups = [g for g in data.groups if theme in g.themes]
    rows = [r for g in groups for r in g.rows]
    _downloads(data, rows, "本主题", f"targets-theme-{data.themes.index(theme) + 1}.csv")
    st.caption(escape_md(_summary(rows, data)))
    for n, group in enumerate(g for g in groups if len(g.cities) > 1):
        _group_card(group, data, n)
    singles = [r for g in groups if len(g.cities) == 1 for r in g.rows]
    if singles:
        st.markdown("**只有一个城市定了数字的目标**")
        st.caption("其余城市的通知未就这些指标提出数字（未提及）。")
        tables.responsive_table(
            ["城市", "指标", "目标"],
            [[tables.text_cell(r.city), tables.text_cell(r.indicator or "（见原文）"), tables.text_cell(target_text(r), "value")]
             for r in singles],
            caption="只有一个城市定了数字的目标", labels=True)
        _quotes(singles, data)
    return theme


def city_view(data: TargetsData) -> str:
    city = _picker("城市", data.cities, _CITY)
    rows = [r for r in data.rows if r.city == city]
    ids = [m.id for m in data.notices.values() if m.city == city]
    _downloads(data, rows, "本市", f"targets-{re.sub(r'[^a-z0-9-]', '', ids[0].lower()) if ids else 'city'}.csv")
    titles = [m.title for m in data.notices.values() if m.city == city]
    if titles:
        st.caption(escape_md(f"《{titles[0]}》中的量化目标，共 {len(rows)} 项。"))
    if not rows:
        st.info("这份通知还没有经过核对的量化目标。")
    missing = []
    for theme in data.themes:
        in_theme = [r for r in rows if r.theme == theme]
        if not in_theme:
            missing.append(theme)
            continue
        st.subheader(escape_md(theme), divider="gray")
        tables.responsive_table(
            ["指标", "目标"],
            [[tables.text_cell(r.indicator or "（见原文）"), tables.text_cell(target_text(r), "value")] for r in in_theme],
            caption=f"{city}：{theme}的目标")
        _quotes(in_theme, data)
        st.page_link(TARGETS_PAGE, label="和其他城市比一比", icon=":material/compare_arrows:",
                     query_params={"view": "theme", "theme": theme})
    if missing and rows:
        st.caption(escape_md(f"以下主题本市通知未提出量化目标（未提及）：{'、'.join(missing)}。"))
    return city


def _downloads(data: TargetsData, rows: list[Target], what: str, file_name: str) -> None:
    """The whole table and what is shown, as CSV (formula-safe, with BOM); no rerun on click."""
    with st.container(horizontal=True, gap=None):
        st.download_button("下载全部目标（CSV）", to_csv(data.rows), file_name="targets.csv", mime="text/csv",
                           on_click="ignore", icon=":material/download:", type="tertiary", key="tg_csv_all")
        st.download_button(f"下载{what}目标（CSV）", to_csv(rows), file_name=file_name, mime="text/csv",
                           on_click="ignore", icon=":material/download:", type="tertiary", key="tg_csv_selection")


def render_targets() -> None:
    """The page below its title and introduction."""
    data = load_data()
    if not data.rows:
        st.info("各市目标正在逐条核对原文，核对完成后会显示在这里。")
        return
    for note in _apply_link(data):
        st.info(note, icon=":material/info:")
    view = st.radio("查看方式", list(VIEWS), key=_VIEW, format_func=VIEWS.get, horizontal=True,
                    label_visibility="collapsed")
    value = theme_view(data) if view == "theme" else city_view(data)
    _write_link(view, value)
