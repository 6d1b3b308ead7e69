"""Chinese everywhere a resident looks or listens: no English text, label or placeholder.

Scans the whole document as it is now: visible text and the text screen readers
read (``aria-label``, ``title``, ``placeholder``, ``alt``…), skipping what is hidden
from both (``aria-hidden``, icon ligatures, scripts). Latin words that belong to
Chinese text stay allowed: file types, units and abbreviations the notices use, and
codes with digits (a signature's reference).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Latin a Chinese page may carry: file types, sizes and the poster size; unit symbols and chemical
# formulas as printed on meters and in the notices (GJ on a heat meter, CO₂, PM2.5, VOCs, MW);
# the prefix of Chinese national standards (GB/T) and the bodies cited for factors (IPCC, FAO);
# the one keyboard key named in a hint; the resume-code example's letters.
ALLOWED = {
    "CSV", "PNG", "PDF", "TXT", "MD", "DOCX", "MB", "A4", "QR", "PM", "VOCs", "VOC", "MW", "GW", "kW", "kWh", "GJ", "LED", "GDP", "CO", "NOx",
    "SO", "PPP", "EMC", "GB", "IPCC", "FAO", "UNEP", "Ctrl", "LNG", "CNG", "ABCD", "EFGH", "JKMN",
}

_SCAN = r"""() => {
  const out = [];
  const skip = el => el.closest('[aria-hidden="true"], script, style, noscript, template, [translate="no"], code, pre');
  const shown = el => el.getClientRects().length > 0 || el.closest('.civic-sr-only, [data-testid="stSkipToContent"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && /[A-Za-z]/.test(n.data) && !skip(el) && shown(el)) out.push(['text', n.data.trim(), el.tagName]);
  }
  const attrs = ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription', 'aria-valuetext', 'aria-description'];
  for (const el of document.querySelectorAll(attrs.map(a => '[' + a + ']').join(','))) {
    if (skip(el)) continue;
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v && /[A-Za-z]/.test(v)) out.push([a, v, el.tagName]);
    }
  }
  return {lang: document.documentElement.lang, found: out};
}"""

_URL = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.]+|/[\w-]+\?\S*")
_WORD = re.compile(r"[A-Za-z0-9]+")


def _code(token: str) -> bool:
    """A figure or a code (PM2.5, a signature's reference CJ2VX6HV33 or KPQRPXUBPZ), not a word."""
    return any(c.isdigit() for c in token) or (len(token) >= 8 and token.isupper())


def english_in_page(page, allow: Iterable[str] = ()) -> list[str]:
    """English a resident could see or hear on the page, as ``where: text``; and a wrong page language.

    ``allow``: further Latin words that are data, not interface (a user name someone typed).
    """
    allowed = {w.upper() for w in ALLOWED | {w for a in allow for w in _WORD.findall(a)}}  # .pdf as PDF
    scanned = page.evaluate(_SCAN)
    problems = [] if scanned["lang"] == "zh-CN" else [f"<html lang={scanned['lang']!r}>"]
    for where, text, tag in scanned["found"]:
        words = [w for w in _WORD.findall(_URL.sub("", text)) if w.upper() not in allowed and len(w) > 1 and not _code(w)]
        if words:
            problems.append(f"{where} <{tag.lower()}>: {text[:80]}")
    return sorted(set(problems))


def assert_chinese_only(page, state: str = "", allow: Iterable[str] = ()) -> None:
    found = english_in_page(page, allow)
    assert not found, f"English on the page, {state or page.url}:\n" + "\n".join(found)
