"""Targets at a glance: the notices' own figures side by side, by theme or by city."""

import streamlit as st

from webui.targets_views import render_targets

st.title("目标对比")
st.markdown(
    "各城市的通知里写了不少具体目标，比如“到2025年新能源汽车新车销售量占比达到25%左右”。"
    "这里把这些数字摆在一起：可以按主题比较各市，也可以查看一个城市的全部目标。"
    "每个数字都摘自通知原文，点开“原文与条款”能看到原句和所在条款。"
)
st.caption(
    "“未提及”表示该市通知没有为这一项定出数字，不代表该市没有相关工作。"
    "各市的统计口径、基准年和目标年份可能不同，比较时请以原文为准。"
)
render_targets()
