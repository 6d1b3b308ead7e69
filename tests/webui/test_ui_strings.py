"""The Chinese for Streamlit's English strings (webui/data/ui_strings.toml), read by the page script."""

from __future__ import annotations

import re

from webui.a11y import ui_strings

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
KEPT = {"Ctrl", "CSV", "PNG", "MB"}  # a key name, file types and a size unit, as Chinese interfaces write them


def _translate(text: str) -> str:
    """What client.js does: an exact string, or the first matching pattern, up to three passes."""
    strings = ui_strings()
    for _ in range(3):
        if text in strings["exact"]:
            text = strings["exact"][text]
            continue
        for pattern, to in strings["patterns"]:
            if re.search(pattern, text):
                text = re.sub(pattern, to.replace("$", "\\"), text)
                break
        else:
            break
    return text


def test_every_replacement_is_chinese():
    strings = ui_strings()
    for chinese in [*strings["exact"].values(), *(to for _, to in strings["patterns"])]:
        assert set(LATIN_WORD.findall(chinese)) <= KEPT, chinese
    for pattern, _ in strings["patterns"]:
        assert pattern.startswith("^") and pattern.endswith("$"), pattern  # whole strings only, never notice text
        re.compile(pattern)


def test_strings_residents_meet():
    assert _translate("Press Enter to submit form") == "按回车键提交"
    assert _translate("Chat message from assistant") == "回答"
    assert _translate("Help for 手机号或邮箱（选填）") == "“手机号或邮箱（选填）”的说明"
    assert _translate("6 options available.") == "共 6 个选项。"
    assert _translate("Entered group 城市, with 2 options. 天津, selected") == "进入“城市”组，共 2 个选项。天津，已选中"
    assert _translate("day, 开始日期（可留空）") == "日，开始日期（可留空）"
    assert _translate("据统计，No results") == "据统计，No results"  # only whole strings are replaced
