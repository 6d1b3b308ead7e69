"""我的承诺: check in, see streaks and this month, or withdraw — with the private link ?t=<token>."""

import streamlit as st

from pledges.checkins import check_in, load_my_pledge, withdraw
from webui import a11y
from webui import pledge_views as views

st.title("我的承诺")

token = st.query_params.get("t", "")
if not token:
    st.write("请打开签署后获得的私人链接，或把链接粘贴到下面。")
    pasted = st.text_input("私人链接")
    if pasted:
        token = pasted.rsplit("t=", 1)[-1].strip()
        st.query_params["t"] = token
    else:
        st.stop()

if st.session_state.pop("pledge_withdrawn", False):
    with st.container(key="pledge-withdrawn"):
        st.success("您的承诺已撤回，相关个人信息已全部删除。感谢您曾经的参与！")
    a11y.focus("pledge-withdrawn")
    st.stop()

mine = views.call(lambda s: load_my_pledge(session=s, token=token))
if mine is None:
    st.stop()

st.caption(f"活动：{views.md_escape(mine.campaign_title)} · {mine.city}{mine.district} · "
           f"{mine.signed_on:%Y年%m月%d日}签署 · 编号 {mine.ref}")
with st.container(key="pledge-streak"):
    a, b, c = st.columns(3)
    a.metric("连续打卡", f"{mine.streak} 天")
    b.metric("本月打卡", f"{mine.month_days} 天")
    c.metric("最长连续", f"{mine.longest_streak} 天")
added = st.session_state.pop("pledge_checked_in", None)
if added is not None:
    a11y.announce(f"已打卡 {added} 项，连续打卡 {mine.streak} 天。")
    a11y.focus("pledge-streak")

st.subheader("今日打卡")
with st.form("checkin", border=False, enter_to_submit=False):
    chosen = []
    for item_id, title in mine.items:
        done = item_id in mine.checked_today
        # A done item gets its own key: under the old one the box kept its earlier, unticked state.
        if st.checkbox(title + ("（今天已打卡）" if done else ""), value=done, disabled=done,
                       key=f"ci_{item_id}_done" if done else f"ci_{item_id}"):
            chosen.append(item_id)
    if st.form_submit_button("打卡", type="primary"):
        new = [i for i in chosen if i not in mine.checked_today]
        added = views.call(lambda s: check_in(session=s, token=token, item_ids=new))
        if added is not None:
            st.toast(f"已打卡 {added} 项，继续加油！", icon=":material/task_alt:")
            st.session_state.pledge_checked_in = added
            st.rerun()

if mine.month_by_item:
    st.subheader("本月小结")
    titles = dict(mine.items)
    views.count_bars({titles.get(i, i): days for i, days in mine.month_by_item.items()}, unit="打卡天数")
    st.caption(f"本月共打卡 {sum(mine.month_by_item.values())} 次，累计 {mine.total_checkins} 次。")

st.subheader("打卡提醒")
titles = dict(mine.items)
views.calendar_button(link=views.link("my-pledge", t=token), campaign_title=mine.campaign_title,
                      item_titles=list(titles.values()), ends_on=mine.campaign_ends_on, ref=mine.ref)

with st.expander("撤回承诺"):
    st.write("撤回后，您的签名、所选承诺和全部打卡记录都会被永久删除，活动人数相应减少，此链接随之失效。")
    sure = st.checkbox("我确认撤回并删除我的个人信息")
    if st.button("撤回承诺", disabled=not sure):
        done = views.call(lambda s: withdraw(session=s, token=token) or True)
        if done:
            st.session_state.pledge_withdrawn = True
            st.rerun()
