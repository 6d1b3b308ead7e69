"""No tofu: Chinese is drawn with a real Simplified Chinese font, and the check can tell when it is not.

Every page the journeys photograph is checked (``shoot`` in conftest.py). This
module checks the machine's font setup and that the check itself fails on a
browser without Chinese fonts and on Chinese drawn in a Japanese face.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.browser import CHROMIUM_ARGS, chromium_path
from tests.e2e.fonts import WANTED_FONT, chinese_rendering
from tests.e2e.steps import goto

pytestmark = pytest.mark.browser

ONLY_DEJAVU = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def test_fontconfig_gives_simplified_chinese_a_noto_cjk_font():
    fc_match = shutil.which("fc-match")
    assert fc_match, "fontconfig is missing: scripts/test.sh installs it with fonts-noto-cjk"
    family = subprocess.run([fc_match, "-f", "%{family}", "sans-serif:lang=zh-cn"],
                            capture_output=True, text=True, check=True).stdout
    assert WANTED_FONT in family, f"sans-serif:lang=zh-cn resolves to {family!r}; install fonts-noto-cjk"


def test_home_page_renders_chinese_and_the_check_fails_without_a_chinese_font(served_app, _browser, tmp_path):
    home = served_app.url + "/"
    page = _browser.new_page(locale="zh-CN")
    try:
        goto(page, home)
        page.get_by_role("heading", name="节能减排，和我有什么关系？").wait_for()
        good = chinese_rendering(page)
        assert not good.problems(), good.problems()
        assert len(good.han) > 50 and good.fonts[WANTED_FONT] > 100

        # The same check flags Chinese drawn in the Japanese face of the same family.
        page.set_content('<html lang="ja"><body><p style="font-family: sans-serif">节能减排和我有关系</p></body></html>')
        assert any("non-Simplified-Chinese" in p for p in chinese_rendering(page).problems())
    finally:
        page.close()

    # A Chromium whose fontconfig sees no Chinese font draws boxes, and the check says so.
    (tmp_path / "fonts.conf").write_text(ONLY_DEJAVU.format(cache=tmp_path / "cache"))
    env = dict(os.environ, FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    bare = _browser.browser_type.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, env=env)
    try:
        page = bare.new_page(locale="zh-CN")
        goto(page, home)
        page.get_by_role("heading", name="节能减排，和我有什么关系？").wait_for()
        bad = chinese_rendering(page)
    finally:
        bare.close()
    assert bad.han  # the page and its Chinese text are there...
    assert len(bad.boxes) == len(bad.han), "...but without a Chinese font every Han character is a box"
    assert WANTED_FONT not in bad.fonts
    assert any("tofu" in p for p in bad.problems())
