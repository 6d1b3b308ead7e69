"""Router only: the app's pages, the residents' menu, and the frame every page shares."""

import streamlit as st

from publishing.provider import install as install_published_notices
from webui.theme import page_frame

st.set_page_config(page_title="节能减排政策问答", page_icon=":material/eco:", layout="centered")


def page(path: str, title: str, icon: str, url_path: str | None = None, **kw) -> st.Page:
    return st.Page(f"app_pages/{path}.py", title=title, icon=icon, url_path=url_path, **kw)


home = page("home", "首页", ":material/home:", default=True)
ask = page("ask", "问问政策", ":material/forum:", "ask")
targets = page("targets", "目标对比", ":material/leaderboard:", "targets")
browse = page("browse", "通知原文", ":material/description:", "browse")
sign = page("pledge_sign", "签署承诺", ":material/edit_note:", "pledge")
mine = page("pledge_mine", "我的承诺", ":material/task_alt:", "my-pledge")
campaign = page("campaign", "承诺活动", ":material/campaign:", "campaign")
heating = page("check_heating", "清洁取暖自查", ":material/local_fire_department:", "check-heating")
food = page("check_food", "餐桌浪费自查", ":material/rice_bowl:", "check-food")
# Staff pages: reachable at their addresses, not in the residents' menu.
staff = page("staff", "工作人员", ":material/lock:", "staff")
staff_notices = page("staff_notices", "通知管理", ":material/upload_file:", "staff-notices")
staff_desk = page("staff_desk", "问答队列", ":material/inbox:", "staff-desk")
staff_teach = page("staff_teach", "教问答", ":material/school:", "staff-teach")
staff_overview = page("staff_overview", "问答概览", ":material/monitoring:", "staff-overview")
reminders = page("reminders", "打卡提醒邮件", ":material/mail:", "reminders")  # opened only from reminder mails

MENU = {
    "政策问答": [home, ask, targets, browse],
    "绿色承诺": [sign, mine, campaign],
    "家庭自查": [heating, food],
}

install_published_notices()  # notices staff publish reach this process without a restart
current = st.navigation([p for group in MENU.values() for p in group] + [staff, staff_notices, staff_desk, staff_teach, staff_overview, reminders],
                       position="hidden")
page_frame(current, MENU)
current.run()
