"""Checks on free text typed by residents and staff: length, markup, formulas, words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from pledges.messages import PledgeError
from pledges.tunables import tunables

_MARKUP = re.compile(r"[<>]")
# Leading characters that spreadsheets treat as a formula (ASCII and full-width).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# Controls, invisible characters and direction overrides (they disguise or reorder
# what others see), line separators and lone surrogates (not storable as UTF-8).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]"
)
_LINE_BREAK = re.compile(r"[\t\n\r]")  # not in single-line fields
_STRIP_FOR_FILTER = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _blocked_words() -> tuple[str, ...]:
    lines = (Path(__file__).parent / "wordfilter.txt").read_text(encoding="utf-8").splitlines()
    return tuple(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def check_plain_text(text: str) -> str:
    """Trimmed text that is safe to store and display; raises on markup, formulas, controls."""
    text = unicodedata.normalize("NFC", text or "").strip()
    if _CONTROL.search(text) or _LINE_BREAK.search(text):
        raise PledgeError("control_chars")
    if _MARKUP.search(text):
        raise PledgeError("markup")
    if text.startswith(FORMULA_STARTS):
        raise PledgeError("formula")
    return text


def is_blocked(name: str) -> bool:
    folded = _STRIP_FOR_FILTER.sub("", unicodedata.normalize("NFKC", name).lower())
    return any(word in folded for word in _blocked_words())


def clean_display_name(raw: str | None) -> str | None:
    """None for anonymous; otherwise a short, filtered, markup-free name."""
    limit = tunables()["limits"]["display_name_max"]
    if raw and len(raw) > limit * 4:  # do not even normalise absurd input
        raise PledgeError("name_too_long", max=limit)
    name = check_plain_text(raw or "")
    if not name:
        return None
    if len(name) > limit:
        raise PledgeError("name_too_long", max=limit)
    if is_blocked(name):
        raise PledgeError("name_blocked")
    return name


def mask_name(name: str | None, hidden: bool = False) -> str:
    """Public form of a display name: first character then asterisks; 匿名 when none."""
    if not name or hidden:
        return "匿名"
    return name[0] + "*" * min(max(len(name) - 1, 1), 3)


_HTML_TAG = re.compile(r"<[^>]*>")
_IMAGE_MARK = re.compile(r"!+(?=\[)")
# An inline link: bracket-free label, destination with at most one level of parentheses.
_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_WEB_URL = re.compile(r"https?://[^\s()<>\[\]\"']+", re.IGNORECASE)
_NEUTRAL = str.maketrans({"[": "［", "]": "］", "$": "＄", "<": "＜", ">": "＞"})


def sanitise_markdown(text: str) -> str:
    """Staff-written intro: text, emphasis, headings, lists and http(s) links only.

    HTML tags are removed; every other bracket becomes full-width, so no image,
    reference link, javascript: link or Streamlit directive (``:red[…]``) can form;
    ``$`` becomes full-width so no LaTeX renders. Idempotent: saving twice changes nothing.
    """
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    text = _HTML_TAG.sub("", text)
    out, pos = [], 0
    for match in _LINK.finditer(text):
        label, url = match.group(1), match.group(2).strip()
        out.append(text[pos:match.start()].translate(_NEUTRAL))
        label = label.translate(_NEUTRAL)
        out.append(f"[{label}]({url})" if _WEB_URL.fullmatch(url) and label.strip() else label)
        pos = match.end()
    out.append(text[pos:].translate(_NEUTRAL))
    # No "!" before a kept link (no images); NFC last, since removing a control or a tag
    # can bring a letter and its combining mark together.
    return unicodedata.normalize("NFC", _IMAGE_MARK.sub("", "".join(out))).strip()
