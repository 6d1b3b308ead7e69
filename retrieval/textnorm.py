"""Text normalisation shared by indexing, matching and scoring.

Notices are indexed and matched in Simplified Chinese with whitespace and
markdown bold removed; they are displayed in their original script.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

_SPACE = re.compile(r"\s+")
_CJK = r"\u3400-\u9fff"
# OCR residue: an English "and" standing between two CJK characters means 和.
_STRAY_AND = re.compile(rf"(?<=[{_CJK}，、])\s*and\s*(?=[{_CJK}])")
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}，。、；：%])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}，。、；：%])")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC t2s); notice sentences repeat, so results are remembered."""
    return _t2s().convert(text)


def clean_display(text: str) -> str:
    """The notice text as a reader should see it: artefacts removed, words unchanged."""
    text = text.replace("**", "")
    text = _STRAY_AND.sub("和", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    return text.strip()


@lru_cache(maxsize=8192)
def match_key(text: str) -> str:
    """Simplified, no whitespace, no bold markers: the form used for every comparison."""
    return _SPACE.sub("", to_simplified(text.replace("**", "")))
