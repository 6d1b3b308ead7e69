"""工作人员: login, campaigns (create/edit/delete), dashboard, CSV export, moderation."""

import pandas as pd
import streamlit as st

from pledges import campaigns, stats
from pledges.export import signatures_csv
from pledges.tunables import to_local
from webui import pledge_staff_views as staff_views
from webui import pledge_views as views
from webui.selfcheck_views import aggregates as selfcheck_aggregates
from webui.staff_auth import require_staff

st.title("活动工作人员")

user = require_staff()

listing = views.call(lambda s: [(c.id, c.slug, c.title) for c in campaigns.list_campaigns(session=s)]) or []
NEW = "＋ 新建活动"
options = [NEW, *(slug for _, slug, _ in listing)]
titles = {slug: f"{title}（{slug}）" for _, slug, title in listing}  # selectbox options are plain text
if "staff_campaign_next" in st.session_state:  # set after a save, before the widget exists
    st.session_state.staff_campaign = st.session_state.pop("staff_campaign_next")
if st.session_state.get("staff_campaign") not in options:
    st.session_state.staff_campaign = options[1] if listing else NEW
if flash := st.session_state.pop("staff_flash", None):
    st.success(flash)
chosen = st.selectbox("活动", options, key="staff_campaign", format_func=lambda o: titles.get(o, o))

if chosen == NEW:
    st.subheader("新建活动")
    data = staff_views.campaign_form(None, locked=False)
    created = data and views.call(lambda s: campaigns.create_campaign(session=s, data=data).slug)
    if created:
        st.session_state.staff_campaign_next = created
        st.session_state.staff_flash = "活动已创建。"
        st.rerun()
    st.stop()


def load(session):
    campaign = campaigns.get_campaign(session=session, slug=chosen)
    return (campaign, stats.campaign_stats(session=session, campaign=campaign),
            stats.signature_rows(session=session, campaign=campaign))


loaded = views.call(load)
if loaded is None:
    st.stop()
campaign, numbers, rows = loaded
st.link_button("打开公开页面", views.link("campaign", c=campaign.slug), icon=":material/campaign:")

board, edit, signatures, surveys = st.tabs(["数据看板", "编辑活动", "签名管理", "家庭自查汇总"])
with board:
    staff_views.dashboard(numbers)
    st.download_button("导出 CSV", signatures_csv(rows), file_name=f"{campaign.slug}-签名.csv", mime="text/csv")
with edit:
    data = staff_views.campaign_form(campaign, locked=numbers.count > 0)
    saved = data and views.call(
        lambda s: campaigns.update_campaign(session=s, campaign_id=campaign.id, data=data).slug
    )
    if saved:
        st.session_state.staff_campaign_next = saved
        st.session_state.staff_flash = "已保存。"
        st.rerun()
    with st.expander("删除活动"):
        sure = st.checkbox("我确认删除本活动及其全部签名")
        if st.button("删除活动", disabled=not sure) and views.call(
            lambda s: campaigns.delete_campaign(session=s, campaign_id=campaign.id) or True
        ):
            st.rerun()
with signatures:
    st.dataframe(pd.DataFrame(
        [(r.ref, f"{to_local(r.created_at):%Y-%m-%d %H:%M}", r.district, r.display_name or "（匿名）",
          "已隐藏" if r.name_hidden else "", r.checkins) for r in rows[:200]],
        columns=["编号", "时间", "区县", "显示名称", "审核", "打卡"],
    ), hide_index=True)
    ref = st.text_input("签名编号（见证书右下角）")
    c1, c2, c3 = st.columns(3)
    if c1.button("隐藏名称") and views.call(
        lambda s: stats.set_name_hidden(session=s, campaign_id=campaign.id, ref=ref) or True
    ):
        st.rerun()
    if c2.button("恢复名称") and views.call(
        lambda s: stats.set_name_hidden(session=s, campaign_id=campaign.id, ref=ref, hidden=False) or True
    ):
        st.rerun()
    if c3.button("应本人要求删除签名", type="secondary") and views.call(
        lambda s: stats.delete_signature(session=s, campaign_id=campaign.id, ref=ref) or True
    ):
        st.session_state.staff_flash = "签名已删除。"
        st.rerun()
with surveys:
    st.caption("居民自查的匿名汇总：只按城市和区县统计，每组至少 10 份才显示，不含任何个人答卷。")
    for topic, label in (("heating", "清洁取暖自查"), ("food", "餐桌浪费自查")):
        st.markdown(f"**{label}**")
        selfcheck_aggregates(topic)
