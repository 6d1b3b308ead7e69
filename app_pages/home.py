"""Landing page: what the app does and where to go."""

import streamlit as st

from webui import qa

st.title("节能减排，和我有什么关系？")
st.markdown(
    f"{qa.cities_text()}印发了节约型社会和“十四五”节能减排方案。"
    "这里帮您弄清这些通知对自己意味着什么，并一起行动起来。"
)

col1, col_targets, col2, col3 = (*st.columns(2), *st.columns(2))  # two rows: four headings do not fit one
with col1:
    st.subheader(":material/forum: 问问政策")
    st.caption("用自己的话提问，回答摘录通知原文并注明条款。")
    st.page_link("app_pages/ask.py", label="去提问", icon=":material/arrow_forward:")
with col_targets:
    st.subheader(":material/leaderboard: 目标对比")
    st.caption("各市通知的量化目标摆在一起比，每个数字附原文。")
    st.page_link("app_pages/targets.py", label="去对比", icon=":material/arrow_forward:")
with col2:
    st.subheader(":material/edit_note: 绿色承诺")
    st.caption("一分钟签署绿色生活承诺，之后打卡坚持。")
    st.page_link("app_pages/pledge_sign.py", label="去签署", icon=":material/arrow_forward:")
with col3:
    st.subheader(":material/home: 家庭自查")
    st.caption("清洁取暖、餐桌浪费自查，看看本市通知怎么说。")
    st.page_link("app_pages/check_heating.py", label="取暖自查", icon=":material/arrow_forward:")
    st.page_link("app_pages/check_food.py", label="餐桌自查", icon=":material/arrow_forward:")

st.divider()
st.caption("本站内容摘自各市人民政府公开发布的通知原文，仅供参考，具体执行以当地政府部门解释为准。")
