"""The page script every page runs, and what pages ask of it: announce, move focus, copy.

``install()`` (called once per run by :func:`webui.theme.page_frame`) puts
``assets/client.js`` into the app's document through a hidden ``st.html`` element:
it sets the page language to zh-CN, replaces Streamlit's own English strings with
the Chinese in ``data/ui_strings.toml``, keeps a polite live region, moves focus to a
new page's heading and keeps the 长辈版 cookie. Pages then call :func:`announce`
(e.g. "an answer arrived"), :func:`focus` (e.g. onto a result) and :func:`copy_box`.
"""

from __future__ import annotations

import html
import json
import tomllib
from functools import lru_cache
from pathlib import Path

import streamlit as st

ASSETS = Path(__file__).parent / "assets"
BRIDGE_KEY = "civic-bridge"
_BRIDGE = "civic_bridge_container"
_COUNTER = "civic_bridge_calls"


@lru_cache(maxsize=1)
def ui_strings() -> dict:
    """Streamlit's English strings and their Chinese (``exact`` and regex ``patterns``)."""
    with open(Path(__file__).parent / "data" / "ui_strings.toml", "rb") as fh:
        data = tomllib.load(fh)
    return {"exact": data["exact"], "patterns": list(data["patterns"].items())}


@lru_cache(maxsize=1)
def _client_js() -> str:
    return (ASSETS / "client.js").read_text(encoding="utf-8")


def _script(code: str) -> str:
    return f"<script>{code}</script>"


def _json(value: object) -> str:
    # Safe inside <script>: no "</" can close the element.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def install(*, elder: bool) -> None:
    """Create the hidden bridge at the top of the page and run the page script (once per document)."""
    bridge = st.container(key=BRIDGE_KEY)
    st.session_state[_BRIDGE] = bridge
    st.session_state[_COUNTER] = 0
    config = {"elder": elder, "strings": ui_strings()}
    # The body changes only when the mode does; an unchanged body is not run again.
    bridge.html(_script(_client_js() + f"\nwindow.civic.configure({_json(config)});"), unsafe_allow_javascript=True)


def _run(code: str) -> None:
    """Run a line of page script after what this run has drawn so far."""
    bridge = st.session_state.get(_BRIDGE)
    if bridge is None:  # a page run on its own (AppTest): nothing to talk to
        return
    st.session_state[_COUNTER] = n = st.session_state.get(_COUNTER, 0) + 1
    # The call number makes each body new, so the same announcement made twice is made twice.
    bridge.html(_script(f"/* {n} */ window.civic && {code};"), unsafe_allow_javascript=True)


def announce(text: str) -> None:
    """Have screen readers read ``text`` (a polite live region), e.g. that an answer arrived."""
    _run(f"window.civic.announce({_json(text[:600])})")


def focus(key: str) -> None:
    """Move keyboard focus to the container made with ``st.container(key=key)`` once it is drawn."""
    focus_selector(f".st-key-{key}")


def focus_selector(selector: str) -> None:
    """Move keyboard focus to the first element ``selector`` finds once the run has drawn it."""
    _run(f"window.civic.focus({_json(selector)})")


def copy_box(text: str, *, element_id: str, button: str, copied: str, failed: str) -> None:
    """``text`` in a box that wraps at any width, and a large button that copies it."""
    st.html(
        f'<div class="civic-copy-wrap">'
        f'<p class="civic-link-box" id="{element_id}">{html.escape(text)}</p>'
        f'<button type="button" class="civic-copy" data-civic-copy="{element_id}" '
        f'data-civic-copied="{html.escape(copied)}" data-civic-failed="{html.escape(failed)}">{html.escape(button)}</button>'
        f'<p class="civic-copy-status" id="{element_id}-status" aria-live="polite"></p></div>'
    )
