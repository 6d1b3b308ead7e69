"""The escaping helpers: whatever the text, Markdown sees only plain text (and shows it as typed)."""

from __future__ import annotations

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.hostile.strategies import FAST, hostile_text
from webui.pledge_views import md_escape
from webui.text import escape_md, highlight

PARSER = MarkdownIt("commonmark")
PARSER.validateLink = lambda url: True  # see every link, even those markdown-it would refuse itself
PLAIN = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}
MARKUP = st.text(alphabet=st.sampled_from(list("<>[]()!*_`#-+=.|~:$&\\ \n\t\r1aX中")), max_size=30)


def structure(markdown: str) -> set[str]:
    kinds = set()
    for token in PARSER.parse(markdown):
        kinds |= {token.type, *(child.type for child in token.children or [])}
    return kinds


def shown(markdown: str) -> str:
    """The visible text, as a browser would show it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", PARSER.render(markdown)))


def comparable(text: str) -> list[str]:
    lines = re.split(r"\r\n|\r|\n", text.replace("\u00a0", " ").replace("\x00", "\ufffd"))  # CommonMark: NUL → U+FFFD
    return [line.strip() for line in lines if line.strip()]


@FAST
@given(st.one_of(MARKUP, hostile_text(60)))
@example("\t1. 节能")
@example("    缩进的文字")
@example("a\r    b")
@example("&lt;script&gt;")
@example("===\n---")
def test_escaped_text_is_plain_and_shown_as_typed(text):
    escaped = escape_md(text)
    assert structure(escaped) <= PLAIN, (text, escaped, structure(escaped))
    assert comparable(shown(escaped)) == comparable(text)


@FAST
@given(st.one_of(MARKUP, hostile_text(60)), st.lists(st.text(min_size=1, max_size=5), max_size=3))
def test_highlighted_text_has_only_its_colour_spans(text, quotes):
    marked = highlight(text, quotes)
    assert structure(marked) <= PLAIN, marked
    unescaped_open = len(re.findall(r"(?<!\\)(?:\\\\)*\[", marked))
    assert unescaped_open == marked.count(":orange-background[") <= len(quotes)


@FAST
@given(st.one_of(MARKUP, hostile_text(40)).map(str.strip))
def test_titles_escaped_for_labels_are_plain(text):
    """md_escape serves one-line, trimmed titles (check_plain_text refuses the rest)."""
    assert structure(md_escape(text)) <= PLAIN, md_escape(text)
