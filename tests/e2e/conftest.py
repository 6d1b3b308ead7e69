"""Journeys in headless Chromium against one served app, at desktop and phone width.

Every journey test takes the ``view`` fixture and so runs twice, as ``[desktop]``
(1280×900) and ``[phone]`` (390×844). The app is the session's ``served_app``
(tests/browser.py); the browser is the session's Chromium. ``check(page, state)``
asserts that a page state has no axe-core WCAG 2.0/2.1 A/AA violation
(tests/e2e/axe.py) and no English a resident could see or hear
(tests/e2e/language.py); ``shoot(page, name)`` does the same, saves a full-page
screenshot as test-artifacts/screenshots/<name>_<view>.png and checks that the
page's Chinese is drawn in a real Chinese font (tests/e2e/fonts.py).
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.elder import small_targets
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.language import assert_chinese_only
from tests.e2e.steps import VIEWPORTS, screenshot


@pytest.fixture(scope="session")
def indexed_app(served_app, built_index: Path):
    """The served app, given the session's search index if it has none yet.

    The suite builds that index anyway (``built_index``); copying it spares the app
    building its own on the first question.
    """
    for part in ("index", "cache"):
        if (built_index / part).exists() and not (served_app.data_dir / part).exists():
            shutil.copytree(built_index / part, served_app.data_dir / part)
    return served_app


@pytest.fixture(params=list(VIEWPORTS))
def view(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_page(_browser, view: str) -> Iterator[Callable[[], object]]:
    """Opens a page in a fresh browser context (a new visitor) at this view's size."""
    contexts = []

    def make():
        context = _browser.new_context(viewport=VIEWPORTS[view], locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def check_page(page, state: str, allow: Iterable[str] = ()) -> None:
    """The page state passes axe-core (WCAG 2.0/2.1 A and AA), shows no English, and has no
    tap target under 24 × 24 px.

    ``allow``: Latin words the journey itself typed (a staff user name, a campaign slug).
    """
    # The page script (webui/assets/client.js) sets the language and replaces Streamlit's English
    # strings once the first run has drawn it; on a slow first load (through nginx, while the admin
    # command hashes a password on the same two cores) give it time.
    # If it never runs, the checks below fail on the English it would have replaced.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function("() => document.documentElement.lang === 'zh-CN'", timeout=30_000)
    assert_no_axe_violations(page, state)
    assert_chinese_only(page, state, allow=allow)
    small = small_targets(page, 24)
    assert not small, f"tap targets under 24 px, {state}:\n" + "\n".join(small)


@pytest.fixture
def check(view: str) -> Callable[..., None]:
    """Check a page state the journey reached: axe-core and Chinese only."""
    return lambda page, state, allow=(): check_page(page, f"{state} [{view}]", allow)


@pytest.fixture
def shoot(view: str) -> Callable[[object, str], None]:
    """Check a main page, photograph it, then check its Chinese is drawn in a real Chinese font."""

    def take(page, name: str, allow: Iterable[str] = ()) -> None:
        check_page(page, f"{name} [{view}]", allow)
        screenshot(page, f"{name}_{view}")
        assert_chinese_renders(page)

    return take
