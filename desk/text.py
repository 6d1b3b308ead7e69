"""Free text from residents (a comment) and staff (a linked question, a word pair): checked or neutralised.

A resident's comment is neutralised: controls and line breaks dropped, ``< >`` made full-width,
personal data masked; only its length is refused. Staff text is refused when it holds markup,
a formula start or controls, so nothing stored can act as code in a page or a spreadsheet.
"""

from __future__ import annotations

import re
import unicodedata

from desk.masking import mask
from desk.messages import DeskError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Controls, invisible characters, direction overrides, line separators, lone surrogates.
CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_BREAKS = re.compile(r"[\t\n\r]+")
_MARKUP = re.compile(r"[<>]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def neutral_comment(text: str | None, limit: int) -> str:
    """A resident's comment as stored: one line, inert, masked; DeskError when over ``limit``."""
    if text and len(text) > limit * 4:  # do not even normalise absurd input
        raise DeskError("comment_too_long", max=limit)
    cleaned = unicodedata.normalize("NFC", CONTROL.sub("", _BREAKS.sub(" ", text or ""))).strip()
    if len(cleaned) > limit:
        raise DeskError("comment_too_long", max=limit)
    cleaned = cleaned.replace("<", "＜").replace(">", "＞")
    return mask(cleaned)


def staff_text(text: str | None, *, what: str, limit: int, chinese: bool = True) -> str:
    """Trimmed staff text that is safe to store, show and export; DeskError otherwise."""
    if text and len(text) > limit * 4:
        raise DeskError("text_too_long", what=what, max=limit)
    cleaned = unicodedata.normalize("NFC", text or "").strip()
    if not cleaned:
        raise DeskError("text_empty", what=what)
    if CONTROL.search(cleaned) or _BREAKS.search(cleaned):
        raise DeskError("control_chars", what=what)
    if _MARKUP.search(cleaned):
        raise DeskError("markup", what=what)
    if cleaned.startswith(FORMULA_STARTS):
        raise DeskError("formula", what=what)
    if len(cleaned) > limit:
        raise DeskError("text_too_long", what=what, max=limit)
    if chinese and not _CJK.search(cleaned):
        raise DeskError("text_no_chinese", what=what)
    return cleaned
