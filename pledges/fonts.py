"""Find a Chinese font for certificates and posters (Noto CJK via fontconfig or known paths)."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

KNOWN_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    """Path of a font that covers Simplified Chinese, or None."""
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
                capture_output=True, text=True, timeout=5, check=False,
            ).stdout.strip()
            if out and "CJK" in out and Path(out).exists():
                return out
        except (OSError, subprocess.SubprocessError):
            pass
    return next((p for p in KNOWN_PATHS if Path(p).exists()), None)


def _sc_index(path: str) -> int:
    """Index of the Simplified Chinese face inside a .ttc collection."""
    if not path.endswith(".ttc"):
        return 0
    for index in range(10):
        try:
            name = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            break
        if name.endswith(" SC"):
            return index
    return 0


def font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """(font, has_chinese). Without a CJK font the built-in one is used and Chinese
    characters will not render; callers tell the user so."""
    path = cjk_font_path()
    if path:
        return ImageFont.truetype(path, size, index=_sc_index_cached(path)), True
    return ImageFont.load_default(size=size), False


@lru_cache(maxsize=4)
def _sc_index_cached(path: str) -> int:
    return _sc_index(path)
