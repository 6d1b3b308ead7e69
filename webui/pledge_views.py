"""Streamlit helpers shared by the pledge pages: engine, sessions, errors, common blocks.

The only pledge module that imports streamlit besides the pages themselves.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from civic.db import DatabaseUnavailable, get_engine, session_scope
from civic.settings import get_settings
from pledges import mail
from pledges.calendar import reminder_calendar
from pledges.catalogue import Item, load_catalogue
from pledges.group_commit import committer_for
from pledges.identity import new_submission_key
from pledges.images import qr_png
from pledges.messages import PledgeError, unavailable_as_pledge_error
from pledges.remind import send_confirmation
from pledges.signing import SignRequest, SignResult
from pledges.stats import CampaignStats
from pledges.tunables import tunables, utcnow
from webui import a11y, charts, hanzi, tables
from webui.theme import elder_mode

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return get_engine(url)


@contextmanager
def db_session() -> Iterator[Session]:
    """One transaction; an unreachable database raises PledgeError('db_unavailable')."""
    with unavailable_as_pledge_error(), session_scope(_engine(get_settings().sqlalchemy_url)) as session:
        yield session


def call(fn: Callable[[Session], T]) -> T | None:
    """Run one storage call in its own transaction; show a PledgeError and return None."""
    try:
        with db_session() as session:
            return fn(session)
    except PledgeError as err:
        st.error(err.message, icon=":material/error:")
        return None


def sign(request: SignRequest) -> SignResult | None:
    """Sign through this process's group committer; show a PledgeError and return None."""
    try:
        with unavailable_as_pledge_error():
            engine = _engine(get_settings().sqlalchemy_url)
        return committer_for(engine).sign(request)
    except PledgeError as err:
        st.error(err.message, icon=":material/error:")
        return None
    except Exception:  # noqa: BLE001 - the batch failed for a reason the resident cannot fix
        logging.getLogger(__name__).exception("group commit failed")
        st.error(PledgeError("unexpected").message, icon=":material/error:")
        return None


def submission_key(slug: str) -> str:
    """The idempotency key of the form on screen: made when it is first shown, kept until it signs.

    Pressing 签署承诺 again after a timeout or an unknown outcome sends the same key,
    so the retry returns what was stored instead of signing twice.
    """
    keys = st.session_state.setdefault("pledge_submission_keys", {})
    return keys.setdefault(slug, new_submission_key())


def forget_submission_key(slug: str) -> None:
    st.session_state.get("pledge_submission_keys", {}).pop(slug, None)


def sent_before(key: str) -> bool:
    """Whether this submission was sent already (then the request is a retry); records it as sent."""
    sent = st.session_state.setdefault("pledge_sent_keys", set())
    before = key in sent
    sent.add(key)
    return before


def send_confirmation_mail(reminder_id: int | None) -> bool:
    """Send the double opt-in mail now; on failure ``python -m pledges.remind`` sends it later."""
    channel = mail.channel_from_settings()
    if reminder_id is None or channel is None:
        return False
    try:
        with unavailable_as_pledge_error():
            engine = _engine(get_settings().sqlalchemy_url)
        return send_confirmation(engine=engine, channel=channel, reminder_id=reminder_id, now=utcnow())
    except (mail.SendFailed, PledgeError, DatabaseUnavailable):
        logging.getLogger(__name__).warning("confirmation mail not sent now; the scheduled command retries it")
        return False


def calendar_button(*, link: str, campaign_title: str, item_titles: list[str], ends_on, ref: str) -> None:
    """“加到手机日历”: the check-in reminders as an .ics file, no contact needed."""
    data = reminder_calendar(link=link, campaign_title=campaign_title, item_titles=item_titles, ends_on=ends_on,
                             uid_seed=ref)
    st.download_button("加到手机日历", data, file_name="绿色承诺打卡提醒.ics", mime="text/calendar",
                       icon=":material/event:", type="secondary", width="stretch", on_click="ignore")
    every = "每天" if str(tunables()["reminders"]["calendar_rule"]).upper() == "DAILY" else "每周"
    st.caption(f"下载后用手机打开这个文件，即可把{every}的打卡提醒加到日历里；"
               "提醒中带有您的私人链接，不需要留下任何联系方式。")


def browser_token() -> str:
    """Identifies this browser session when no contact is given (UI state only)."""
    if "pledge_browser_token" not in st.session_state:
        st.session_state.pledge_browser_token = secrets.token_urlsafe(24)
    return st.session_state.pledge_browser_token


def session_key() -> str:
    if "pledge_session_key" not in st.session_state:
        st.session_state.pledge_session_key = secrets.token_hex(16)
    return st.session_state.pledge_session_key


def client_address() -> str | None:
    try:
        return st.context.ip_address
    except Exception:  # noqa: BLE001 - not available in every runtime (tests)
        return None


def base_url() -> str:
    """Scheme and host the visitor used, for share links and QR codes."""
    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001
        url = ""
    parts = urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    host = st.context.headers.get("Host") if st.context.headers else None
    return f"http://{host}" if host else "http://127.0.0.1:8501"


