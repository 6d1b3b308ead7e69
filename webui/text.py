"""Markdown-safe text for Streamlit: nothing a user or a notice wrote is read as markup."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$^=])")


def escape_md(text: str) -> str:
    """Backslash-escape every Markdown and HTML character, keep line breaks."""
    return "  \n".join(_SPECIAL.sub(r"\\\1", line) for line in text.split("\n"))


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
