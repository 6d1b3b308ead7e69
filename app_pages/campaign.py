"""承诺活动: the public page of one campaign (?c=<slug>), or the list of campaigns."""

import streamlit as st

from pledges import campaigns, stats
from pledges.images import cover, poster, qr_png
from pledges.messages import PledgeError
from pledges.validation import sanitise_markdown
from webui import a11y
from webui import pledge_views as views

slug = st.query_params.get("c")

if not slug:
    st.title("绿色生活承诺活动")
    views.call(lambda s: campaigns.get_or_create_default(session=s))
    listed = views.call(lambda s: [(c.slug, c.title, c.city, campaigns.status(c))
                                   for c in campaigns.list_campaigns(session=s)]) or []
    labels = {"open": "进行中", "not_started": "未开始", "ended": "已结束"}
    for c_slug, title, city, state in listed:
        if st.button(f"{views.md_escape(title)}（{city or '全部城市'} · {labels[state]}）", key=f"open_{c_slug}"):
            st.query_params["c"] = c_slug
            st.rerun()
    st.stop()


def load(session):
    campaign = campaigns.get_campaign(session=session, slug=slug)
    return campaign, stats.campaign_stats(session=session, campaign=campaign)


loaded = views.call(load)
if loaded is None:
    st.stop()
campaign, numbers = loaded



# Drawing the cover and the A4 poster took most of this page's time; they depend only on their arguments.
@st.cache_data(max_entries=128, show_spinner=False)
def _cover(title: str, colour: str, subtitle: str) -> bytes:
    return cover(title=title, colour=colour, subtitle=subtitle)


@st.cache_data(max_entries=128, show_spinner=False)
def _poster(title: str, city: str | None, url: str, colour: str):
    return poster(title=title, city=city, url=url, colour=colour, intro_line="选几件力所能及的小事，从今天做起。")


@st.cache_data(max_entries=128, show_spinner=False)
def _qr(url: str) -> bytes:
    return qr_png(url)


dates = " 至 ".join(d.isoformat() for d in (campaign.starts_on, campaign.ends_on) if d)
subtitle = f"{campaign.city or '五市'}居民绿色生活承诺" + (f" · {dates}" if dates else "")
st.image(_cover(campaign.title, campaign.colour, subtitle), alt=f"活动封面：{campaign.title}，{subtitle}")
try:
    campaigns.ensure_open(campaign)
    if st.button("立即签署承诺", type="primary", icon=":material/edit_note:"):
        st.switch_page("app_pages/pledge_sign.py", query_params={"c": campaign.slug})
except PledgeError as closed:
    st.warning(closed.message, icon=":material/schedule:")

if campaign.intro:
    st.markdown(sanitise_markdown(campaign.intro))  # sanitised on save and again here (idempotent); no HTML

views.stats_block(numbers)
views.recent_block(numbers)

st.subheader("分享本活动")
share = views.link("campaign", c=campaign.slug)
left, right = st.columns([2, 1])
with left:
    a11y.copy_box(share, element_id="civic-share-link", button="复制活动链接", copied="已复制活动链接。",
                  failed="无法自动复制，请长按上面的链接手动复制。")
    sheet = _poster(campaign.title, campaign.city, share, campaign.colour)
    if not sheet.has_chinese_font:
        st.warning("服务器缺少中文字体，海报上的中文可能无法正常显示。")
    st.download_button("下载 A4 海报（PNG）", sheet.png, file_name=f"{campaign.slug}-海报.png", mime="image/png")
    st.download_button("下载 A4 海报（PDF）", sheet.pdf, file_name=f"{campaign.slug}-海报.pdf",
                       mime="application/pdf")
with right:
    st.image(_qr(share), caption="扫码参与", width=180, alt="参与本活动的二维码")
