"""签署承诺: the short signing form; ?c=<slug>, ?items=a,b and ?city=定州 pre-fill it."""

import streamlit as st

from civic.settings import get_settings
from pledges import campaigns
from pledges.catalogue import load_catalogue
from pledges.images import certificate
from pledges.messages import PledgeError
from pledges.privacy import signing_notice
from pledges.signing import SignForm, SignRequest
from pledges.tunables import tunables
from webui import a11y
from webui import pledge_views as views
from webui.theme import elder_mode

params = st.query_params
slug = params.get("c") or tunables()["default_campaign"]["slug"]
catalogue = load_catalogue()

# The campaign as this visitor last saw it keeps the form, and what they typed, on screen
# while the database is unreachable; pressing 签署承诺 then reports the outage.
seen = st.session_state.setdefault("pledge_campaign_views", {})
try:
    with views.db_session() as session:
        if not params.get("c"):
            campaigns.get_or_create_default(session=session)
        campaign = seen[slug] = campaigns.signing_view(session=session, slug=slug)
except PledgeError as err:
    campaign = seen.get(slug) if err.code == "db_unavailable" else None
    if campaign is None:
        st.error(err.message, icon=":material/error:")
        st.stop()

st.title("签署绿色生活承诺")
st.caption(f"活动：{views.md_escape(campaign.title)}")

result = st.session_state.get("pledge_result")
if result and result["slug"] == campaign.slug:
    r = result["result"]
    with st.container(key="pledge-thanks"):
        st.success(f"感谢您的承诺！本活动已有 {r.count} 人签署。", icon=":material/eco:")
    my_link = views.link("my-pledge", t=r.token)
    views.private_link(my_link)
    st.caption("如果您此前已用同一联系方式或在同一浏览器中签署过本活动，本次不会重复计数，请以第一次获得的链接为准。")
    st.subheader("打卡提醒")
    if r.reminder_requested:
        if result.get("mail_sent", True):
            st.info("我们已向您填写的邮箱发送一封确认邮件。请打开邮件中的链接确认，确认后才会发送打卡提醒；"
                    "每封邮件都可以一键退订。", icon=":material/mail:")
        else:
            st.info("确认邮件暂时没有发出，系统会稍后自动重发。请留意您的邮箱。", icon=":material/mail:")
    views.calendar_button(link=my_link, campaign_title=r.campaign_title, item_titles=r.item_titles,
                          ends_on=r.campaign_ends_on, ref=r.ref)
    cert = certificate(campaign_title=r.campaign_title, name=r.display_name, items=r.item_titles,
                       signed_on=r.signed_on, ref=r.ref)
    if not cert.has_chinese_font:
        st.warning("服务器缺少中文字体，证书上的中文可能无法正常显示。")
    st.image(cert.png, caption="您的承诺证书", alt=views.certificate_alt(r))
    st.download_button("下载承诺证书（PNG）", cert.png, file_name="绿色生活承诺证书.png", mime="image/png")
    if st.button("查看活动进展", icon=":material/campaign:"):
        st.switch_page("app_pages/campaign.py", query_params={"c": campaign.slug})
    if st.session_state.pop("pledge_just_signed", False):
        a11y.focus("pledge-thanks")
        a11y.announce(f"签署成功。感谢您的承诺！本活动已有 {r.count} 人签署。下面是您的私人链接，请复制保存。")
    st.stop()

try:
    campaigns.ensure_open(campaign)
except PledgeError as closed:
    st.warning(closed.message, icon=":material/schedule:")
    st.stop()

cities = [campaign.city] if campaign.city else catalogue.cities
wanted_city = params.get("city")
default_city = cities.index(wanted_city) if wanted_city in cities else (0 if len(cities) == 1 else None)
city = st.selectbox("您所在的城市", cities, index=default_city, placeholder="请选择城市")
wanted_items = {i for i in (params.get("items") or "").split(",") if i}

views.submission_key(campaign.slug)  # made when the form is shown; a retry sends the same key
with st.form("pledge_sign", border=False, enter_to_submit=False):
    district = st.selectbox("区县", catalogue.districts.get(city, ()), index=None,
                            placeholder="请先选择城市" if not city else "请选择区县")
    st.markdown("**我承诺做到**（可多选）")
    if preselected := len(wanted_items & set(campaign.item_titles)):
        st.caption(f"已按您打开的链接预先勾选 {preselected} 项，可按自己的情况增减。")
    chosen = []
    for item_id, title in campaign.item_titles.items():
        item = catalogue.items[item_id]
        if st.checkbox(title, value=item_id in wanted_items, key=f"item_{item_id}", help=item.description):
            chosen.append(item_id)
    name = st.text_input("显示名称（选填，留空即匿名）", max_chars=tunables()["limits"]["display_name_max"])
    email_reminders = get_settings().email_reminders_enabled
    contact = st.text_input("手机号或邮箱（选填）", help="只用于防止重复签署，只保存加密后的值。"
                            + ("勾选下面的邮件提醒时，邮箱也用于发送提醒。" if email_reminders else ""))
    reminders = email_reminders and st.checkbox("通过邮件接收打卡提醒（需填写邮箱，确认后才发送，可随时一键退订）")
    if not email_reminders:
        st.caption("签署后可以把打卡提醒加到手机日历，不需要留下联系方式。")
    st.info(signing_notice(email_reminders=email_reminders))
    consent = st.checkbox("我已阅读并同意上述个人信息说明")
    submitted = st.form_submit_button("签署承诺", type="primary")

if submitted:
    form = SignForm(city=city, district=district, item_ids=tuple(chosen), consent=consent,
                    display_name=name, contact=contact, reminders=reminders)
    key = views.submission_key(campaign.slug)
    signed = views.sign(SignRequest(
        campaign_slug=campaign.slug, form=form, browser_token=views.browser_token(),
        session_key=views.session_key(), address=views.client_address(),
        submission_key=key, resent=views.sent_before(key),
    ))
    if signed is not None:
        views.forget_submission_key(campaign.slug)  # the next form shown is a new submission
        mail_sent = views.send_confirmation_mail(signed.reminder_id) if signed.reminder_id else True
        st.session_state.pledge_result = {"slug": campaign.slug, "result": signed, "mail_sent": mail_sent}
        st.session_state.pledge_just_signed = True
        st.rerun()

if not elder_mode():  # the 长辈版 keeps to the form (each item's ? still explains it)
    with st.expander("每项承诺的说明、小贴士和政策依据"):
        for item_id in campaign.item_titles:
            st.markdown(f"#### {catalogue.items[item_id].title}")
            views.item_details(catalogue.items[item_id])
