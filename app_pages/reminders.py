"""打卡提醒邮件: the confirmation (?confirm=…) and one-click unsubscribe (?unsubscribe=…) links of reminder mails."""

import streamlit as st

from pledges import reminders
from pledges.tunables import tunables, utcnow
from webui import pledge_views as views

st.title("打卡提醒邮件")
params = st.query_params

if token := params.get("unsubscribe"):
    deleted = views.call(lambda s: reminders.unsubscribe(session=s, token=token))
    if deleted is not None:
        st.success("已退订。您的邮箱已从系统中删除，不会再收到任何提醒邮件。" if deleted
                   else "这个邮箱已不在系统中（此前已退订或已自动删除），不会再收到提醒邮件。",
                   icon=":material/unsubscribe:")
        st.write("您的承诺和打卡记录不受影响；仍可以用私人链接打卡，或把提醒加到手机日历。")
elif token := params.get("confirm"):
    title = views.call(lambda s: reminders.confirm(session=s, token=token, now=utcnow()))
    if title is not None:
        st.success(f"已确认。我们会按时给您发送“{views.md_escape(title)}”的打卡提醒。", icon=":material/mark_email_read:")
        conf = tunables()["reminders"]
        st.write(f"提醒从确认后的第 {conf['email_first_after_days']} 天晚上 {conf['email_hour']} 点起发出，"
                 f"之后每 {conf['email_every_days']} 天一封。每封提醒邮件都附有退订链接，点一下即可退订，您的邮箱会随之删除。")
else:
    st.write("这里处理打卡提醒邮件中的确认链接和退订链接。请直接打开邮件中的链接。")
