"""Take the README's screenshots in headless Chromium against a freshly served app.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_path, start_app, wait_for_app  # noqa: E402

SHOTS = [
    # name, url path, viewport width, question to ask (or None)
    ("ask_desktop", "/ask", 1280, "我住在石嘴山农村，冬天烧煤取暖，政策对我有什么要求？"),
    ("ask_phone", "/ask", 390, "葫芦岛、运城、天津的秸秆综合利用率目标，哪个最高？"),
    ("browse_phone", "/browse?notice=tianjin&clause=三、（八）", 390, None),
    ("home_desktop", "/", 1280, None),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", nargs="*", help="names of the shots to take")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, app = start_app(Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
                for name, path, width, question in SHOTS:
                    if args.only and name not in args.only:
                        continue
                    page = browser.new_page(viewport={"width": width, "height": 1700 if width < 600 else 1300}, locale="zh-CN")
                    page.set_default_timeout(60_000)
                    page.goto(app.url + path)
                    wait_for_app(page)
                    if question:
                        box = page.get_by_test_id("stChatInputTextArea")
                        box.fill(question)
                        box.press("Enter")
                        page.get_by_test_id("stExpander").first.wait_for()
                        page.get_by_test_id("stExpander").first.click()
                        page.wait_for_timeout(800)
                    page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
                    print(args.out / f"{name}.png")
                    page.close()
                browser.close()
        finally:
            proc.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
