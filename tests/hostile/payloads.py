"""Attack strings and checks shared by the hostile-input tests.

Every payload carries the marker ``XSS`` so a test can find where it ended up in
the page. ``inert`` is the oracle for text that must show as typed: after
removing backslash escapes, no character that starts markup may remain.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt  # a CommonMark parser (streamlit → rich → markdown-it-py)
from sqlalchemy import text

from pledges.models import Base

MARK = "XSS"

PAYLOADS = [
    "<script>alert('XSS')</script>",
    '<img src=x onerror="alert(\'XSS\')">',
    "<svg/onload=alert('XSS')>",
    "javascript:alert('XSS')",
    "[XSS](javascript:alert(1))",
    "![XSS](http://evil.example/x.png)",
    "<div>XSS</div>\n\n<iframe src=//evil.example></iframe>",
    ":red[XSS] :material/warning: **XSS**",
    "$\\href{javascript:alert(1)}{XSS}$",
    "`XSS` <a href=javascript:alert(1)>x</a>",
    "[XSS][r]\n\n[r]: javascript:alert(1)",
    "XSS&lt;script&gt;alert(1)&lt;/script&gt;",
]

# Characters that open Markdown, HTML, LaTeX or a Streamlit directive.
_LIVE = set("<>[]$`")
_ESCAPED = re.compile(r"\\.", re.S)


def inert(markdown: str) -> bool:
    """True when ``markdown`` (as given to st.markdown) can only render as plain text."""
    return not (_LIVE & set(_ESCAPED.sub("", markdown)))


def emitted_markdown(at) -> list[str]:
    """Every string an AppTest run handed to a Markdown-rendering element or label."""
    out: list[str] = []

    def walk(node) -> None:
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            label = getattr(node, "label", None)
            if isinstance(label, str):
                out.append(label)
            for child in children.values():
                walk(child)
            return
        kind = getattr(node, "type", "")
        if kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info",
                    "success", "toast", "latex"):
            out.append(str(node.value))
        label = getattr(node, "label", None)
        if isinstance(label, str):
            out.append(label)

    walk(at._tree)
    return out


_PARSER = MarkdownIt("commonmark")
_PARSER.validateLink = lambda url: True  # see every link, even the ones markdown-it itself would refuse


def intro_violations(markdown: str) -> list[str]:
    """What a campaign intro must not contain once rendered: anything but text, emphasis, lists and http(s) links."""
    problems = []
    for token in _PARSER.parse(markdown):
        for child in [token, *(token.children or [])]:
            if child.type in ("html_inline", "html_block", "image"):
                problems.append(child.type)
            if child.type == "link_open" and not re.match(r"https?://", child.attrGet("href") or "", re.I):
                problems.append(f"link to {child.attrGet('href')}")
            if child.type == "text" and re.search(r":[a-z\-]+\[|\$", child.content):
                problems.append(f"directive or LaTeX in {child.content!r}")
    return problems


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def snapshot(db, skip: tuple[str, ...] = ("pledge_rate_events",)) -> dict[str, list]:
    """Every pledge table's rows (rate events aside), to compare before and after a refused call."""
    with db.session() as session:
        return {
            table.name: sorted(map(repr, session.execute(text(f"SELECT * FROM {table.name}")).all()))
            for table in Base.metadata.sorted_tables if table.name.startswith("pledge_") and table.name not in skip
        }
