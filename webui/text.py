"""Markdown-safe text for Streamlit: nothing a user or a notice wrote is read as markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$^=&])")
_INDENT = re.compile(r"^[ \t]+")
_LINES = re.compile(r"\r\n|\r|\n")


def _escape_line(line: str) -> str:
    # Leading spaces or a tab would start a code block: keep them as no-break spaces.
    line = _INDENT.sub(lambda m: "\u00a0" * len(m.group(0).expandtabs(4)), line)
    return _SPECIAL.sub(r"\\\1", line)


def escape_md(text: str) -> str:
    """Backslash-escape every Markdown and HTML character (``&`` too), keep line breaks and indents."""
    return "  \n".join(_escape_line(line) for line in _LINES.split(text))


def highlight(text: str, quotes: list[str], colour: str = "orange") -> str:
    """Escaped text with each exact quote shown on a coloured background."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        start = text.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote)))
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape_md(text[pos:start]))
        out.append(f":{colour}-background[{escape_md(text[start:end])}]")
        pos = end
    out.append(escape_md(text[pos:]))
    return "".join(out)