_MD_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!<>|~$:"})  # ":" too: ":red" is a directive


def md_escape(text: str) -> str:
    """Text shown through a markdown-rendering widget exactly as typed."""
    return (text or "").translate(_MD_SPECIAL)


def link(path: str, **params: str) -> str:
    return f"{base_url()}/{path}" + (f"?{urlencode(params)}" if params else "")


PRIVATE_LINK_LINE = ("这个链接是您回来打卡、查看连续天数或撤回承诺的唯一途径：网站只保存它的加密摘要，丢失后无法找回或补发。"
                     "请复制保存，或用手机扫描二维码收藏；不要分享给别人。")


@st.cache_data(max_entries=256, show_spinner=False)
def _qr(url: str) -> bytes:
    return qr_png(url)


def private_link(url: str) -> None:
    """The private link after signing: a plain line, the link in full, a large copy button, a QR code."""
    st.subheader("您的私人链接")
    st.markdown(f"**{PRIVATE_LINK_LINE}**")
    a11y.copy_box(url, element_id="civic-private-link", button="复制私人链接",
                  copied="已复制私人链接，请粘贴到备忘录或发给自己保存。",
                  failed="无法自动复制，请长按上面的链接手动复制。")
    st.image(_qr(url), caption="用手机扫码打开您的私人链接", width=200, alt="打开您私人链接的二维码")


def certificate_alt(result: SignResult) -> str:
    """The certificate's text for screen readers: what the picture says."""
    who = result.display_name or "匿名"
    items = "、".join(result.item_titles)
    day = f"{result.signed_on:%Y年%m月%d日}" if result.signed_on else ""
    return f"绿色生活承诺证书：{who}承诺{items}。活动：{result.campaign_title}。{day}签署，编号 {result.ref}。"


def item_details(item: Item) -> None:
    """Description, tips, the honest saving (or why there is none) and the cited clauses."""
    st.write(item.description)
    for tip in item.tips:
        st.markdown(f"- {tip}")
    if item.saving:
        parts = []
        if item.saving.kgco2e is not None:
            parts.append(f"约 {item.saving.kgco2e:g} 千克二氧化碳当量")
        if item.saving.yuan is not None:
            parts.append(f"约 {item.saving.yuan:g} 元")
        st.caption(f"每年大约可减少：{'，'.join(parts)}。{item.saving.assumptions}来源：{item.saving.source}。")
    else:
        st.caption("这一项的节约量因家庭情况差别很大，暂无可靠的统一估算，因此不列数字。")
    st.caption("政策依据：" + "；".join(f"{_notice_city(c.notice)}方案 {c.clause}“{hanzi.shown(c.quote, c.notice)}”"
                                    for c in item.citations))


def _notice_city(notice_id: str) -> str:
    return {"dingzhou": "定州", "huludao": "葫芦岛", "shizuishan": "石嘴山", "yuncheng": "运城",
            "tianjin": "天津"}.get(notice_id, notice_id)


def stats_block(stats: CampaignStats) -> None:
    st.progress(stats.progress, text=f"已有 **{stats.count}** 人签署，目标 {stats.goal} 人")
    if not stats.count:
        st.info("还没有人签署，欢迎成为第一位！")
        return
    st.markdown("**各区县签署人数**")
    count_bars(stats.by_district)
    st.markdown("**各项承诺人数**")
    count_bars(stats.by_item)


def count_bars(counts: dict[str, int], unit: str = "人数") -> None:
    """Horizontal bars, largest first, labels in full and the count at each bar's end.

    st.bar_chart cuts labels to ~10 characters and squeezes a single bar to a line.
    In the 长辈版 the counts are plain lines in large type instead, leaving out the zeros.
    """
    if elder_mode():
        per = {"人数": "人", "打卡天数": "天"}.get(unit, "")
        st.markdown("\n".join(f"- {md_escape(name)}：{count} {per}"
                               for name, count in sorted(counts.items(), key=lambda kv: -kv[1]) if count))
        return
    data = pd.DataFrame({"名称": list(counts), unit: list(counts.values())})
    bars = alt.Chart(data).mark_bar(color=charts.GREEN).encode(
        x=alt.X(f"{unit}:Q", title=None, axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("名称:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
        tooltip=["名称", unit],
    )
    text = bars.mark_text(align="left", dx=3, color=charts.TEXT, fontSize=charts.font_size()).encode(text=f"{unit}:Q")
    chart = (bars + text).properties(height=alt.Step(28))
    st.altair_chart(charts.readable(chart, charts.describe(unit, counts)), width="stretch")


def recent_block(stats: CampaignStats) -> None:
    if stats.recent:
        st.markdown("**最近签署**")
        tables.responsive_table(["签署人", "区县", "日期"],
                                [[tables.text_cell(str(c)) for c in row] for row in stats.recent], caption="最近签署名单")


def categories() -> dict[str, list[Item]]:
    grouped: dict[str, list[Item]] = {}
    for item in load_catalogue().items.values():
        grouped.setdefault(item.category, []).append(item)
    return grouped
