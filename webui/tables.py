"""Small comparison tables that become one card per row on a phone or at 200 % zoom.

Streamlit's tables keep their columns at any width, so values are squeezed to a few
characters a line or cut off. This one is a plain HTML table (every text escaped —
nothing from a notice is read as markup) whose rows turn into stacked cards below
700 px (CSS in assets/base.css); the first column is the row's header.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Span:
    text: str
    kind: str = ""  # "value" (bold), "muted" (secondary), or plain


# A cell is lines of spans.
Cell = list[list[Span]]


def text_cell(text: str, kind: str = "") -> Cell:
    return [[Span(text, kind)]]


def _cell_html(cell: Cell) -> str:
    lines = []
    for line in cell:
        parts = []
        for span in line:
            text = html.escape(span.text)
            parts.append(f'<span class="civic-{span.kind}">{text}</span>' if span.kind else text)
        lines.append(" ".join(parts))
    return "<br>".join(lines)


def table_html(headers: list[str], rows: list[list[Cell]], caption: str, labels: bool = False) -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = []
    for row in rows:
        first, *rest = row
        cells = "".join(f'<td data-label="{html.escape(h)}">{_cell_html(c)}</td>' for h, c in zip(headers[1:], rest, strict=True))
        body.append(f'<tr><th scope="row">{_cell_html(first)}</th>{cells}</tr>')
    kind = "civic-compare civic-labelled" if labels else "civic-compare"
    return (f'<table class="{kind}"><caption class="civic-sr-only">{html.escape(caption)}</caption>'
            f'<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def responsive_table(headers: list[str], rows: list[list[Cell]], *, caption: str, labels: bool = False) -> None:
    """A table at desktop width, one card per row on a phone; ``caption`` names it for screen readers.

    ``labels``: on a phone, each value is led by its column's name (for tables of more than
    a name and a value).
    """
    st.html(table_html(headers, rows, caption, labels))
