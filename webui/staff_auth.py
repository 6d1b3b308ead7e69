"""The staff login gate shared by staff pages (accounts from ``python -m pledges.admin``)."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from pledges import accounts
from pledges.messages import PledgeError
from webui import pledge_views as views


def require_staff() -> str:
    """The logged-in staff member's name; otherwise shows the login form and stops the page."""
    token = st.session_state.get("staff_token")
    if token:
        try:
            with views.db_session() as s:
                user = accounts.current_user(session=s, token=token)
        except PledgeError as err:
            st.session_state.pop("staff_token", None)
            st.warning(err.message)
        else:
            _staff_bar(user, token)
            return user
    with st.form("staff_login"):
        username = st.text_input("用户名")
        password = st.text_input("密码", type="password")
        if st.form_submit_button("登录", type="primary"):
            login = views.call(lambda s: accounts.login(session=s, username=username, password=password,
                                                        address=views.client_address()))
            if login:
                st.session_state.staff_token = login.token
                st.rerun()
    st.caption("账户由管理员在服务器上创建：`python -m pledges.admin create-user 用户名`")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


# The staff pages, linked from one another (they are not in the residents' menu).
# (A reload would sign out: the login lives in the session.)
STAFF_PAGES = (
    ("app_pages/staff.py", "承诺活动", ":material/campaign:"),
    ("app_pages/staff_notices.py", "通知管理", ":material/upload_file:"),
    ("app_pages/staff_desk.py", "问答队列", ":material/inbox:"),
    ("app_pages/staff_teach.py", "教问答", ":material/school:"),
    ("app_pages/staff_overview.py", "问答概览", ":material/monitoring:"),
)


def _staff_bar(user: str, token: str) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        for path, label, icon in STAFF_PAGES:
            try:
                st.page_link(path, label=label, icon=icon)
            except StreamlitAPIException:
                break  # a page run on its own, outside the app's navigation (AppTest): no links
    with st.container(horizontal=True, vertical_alignment="center"):
        st.write(f"已登录：{views.md_escape(user)}")
        if st.button("退出登录", type="tertiary", icon=":material/logout:"):
            views.call(lambda s: accounts.logout(session=s, token=token))
            st.session_state.pop("staff_token", None)
            st.rerun()
