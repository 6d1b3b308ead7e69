"""The 长辈版's promises, measured from computed styles in Chromium.

Every visible text at least 18 px (headings 30 px) with line spacing at least 1.3,
every tap target at least 48 × 48 px, every text at least 7:1 against what is
behind it (axe-core's own colour functions find the background). Outside the 长辈版
every tap target is at least 24 × 24 px (:func:`small_targets`, WCAG 2.2's minimum).
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

from tests.e2e.steps import CONTENT_HEIGHT

MIN_TEXT, MIN_HEADING, MIN_LINE_HEIGHT, MIN_TARGET, MIN_CONTRAST = 18, 30, 1.3, 48, 7.0

_MEASURE = r"""([minText, minHeading, minLine, minContrast]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const problems = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && !el.closest('[aria-hidden="true"], .civic-sr-only, details:not([open]) > :not(summary)');
  };
  const where = el => (el.closest('[data-testid]')?.dataset.testid || '') + ' <' + el.tagName.toLowerCase() + '> '
      + (el.innerText || el.value || el.placeholder || el.getAttribute('aria-label') || '').trim().slice(0, 30);
  const isIcon = el => el.closest('[data-testid="stIconMaterial"], [translate="no"], svg');

  // Text: elements holding text directly, and fields (their value and placeholder).
  const texts = [...app.querySelectorAll('*')].filter(el => !isIcon(el) && visible(el) && (
      [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim()) || el.matches('input:not([type=checkbox]):not([type=radio]), textarea')));
  axe.setup(document);
  try {
    for (const el of texts) {
      const s = getComputedStyle(el);
      const size = parseFloat(s.fontSize);
      const heading = el.closest('h1, h2, h3, h4, h5, h6');
      if (size < (heading ? minHeading : minText) - 0.01) problems.push(`font ${size}px: ${where(el)}`);
      const line = s.lineHeight === 'normal' ? NaN : parseFloat(s.lineHeight) / size;
      if (!(line >= minLine - 0.01)) problems.push(`line-height ${s.lineHeight} at ${size}px: ${where(el)}`);
      if (el.closest('[disabled], [aria-disabled="true"]')) continue;  // inactive controls: no contrast requirement
      if (el.closest('[data-testid="stSkipToContent"]')) continue;  // off screen until focused
      const fg = axe.commons.color.getForegroundColor(el, false);
      const bg = axe.commons.color.getBackgroundColor(el, []);
      if (fg && bg) {
        const ratio = axe.commons.color.getContrast(bg, fg);
        if (ratio < minContrast) problems.push(`contrast ${ratio.toFixed(2)}: ${where(el)}`);
      } else {
        problems.push(`contrast unknown: ${where(el)}`);
      }
    }
  } finally {
    axe.teardown();
  }

  return [...new Set(problems)];
}"""


_TARGETS = r"""(minTarget) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const problems = [];
  const visible = el => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[aria-hidden="true"], .civic-sr-only');
  };
  const where = el => (el.closest('[data-testid]')?.dataset.testid || '') + ' <' + el.tagName.toLowerCase() + '> '
      + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
  // What a finger presses: a checkbox's or radio's whole label; links inside a sentence are exempt.
  const controls = app.querySelectorAll('a[href], button, input, select, textarea, summary, [role="button"], [role="switch"], [role="combobox"], [role="tab"]');
  for (const el of controls) {
    const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') || el) : el;
    if (!visible(target) || target.closest('[data-testid="stSkipToContent"]')) continue;
    if (el.matches('a') && el.closest('p, li') && !el.closest('[data-testid="stPageLink"]')) continue;
    const r = target.getBoundingClientRect();
    if (r.height < minTarget - 0.5 || r.width < minTarget - 0.5) problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)}: ${where(target)}`);
  }
  return problems;
}"""


def small_targets(page, minimum: int) -> list[str]:
    """Controls smaller than ``minimum`` × ``minimum`` CSS pixels (24 everywhere, 48 in the 长辈版)."""
    return page.evaluate(_TARGETS, minimum)


def elder_problems(page) -> list[str]:
    """Where the page breaks a 长辈版 promise (empty when it keeps them all).

    axe-core finds a text's background only within the viewport, so the viewport is
    stretched to the whole content for the measurement (as for a full-page screenshot).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    size = dict(page.viewport_size)
    page.set_viewport_size({"width": size["width"], "height": min(page.evaluate(CONTENT_HEIGHT), 30_000)})
    try:
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return page.evaluate(_MEASURE, [MIN_TEXT, MIN_HEADING, MIN_LINE_HEIGHT, MIN_CONTRAST]) + small_targets(page, MIN_TARGET)
    finally:
        page.set_viewport_size(size)


def assert_elder_sizes(page, state: str = "") -> None:
    found = elder_problems(page)
    assert not found, f"长辈版, {state or page.url}:\n" + "\n".join(found[:40])
