"""Is the Chinese on a page drawn with a real Simplified Chinese font, not tofu boxes?

Two independent looks at the same page:

* which platform fonts Chromium actually used for the elements holding Han text
  (DevTools ``CSS.getPlatformFontsForNode``), and
* for each distinct Han character on the page, whether it draws differently from
  an unassigned code point in the same CSS font — a character that draws exactly
  like the missing-glyph box *is* a box.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Error as PlaywrightError

WANTED_FONT = "Noto Sans CJK SC"  # what fonts-noto-cjk gives Simplified Chinese

# Marks up to 60 visible elements that hold Han text directly; returns their distinct Han characters.
_MARK = r"""() => {
    const han = /\p{Script=Han}/u, chars = new Set();
    let marked = 0;
    for (const el of document.querySelectorAll('[data-cjk-probe]')) el.removeAttribute('data-cjk-probe');
    for (const el of document.querySelectorAll('body *')) {
        if (marked >= 60 || !el.getClientRects().length) continue;
        const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join('');
        if (!han.test(own)) continue;
        el.setAttribute('data-cjk-probe', String(marked++));
        for (const ch of own) if (han.test(ch)) chars.add(ch);
    }
    return [...chars].slice(0, 300).join('');
}"""

# Characters of ``text`` that draw exactly like U+0378 (unassigned: always the missing-glyph box).
_BOXES = r"""([text, font]) => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const draw = ch => {
        ctx.clearRect(0, 0, 48, 48);
        ctx.font = font;
        ctx.textBaseline = 'top';
        ctx.fillText(ch, 4, 4);
        return ctx.getImageData(0, 0, 48, 48).data.join(',');
    };
    const box = draw('\u0378');
    return [...text].filter(ch => draw(ch) === box).join('');
}"""


@dataclass
class ChineseRendering:
    han: str  # the distinct Han characters found
    fonts: dict[str, int]  # platform font family -> glyphs drawn with it (custom web fonts excluded)
    boxes: str  # Han characters that draw as the missing-glyph box

    def problems(self) -> list[str]:
        out = []
        if not self.han:
            out.append("no Chinese text found on the page")
        if self.boxes:
            out.append(f"drawn as boxes (tofu): {self.boxes[:40]}")
        if WANTED_FONT not in self.fonts:
            out.append(f"{WANTED_FONT} not used; fonts used: {self.fonts}")
        other_cjk = [f for f in self.fonts if "CJK" in f and f != WANTED_FONT]
        if other_cjk:
            out.append(f"Chinese drawn with a non-Simplified-Chinese face: {other_cjk}")
        return out


def chinese_rendering(page) -> ChineseRendering:
    """What draws the page's Chinese; measured again if Streamlit redraws a node meanwhile."""
    for attempt in range(3):
        try:
            return _chinese_rendering(page)
        except PlaywrightError as err:
            if "Could not find node" not in str(err) or attempt == 2:
                raise
            page.wait_for_timeout(500)
    raise AssertionError("unreachable")


def _chinese_rendering(page) -> ChineseRendering:
    han = page.evaluate(_MARK)
    font = page.evaluate(
        "() => getComputedStyle(document.querySelector('[data-cjk-probe]') || document.body).font"
    )
    boxes = page.evaluate(_BOXES, [han, font]) if han else ""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeIds"]
        fonts: dict[str, int] = {}
        for node in nodes:
            for used in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                if not used["isCustomFont"]:  # Streamlit's own Latin web font is custom
                    fonts[used["familyName"]] = fonts.get(used["familyName"], 0) + used["glyphCount"]
    finally:
        cdp.detach()
    return ChineseRendering(han=han, fonts=fonts, boxes=boxes)


def assert_chinese_renders(page) -> None:
    rendering = chinese_rendering(page)
    assert not rendering.problems(), f"{page.url}: {rendering.problems()}"
