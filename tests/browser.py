"""A served app and a headless Chromium for end-to-end tests.

Use the ``served_app`` and ``browser_page`` fixtures (registered in
tests/conftest.py). The app runs as a real ``streamlit run`` subprocess on
127.0.0.1 with its own data directory; Chromium is Debian's (/usr/bin/chromium),
driven by Playwright without downloading a browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class ServedApp:
    url: str
    data_dir: Path
    env: dict[str, str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str | None:
    return os.environ.get("CIVIC_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def start_app(data_dir: Path, extra_env: dict[str, str] | None = None,
              port: int | None = None) -> tuple[subprocess.Popen, ServedApp]:
    """Serve the app on 127.0.0.1 (``port``: a free one unless given, e.g. to name it in CIVIC_PUBLIC_URL)."""
    port = port or free_port()
    env = dict(os.environ, CIVIC_DATA_DIR=str(data_dir), CIVIC_SECRET_KEY="browser-test-secret")
    env.pop("DATABASE_URL", None)
    env.update(extra_env or {})
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "streamlit_app.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    log = open(data_dir / "streamlit.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):  # up to about 60 s for a cold start
        if proc.poll() is not None:
            raise RuntimeError((data_dir / "streamlit.log").read_text())
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start")
    return proc, ServedApp(url=url, data_dir=data_dir, env=env)


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    data_dir = tmp_path_factory.mktemp("served-data")
    proc, app = start_app(data_dir)
    yield app
    stop_app(proc)


@pytest.fixture(scope="session")
def _browser() -> Iterator[object]:
    path = chromium_path()
    if not path:
        pytest.fail("Chromium is not installed: run scripts/test.sh, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser) -> Iterator[object]:
    """A fresh page at desktop width; call page.set_viewport_size for phone width."""
    context = _browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
    )
    page.wait_for_timeout(300)
