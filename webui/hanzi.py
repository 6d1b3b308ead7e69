"""Notices published in Traditional characters, shown to residents in Simplified.

天津's notice is kept and quoted exactly as published (Traditional, half-width
commas); residents read Simplified. :func:`simplified` is the display form: OpenCC
t2s plus full-width Chinese punctuation, one character for one character, so a quote
found in the original stands at the same place in the display form and the original
is always one tap away ("查看原文（繁体）"). No streamlit here: tests check the
conversion over the whole notice.
"""

from __future__ import annotations

import re
from functools import lru_cache

from civic.settings import get_settings
from retrieval.sources import notice_metas
from retrieval.textnorm import to_simplified

ORIGINAL_LABEL = "查看原文（繁体）"
# Half-width punctuation of the Traditional notice, in the full-width form of Chinese text.
_PUNCT = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
# A comma or colon between two digits belongs to a number or a time (1,500; 8:30): kept.
_HALF = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;()?!]")


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """Simplified characters and full-width punctuation, exactly as long as ``text``."""
    converted = to_simplified(text)
    if len(converted) != len(text):  # a phrase rule changed the length: convert one character at a time
        converted = "".join(c if len(c) == 1 else ch for ch, c in ((ch, to_simplified(ch)) for ch in text))
    return _HALF.sub(lambda m: _PUNCT[m.group(0)], converted)


def is_traditional(notice_id: str) -> bool:
    """Whether this notice was published in Traditional characters (its metadata says so: the
    corpus manifest's, or a staff-published notice's)."""
    return any(m.id == notice_id and m.script == "traditional" for m in notice_metas(get_settings().corpus_dir))


def shown(text: str, notice_id: str, *, original: bool = False) -> str:
    """A notice's text as shown: Simplified for a Traditional notice unless the original is asked for."""
    return text if original or not is_traditional(notice_id) else simplified(text)


def shown_quotes(text: str, quotes: list[tuple[str, str]], *, original: bool = False) -> str:
    """``text`` with each quote (notice id, exact quote) of a Traditional notice replaced by its display form."""
    if original:
        return text
    for notice_id, quote in quotes:
        if is_traditional(notice_id):
            text = text.replace(quote, simplified(quote))
    return text
