"""What every page shares: the 长辈版 (large-print mode), the menu, the page script and styles.

The router calls :func:`page_frame` before running the page. Pages ask
:func:`elder_mode` when they show fewer things in the 长辈版.

The 长辈版 is one switch at the top of every page. It is remembered three ways:
in the session, in the address (``?elder=true``, so a link can open it) and in a
cookie for this browser (``civic_elder``, written by the page script and read when
a new session starts).
"""

from __future__ import annotations

from functools import lru_cache

import streamlit as st

from webui import a11y

SITE_NAME = "节能减排政策问答"
ELDER_KEY = "elder"  # widget key and query parameter
ELDER_COOKIE = "civic_elder"
ELDER_LABEL = "长辈版"
ELDER_HELP = "字更大、按钮更大、每屏内容更少"


@lru_cache(maxsize=2)
def _css(name: str) -> str:
    return (a11y.ASSETS / name).read_text(encoding="utf-8")


def elder_mode() -> bool:
    """True while the 长辈版 is on for this visitor."""
    return bool(st.session_state.get(ELDER_KEY, False))


def _remembered_elder() -> None:
    """A new session starts in the 长辈版 when this browser chose it before (unless the link says otherwise)."""
    if ELDER_KEY in st.session_state or ELDER_KEY in st.query_params:
        return
    try:
        cookie = st.context.cookies.get(ELDER_COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest)
        cookie = None
    if cookie == "1":
        st.session_state[ELDER_KEY] = True


def _menu(groups: dict[str, list[st.Page]]) -> None:
    """The residents' menu: a button that opens the pages, grouped (the page script closes it on a choice)."""
    with st.popover("菜单", icon=":material/menu:", key="civic-menu"):
        for group, items in groups.items():
            st.markdown(f"**{group}**")
            for page in items:
                st.page_link(page, label=page.title, icon=page.icon, width="stretch")


def page_frame(current: st.Page, menu: dict[str, list[st.Page]]) -> None:
    """Title, styles, page script, the residents' menu (pages by group) and the 长辈版 switch.

    Call before ``current.run()``. Pages left out of ``menu`` (staff pages) keep their address.
    """
    st.set_page_config(page_title=f"{current.title} · {SITE_NAME}")
    _remembered_elder()
    with st.container(horizontal=True, key="civic-top"):
        _menu(menu)
        st.toggle(ELDER_LABEL, key=ELDER_KEY, bind="query-params", help=ELDER_HELP)
    elder = elder_mode()
    st.html(f"<style>{_css('base.css')}{_css('elder.css') if elder else ''}</style>")
    a11y.install(elder=elder)
