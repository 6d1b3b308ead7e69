"""One local deployment (python -m deploy up) shared by a module's tests that go through nginx.

PostgreSQL, a Chroma server, two app processes, nginx and the health check, all on
127.0.0.1, started by the same code as ``bash scripts/deploy.sh up``. The Chroma store is
seeded with the suite's built index so start-up embeds nothing. Without nginx or
PostgreSQL the tests fail in CI (env CI set) and skip locally, like tests/faults/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from deploy.local import LocalDeployment, Options
from deploy.services import wait_until
from tests.browser import ServedApp
from tests.e2e.fonts import assert_chinese_renders
from tests.e2e.language import assert_chinese_only
from tests.e2e.steps import VIEWPORTS, screenshot


def _require(found: bool, what: str) -> None:
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing: run the suite through scripts/test.sh, which installs it")
        pytest.skip(f"{what} not installed")


@pytest.fixture(scope="module")
def deployment(built_index: Path) -> Iterator[LocalDeployment]:
    _require(bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), "nginx")
    _require(bool(list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), "PostgreSQL")
    # Not under pytest's 0700 temp folders: PostgreSQL runs as postgres when the suite runs as root.
    root = Path(tempfile.mkdtemp(prefix="civic-deploy."))
    root.chmod(0o711)
    shutil.copytree(built_index / "index" / "chroma", root / "chroma")  # the Chroma server's store
    if (built_index / "cache").exists():
        shutil.copytree(built_index / "cache", root / "data" / "cache")  # jieba's dictionary cache
    deployed = LocalDeployment(root)
    try:
        deployed.up(Options(processes=2, port=0))
        yield deployed
    finally:
        deployed.down(purge=True)


def all_live(deployment: LocalDeployment, timeout: float = 90) -> None:
    """Wait until every process is running and in nginx's pool (after a kill, the health check restarts it)."""
    def live() -> bool:
        pool = deployment.nginx.pool()
        return all(pool.live(n) for n in pool.nodes) and not any(deployment.is_dead(n) for n in pool.nodes)

    assert wait_until(live, timeout, step=0.5), deployment.status()


@pytest.fixture
def served(deployment: LocalDeployment) -> ServedApp:
    """The deployment as the e2e journeys see an app: nginx's URL and the environment for admin commands."""
    all_live(deployment)
    return ServedApp(url=deployment.url, data_dir=deployment.root / "data", env=deployment.app_env())


@pytest.fixture
def new_page(_browser) -> Iterator[Callable[[], object]]:
    """Opens a page in a fresh browser context (a new visitor) at desktop width."""
    contexts = []

    def make():
        context = _browser.new_context(viewport=VIEWPORTS["desktop"], locale="zh-CN", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    make.contexts = contexts  # the tests look at the browsers' cookies
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def check() -> Callable[..., None]:
    """The journeys' page checks, through nginx: Chinese only (no English error page of nginx's or
    Streamlit's). axe-core runs on the same pages in tests/e2e; not again here, to keep CI short."""
    return lambda page, state, allow=(): assert_chinese_only(page, f"{state} [nginx]", allow=allow)


@pytest.fixture
def shoot(check) -> Callable[..., None]:
    def take(page, name: str, allow: Iterable[str] = ()) -> None:
        check(page, name, allow)
        screenshot(page, f"nginx_{name}")
        assert_chinese_renders(page)

    return take
