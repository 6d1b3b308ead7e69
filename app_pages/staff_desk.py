"""问答队列 (staff): what residents asked that went unanswered or was marked 没用, grouped; mark reviewed."""

import streamlit as st

from desk.review import mark_reviewed, queue
from desk.tunables import tunables
from retrieval.corpus import load_corpus
from webui import desk_services as desk
from webui import desk_views as views
from webui.staff_auth import require_staff

st.title("问答队列")
user = require_staff()
st.caption("居民的提问（个人信息已遮盖），同一问题的不同问法合为一行。可到“教问答”把问题关联到能回答它的通知原文。")

if flash := st.session_state.pop("desk_flash", None):
    st.success(flash)
chosen = views.queue_filter(load_corpus().cities)
groups = desk.call(lambda s: queue(session=s, filter=chosen))
if groups is None:
    st.stop()
shown = tunables()["review"]["groups_shown"]
total = sum(g.count for g in groups)
st.markdown(f"**{total}** 条提问，合为 **{len(groups)}** 组" + (f"（显示提问最多的 {shown} 组）" if len(groups) > shown else ""))
if not groups:
    st.info("没有符合条件的提问。")

for g in groups[:shown]:
    with st.container(border=True):
        views.group_line(g)
        with st.expander(f"查看这 {g.count} 条提问"):
            views.group_rows(g)
        left, right = st.columns(2)
        with left:
            st.page_link("app_pages/staff_teach.py", label="去教一教", icon=":material/school:",
                         query_params={"q": str(g.example.id)})
        reviewed = g.rows[0].reviewed_at is not None
        label = "改回未审阅" if reviewed else "标记已审阅"
        if right.button(label, key=f"review-{g.rows[0].id}", icon=":material/done_all:") and desk.call(
            lambda s, g=g, reviewed=reviewed: mark_reviewed(session=s, ids=g.ids, by=user, reviewed=not reviewed)
        ) is not None:
            st.session_state.desk_flash = f"{g.count} 条提问已{'改回未审阅' if reviewed else '标记为已审阅'}。"
            st.rerun()
