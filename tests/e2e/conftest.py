"""Journeys in headless Chromium against one served app, at desktop and phone width.

Every journey test takes the ``view`` fixture and so runs twice, as ``[desktop]``
(1280×900) and ``[phone]`` (390×844). The app is the session's ``served_app``
(tests/browser.py); the browser is the session's Chromium. ``shoot(name)`` saves
a full-page screenshot as test-artifacts/screenshots/<name>_<view>.png and
checks that the page's Chinese is drawn in a real Chinese font (tests/e2e/fonts.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.steps import VIEWPORTS, english_placeholders, screenshot


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


@pytest.fixture
def shoot(view: str) -> Callable[[object, str], None]:
    """Photograph a main page, then check its Chinese is drawn in a real Chinese font."""

    def take(page, name: str) -> None:
        screenshot(page, f"{name}_{view}")
        assert_chinese_renders(page)
        assert not english_placeholders(page)

    return take
