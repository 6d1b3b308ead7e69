"""What a person does in the browser, as small steps shared by the journeys."""

from __future__ import annotations

import re
from pathlib import Path

from civic.settings import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null && app.dataset.testScriptState === 'notRunning';
}"""


def settle(page) -> None:
    """Wait until Streamlit has run the script for the last action and drawn the result.

    The app root's ``data-test-script-state`` turns to ``rerunRequested`` as soon as
    a widget changes and back to ``notRunning`` when the run ends; the short pause
    lets the browser register the action first.
    """
    page.wait_for_timeout(60)
    page.wait_for_function(_IDLE, polling=50)


def follow(page, link, address: str) -> None:
    """Click a link to another page and wait until the address matches ``address`` (a regular
    expression). Streamlit switches pages inside the document (no load event to wait for), and a
    click that lands while the page is still redrawing is lost: then the link is clicked again."""
    from playwright.sync_api import expect

    for attempt in range(3):
        settle(page)
        link.click()
        try:
            expect(page).to_have_url(re.compile(address), timeout=15_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    settle(page)


def goto(page, url: str) -> None:
    page.goto(url)
    settle(page)
    assert not page.get_by_text("Page not found").count()


def _open_list(page, combobox, wanted) -> bool:
    """Open a select's option list; True once ``wanted`` shows."""
    combobox.click()
    page.wait_for_timeout(100)
    if combobox.get_attribute("aria-expanded") != "true":  # a click right after another list closed only focuses
        combobox.press("ArrowDown")
    try:
        wanted.wait_for(timeout=3_000)
        return True
    except Exception:  # noqa: BLE001 - a rerun redrew the widget under us
        page.keyboard.press("Escape")
        return False


def pick(page, label: str, option: str) -> None:
    """Choose an option in the selectbox whose label contains ``label``."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).get_by_role("combobox")
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        settle(page)
        if _open_list(page, box, wanted):
            try:
                wanted.click(timeout=5_000)
            except Exception:  # noqa: BLE001 - the list closed under us (a rerun redrew the widget): open it again
                page.keyboard.press("Escape")
                continue
            settle(page)
            return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def confirm_and_press(page, confirmation: str, button: str) -> None:
    """Tick the confirmation that enables ``button``, then press it. A tick made while Streamlit
    reruns the page can be drawn over; tick again only when the button is still disabled."""
    from playwright.sync_api import expect

    target = page.get_by_role("button", name=button)
    for _ in range(3):
        if target.is_enabled():
            break
        page.get_by_text(confirmation).click()
        settle(page)
        try:
            expect(target).to_be_enabled(timeout=5_000)
        except AssertionError:
            continue
    target.click()


def add_to_multiselect(page, label: str, option: str) -> None:
    """Add ``option`` to the multiselect whose label contains ``label``."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        settle(page)
        if _open_list(page, box.get_by_role("combobox"), wanted):
            wanted.click()
            page.keyboard.press("Escape")
            if option in box.inner_text():
                return
    raise AssertionError(f"could not add {option!r} to {label!r}")


def english_placeholders(page) -> list[str]:
    """Streamlit's default English placeholders showing in empty fields (the UI is Chinese)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input[placeholder]')]
              .filter(i => !i.value && i.getClientRects().length && /^(Choose|Select|Type)/.test(i.placeholder))
              .map(i => (i.getAttribute('aria-label') || '') + ': ' + i.placeholder)"""
    )


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def fits_width(page) -> bool:
    """Nothing overflows sideways: no horizontal scrolling at this width."""
    width = page.viewport_size["width"]
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth,
                 ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stMainBlockContainer"]')]
                   .map(e => e.scrollWidth))"""
    ) <= width


CONTENT_HEIGHT = """() => {
    let height = document.documentElement.clientHeight;
    for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]')) {
        el.scrollTop = 0;  // the chat page keeps itself scrolled to the bottom
        height = Math.max(height, document.documentElement.clientHeight + el.scrollHeight - el.clientHeight);
    }
    return Math.ceil(height);
}"""


def screenshot(page, name: str) -> Path:
    """A full-page screenshot of what the person sees, into test-artifacts/screenshots/.

    Streamlit scrolls inside its main container, not the document, so the viewport
    is stretched to the content's height for the shot and restored afterwards.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = dict(page.viewport_size)
    page.mouse.move(size["width"] - 2, 2)  # no hover toolbars or tooltips in the picture
    for _ in range(3):  # stretching can move the pinned chat input: measure again until it fits
        height = page.evaluate(CONTENT_HEIGHT)
        if height <= page.viewport_size["height"]:
            break
        page.set_viewport_size({"width": size["width"], "height": min(height, 12_000)})
        # Charts redraw on resize; two animation frames and a short pause let them settle.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.wait_for_timeout(300)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def count_in(text: str, pattern: str) -> int:
    """The number captured by ``pattern``'s first group in ``text``."""
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not in page text"
    return int(match.group(1))
