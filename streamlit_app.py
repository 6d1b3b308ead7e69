"""Router only: the app's pages and their order."""

import streamlit as st

from publishing.provider import install as install_published_notices

st.set_page_config(page_title="节能减排政策问答", page_icon=":material/eco:", layout="centered")

pages = {
    "政策问答": [
        st.Page("app_pages/home.py", title="首页", icon=":material/home:", default=True),
        st.Page("app_pages/ask.py", title="问问政策", icon=":material/forum:", url_path="ask"),
        st.Page("app_pages/targets.py", title="目标对比", icon=":material/leaderboard:", url_path="targets"),
        st.Page("app_pages/browse.py", title="通知原文", icon=":material/description:", url_path="browse"),
    ],
    "绿色承诺": [
        st.Page("app_pages/pledge_sign.py", title="签署承诺", icon=":material/edit_note:", url_path="pledge"),
        st.Page("app_pages/pledge_mine.py", title="我的承诺", icon=":material/task_alt:", url_path="my-pledge"),
        st.Page("app_pages/campaign.py", title="承诺活动", icon=":material/campaign:", url_path="campaign"),
        # Opened only from the links in reminder mails.
        st.Page("app_pages/reminders.py", title="打卡提醒邮件", icon=":material/mail:", url_path="reminders",
                visibility="hidden"),
    ],
    "家庭自查": [
        st.Page("app_pages/check_heating.py", title="清洁取暖自查", icon=":material/local_fire_department:", url_path="check-heating"),
        st.Page("app_pages/check_food.py", title="餐桌浪费自查", icon=":material/rice_bowl:", url_path="check-food"),
    ],
    "工作人员": [
        st.Page("app_pages/staff.py", title="承诺活动管理", icon=":material/lock:", url_path="staff"),
        st.Page("app_pages/staff_notices.py", title="通知管理", icon=":material/upload_file:", url_path="staff-notices"),
        st.Page("app_pages/staff_desk.py", title="问答队列", icon=":material/inbox:", url_path="staff-desk"),
        st.Page("app_pages/staff_teach.py", title="教问答", icon=":material/school:", url_path="staff-teach"),
        st.Page("app_pages/staff_overview.py", title="问答概览", icon=":material/monitoring:", url_path="staff-overview"),
    ],
}

install_published_notices()  # notices staff publish reach this process without a restart
st.navigation(pages, expanded=True).run()
