"""Staff-only Streamlit blocks: the campaign form and the dashboard."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from pledges import campaigns
from pledges.catalogue import load_catalogue
from pledges.models import Campaign
from pledges.stats import CampaignStats
from webui import charts


def campaign_form(existing: Campaign | None, *, locked: bool) -> campaigns.CampaignInput | None:
    """The create/edit form; returns the input when submitted."""
    catalogue = load_catalogue()
    key = existing.slug if existing else "new"
    cities = ["全部城市", *catalogue.cities]
    with st.form(f"campaign_{key}", enter_to_submit=False):
        slug = st.text_input("网址标识（小写字母、数字、短横线）", value=existing.slug if existing else "",
                             help="公开页面地址为 /campaign?c=网址标识")
        title = st.text_input("活动标题", value=existing.title if existing else "")
        city = st.selectbox("面向城市", cities,
                            index=cities.index(existing.city) if existing and existing.city else 0)
        col1, col2, col3 = st.columns(3)
        starts_on = col1.date_input("开始日期（可留空）", value=existing.starts_on if existing else None,
                                    format="YYYY-MM-DD")
        ends_on = col2.date_input("结束日期（可留空）", value=existing.ends_on if existing else None,
                                  format="YYYY-MM-DD")
        goal = col3.number_input("目标人数", min_value=1, step=100, value=existing.goal if existing else 1000)
        item_ids = st.multiselect(
            "承诺条目", list(catalogue.items), default=[ci.item_id for ci in existing.items] if existing else [],
            format_func=lambda i: catalogue.items[i].title, disabled=locked, placeholder="选择本活动的承诺条目",
            help="已有签名后，条目和措辞将锁定。" if not locked else "本活动已有签名，条目和措辞已锁定。",
        )
        intro = st.text_area("活动介绍（支持加粗、标题、列表和网页链接；不支持网页代码、图片和公式）",
                             value=existing.intro if existing else "",
                             height=120)
        colour = st.color_picker("封面颜色", value=existing.colour if existing else "#2e7d32")
        if not st.form_submit_button("保存活动", type="primary"):
            return None
    if locked and existing:
        item_ids = [ci.item_id for ci in existing.items]
    return campaigns.CampaignInput(
        slug=slug, title=title, city=None if city == "全部城市" else city, starts_on=starts_on,
        ends_on=ends_on, goal=int(goal), item_ids=tuple(item_ids), intro=intro, colour=colour,
    )


def dashboard(numbers: CampaignStats) -> None:
    a, b, c = st.columns(3)
    a.metric("签署人数", numbers.count)
    b.metric("目标", numbers.goal)
    c.metric("完成度", f"{numbers.progress:.0%}")
    if not numbers.count:
        st.info("暂无签名。")
        return
    st.markdown("**每日签署人数**")
    by_day = pd.DataFrame({"日期": [d.isoformat() for d in numbers.by_day], "人数": list(numbers.by_day.values())})
    bars = alt.Chart(by_day).mark_bar(color=charts.GREEN).encode(
        x=alt.X("日期:N", title=None), y=alt.Y("人数:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=["日期", "人数"],
    )
    st.altair_chart(charts.readable(bars.properties(height=240), charts.describe("每日签署人数", numbers.by_day, "人")),
                    width="stretch")
    left, right = st.columns(2)
    left.markdown("**按区县**")
    left.dataframe(pd.DataFrame({"区县": list(numbers.by_district), "人数": list(numbers.by_district.values())}),
                   hide_index=True)
    right.markdown("**按承诺条目**")
    right.dataframe(pd.DataFrame({"承诺": list(numbers.by_item), "人数": list(numbers.by_item.values())}),
                    hide_index=True)
