"""The 目标对比 page: AppTest over a small reviewed table, and Chromium over the app's own table.

The AppTest cases use a copy of the notices with a hand-made ``targets.csv``
(real quotes, checked against the notices), so they do not depend on which
rows of ``corpus/targets.csv`` are reviewed. The browser case serves the repo's
corpus and relies only on stable facts (天津's 秸秆综合利用率 98% in 三、（五）).
Set TARGETS_SCREENSHOTS=<dir> to save the page at 1280 and 390 px.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlparse

import pytest
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from civic.settings import REPO_ROOT, reset_settings
from retrieval.corpus import load_corpus
from retrieval.targets import Target
from retrieval.targets.groups import group_targets, similar, target_text
from retrieval.targets.table import verify, write_rows
from tests.browser import wait_for_app

APP = str(REPO_ROOT / "streamlit_app.py")
HOSTILE = "=<b>粗体</b>[点我](http://example.com)"


def _row(city, notice_id, clause, theme, indicator, value, unit, year, qualifier, quote, review="confirmed"):
    key = f"{notice_id}|{clause}|{value}{unit}|test"
    return Target(key=key, city=city, notice_id=notice_id, clause=clause, theme=theme, indicator=indicator, value=value,
                  unit=unit, year=year, baseline="", qualifier=qualifier, quote=quote, review=review)


ROWS = [
    _row("葫芦岛", "huludao", "三、（五）", "垃圾与固废", "秸秆综合利用率", "90", "%", "2025", "以上", "秸秆综合利用率达到90%以上"),
    _row("运城", "yuncheng", "三、（六）", "垃圾与固废", "秸秆综合利用率", "90", "%", "2025", "稳定在、以上",
         "到2025年全市秸秆综合利用率稳定在90%以上"),
    _row("天津", "tianjin", "三、（五）", "垃圾与固废", "秸秆综合利用率", "98", "%", "2025", "", "秸稈綜合利用率達到98%"),
    _row("石嘴山", "shizuishan", "三、（三）", "清洁取暖", "农村地区清洁取暖率", "60", "%", "2025", "以上",
         "农村地区清洁取暖率达到60%以上"),
    _row("石嘴山", "shizuishan", "三、（三）", "清洁取暖", "县城和城乡结合部清洁取暖率", "80", "%", "2025", "以上",
         "县城和城乡结合部清洁取暖率达到80%以上"),
    _row("葫芦岛", "huludao", "三、（三）", "清洁取暖", "城镇清洁取暖率", "80", "%", "2025", "以上", "城镇清洁取暖率达到80%以上"),
    _row("天津", "tianjin", "三、（四）", "交通与新能源汽车", "新能源汽车新车销售量占比", "25", "%", "2025", "左右",
         "新能源汽車新車銷售量占比達到25%左右"),
    _row("运城", "yuncheng", "三、（五）", "交通与新能源汽车", "新能源汽车新车销售量达到汽车新车销售总量", "20", "%", "2025",
         "左右", "到2025年新能源汽车新车销售量达到汽车新车销售总量的20%左右"),
    _row("定州", "dingzhou", "三、（二）", "水资源与污水", "用水总量", "2.95", "亿立方米", "2025", "控制在、以内",
         "用水总量控制在2.95亿立方米以内"),
    # A table cell full of markup: shown as text, written to CSV so no spreadsheet runs it.
    _row("定州", "dingzhou", "三、（二）", "公共机构", HOSTILE, "2.95", "亿立方米", "2025", "", "用水总量控制在2.95亿立方米以内"),
    _row("天津", "tianjin", "三、（五）", "清洁取暖", "待核对的指标", "98", "%", "2025", "", "秸稈綜合利用率達到98%", "pending"),
]
SHOWN = [r for r in ROWS if r.review != "pending"]


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """The five notices and a small table; every quote is checked against its notice."""
    directory = tmp_path_factory.mktemp("targets-corpus")
    for path in (REPO_ROOT / "corpus").iterdir():
        if path.name != "targets.csv":
            shutil.copy(path, directory / path.name)
    corpus = load_corpus(directory)
    assert [p for row in ROWS for p in verify(row, corpus)] == []
    write_rows(directory / "targets.csv", ROWS)
    return directory


@pytest.fixture
def use_corpus(corpus_dir, monkeypatch):
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(corpus_dir))
    reset_settings()
    return corpus_dir


@pytest.fixture
def media(monkeypatch) -> list[MemoryMediaFileStorage]:
    """The media stores AppTest creates, kept so a test can read a download's bytes."""
    stores: list[MemoryMediaFileStorage] = []
    original = MemoryMediaFileStorage.__init__

    def keep(self, *args, **kwargs):
        original(self, *args, **kwargs)
        stores.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", keep)
    return stores


def _download(media: list[MemoryMediaFileStorage], url: str):
    name = urlparse(url).path.rsplit("/", 1)[-1]
    for store in reversed(media):
        try:
            return store.get_file(name)
        except MediaFileStorageError:
            continue
    raise AssertionError(f"no file behind {url}")


def _open(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/targets.py").run()
    assert not at.exception
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.caption, *at.info])


class _Tables(HTMLParser):
    """The tables of webui/tables.py: header names, and rows of cell texts (a bold value as **…**)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"headers": [], "rows": []})
        elif tag == "tr":
            self._row: list[str] = []
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "span" and self._cell is not None and ("class", "civic-value") in attrs:
            self._cell.append("**")
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "span" and self._cell and self._cell[-1] != "**" and "**" in self._cell and self._cell.count("**") % 2:
            self._cell.append("**")
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            table = self.tables[-1]
            (table["rows"] if table["headers"] else table["headers"]).append(self._row) if table["headers"] \
                else table["headers"].extend(self._row)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _html(at: AppTest) -> list[str]:
    return [e.proto.body for e in at.get("html")]


def _tables(at: AppTest) -> list[dict]:
    parser = _Tables()
    for body in _html(at):
        parser.feed(body)
    return parser.tables


def _table_by_city(at: AppTest, first_value: str) -> dict[str, str]:
    """The comparison table whose 目标 column mentions ``first_value``, as city → cell."""
    for table in _tables(at):
        if table["headers"] == ["城市", "目标"] and any(first_value in row[1] for row in table["rows"]):
            return {row[0]: row[1] for row in table["rows"]}
    raise AssertionError(f"no table mentions {first_value}")


def test_theme_view_lists_all_five_cities_and_says_not_mentioned(use_corpus):
    at = _open({"theme": "垃圾与固废"})
    assert at.radio(key="tg_view").value == "theme"
    assert at.selectbox(key="tg_theme").value == "垃圾与固废"
    cells = _table_by_city(at, "98%")
    assert list(cells) == ["定州", "葫芦岛", "石嘴山", "运城", "天津"]
    assert cells["天津"] == "**98%（2025年）**" and "稳定在90%以上" in cells["运城"]  # one wording: not repeated
    # 石嘴山 has targets in other themes and 定州 elsewhere too: neither is borrowed here.
    assert cells["石嘴山"] == cells["定州"] == "未提及"
    assert at.get("vega_lite_chart"), "values in one unit are charted"
    # 天津's exact quote, shown in Simplified; its own Traditional characters one tap away, in a popover.
    assert "秸秆综合利用率达到98%" in _markdown(at)
    (original,) = [p for p in at.get("popover") if p.proto.popover.label == "查看原文（繁体）"]
    assert [m.value for m in original.children.values()] == ["> 秸稈綜合利用率達到98%"]
    links = [link for link in at.get("page_link") if link.proto.query_string]
    assert any(parse_qs(link.proto.query_string) == {"notice": ["tianjin"], "clause": ["三、（五）"]} for link in links)


def test_theme_view_compares_like_with_like_and_keeps_each_wording(use_corpus):
    at = _open({"theme": "清洁取暖"})
    cells = _table_by_city(at, "60%以上")
    assert "农村地区清洁取暖率" in cells["石嘴山"] and "县城和城乡结合部清洁取暖率" in cells["石嘴山"]
    assert "80%以上（2025年）" in cells["葫芦岛"] and "城镇清洁取暖率" in cells["葫芦岛"]
    assert cells["天津"] == "未提及"  # its pending row is not shown
    assert "待核对" not in _markdown(at)


def test_city_view_groups_a_city_by_theme(use_corpus):
    at = _open()
    at.radio(key="tg_view").set_value("city").run()
    at.selectbox(key="tg_city").set_value("石嘴山").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["清洁取暖"]
    (table,) = _tables(at)
    assert table["headers"] == ["指标", "目标"]
    assert [row[0] for row in table["rows"]] == ["农村地区清洁取暖率", "县城和城乡结合部清洁取暖率"]
    text = _markdown(at)
    assert "垃圾与固废" in text and "未提及" in text  # themes without a figure are named
    assert (at.query_params["view"], at.query_params["city"]) == ("city", "石嘴山")


def test_deep_link_to_a_city_by_id_opens_the_city_view(use_corpus):
    at = _open({"city": "tianjin"})
    assert at.radio(key="tg_view").value == "city"
    assert at.selectbox(key="tg_city").value == "天津"
    assert {s.value for s in at.subheader} == {"垃圾与固废", "交通与新能源汽车"}
    assert not at.info  # a valid link gets no note


@pytest.mark.parametrize("param", ["theme", "city", "view"])
def test_hostile_link_values_are_ignored_with_a_note_and_never_echoed(use_corpus, param):
    hostile = "<script>alert(1)</script>[点我](http://example.com)"
    at = _open({param: hostile})
    notes = [i.value for i in at.info]
    assert len(notes) == 1 and "无法识别" in notes[0]
    shown = _markdown(at) + "".join(b for b in _html(at) if "<table" in b)
    assert "<script" not in shown and "点我" not in shown and "example.com" not in shown
    assert hostile not in str(at.query_params)
    at.run()  # the note is for the link that was followed, not for every rerun
    assert not at.info


def test_table_text_is_escaped(use_corpus):
    at = _open({"theme": "公共机构"})
    tables = "".join(b for b in _html(at) if "<table" in b)
    assert "=&lt;b&gt;粗体&lt;/b&gt;[点我](http://example.com)" in tables  # shown as typed
    assert "<b>" not in tables and "<a" not in tables
    cells = [c for t in _tables(at) for row in t["rows"] for c in row]
    assert HOSTILE in cells


def test_csv_downloads_parse_and_hold_what_is_shown(use_corpus, media):
    at = _open({"theme": "垃圾与固废"})
    files = {button.label: _download(media, button.proto.url) for button in at.download_button}
    whole, selection = files["下载全部目标（CSV）"], files["下载本主题目标（CSV）"]
    assert whole.filename == "targets.csv" and re.fullmatch(r"targets-theme-\d+\.csv", selection.filename)
    assert all(f.mimetype == "text/csv" and f.filename.isascii() for f in (whole, selection))

    def parse(file) -> list[dict[str, str]]:
        text = file.content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(text[1:])))

    rows = parse(whole)
    assert len(rows) == len(SHOWN)
    assert {"城市": "天津", "指标": "秸秆综合利用率", "目标值": "98", "单位": "%", "条款": "三、（五）"}.items() <= next(
        r for r in rows if r["城市"] == "天津" and r["目标值"] == "98").items()
    assert any(r["指标"] == "'" + HOSTILE for r in rows)  # a spreadsheet shows it, never runs it
    assert sorted(r["城市"] for r in parse(selection)) == ["天津", "葫芦岛", "运城"]


def test_empty_table_says_review_is_under_way(tmp_path, monkeypatch, corpus_dir):
    for path in corpus_dir.iterdir():
        shutil.copy(path, tmp_path / path.name)
    write_rows(tmp_path / "targets.csv", [r for r in ROWS if r.review == "pending"])
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(tmp_path))
    reset_settings()
    at = _open({"theme": "清洁取暖"})
    assert any("核对" in i.value for i in at.info)
    assert not at.table and not at.download_button


def test_grouping_and_wording():
    groups = {g.name: g for g in group_targets(SHOWN)}
    assert groups["秸秆综合利用率"].cities == ["葫芦岛", "运城", "天津"]
    assert groups["新能源汽车新车销售量占比"].cities == ["天津", "运城"]
    # A row filed under another theme still joins its group, so that theme shows the comparison too.
    moved = dataclasses.replace(SHOWN[0], theme="农业农村")
    straw = next(g for g in group_targets([moved, *SHOWN[1:]]) if g.name == "秸秆综合利用率")
    assert straw.themes == {"农业农村", "垃圾与固废"} and straw.cities == ["葫芦岛", "运城", "天津"]
    assert similar("溶剂型工业涂料", "溶剂型工业涂料") and not similar("钢铁行业单位增加值能耗", "电力行业单位增加值能耗")
    assert target_text(SHOWN[1]) == "稳定在90%以上（2025年）"
    assert target_text(SHOWN[8]) == "控制在2.95亿立方米以内（2025年）"


# -- a real browser, the app's own table ------------------------------------

PHONE = {"width": 390, "height": 844}
TIANJIN_STRAW = "秸秆综合利用率达到98%"  # 天津's notice, 三、（五）, shown in Simplified


def _screenshot(page, name: str) -> None:
    """Save the whole page (Streamlit scrolls inside the app, so grow the viewport first)."""
    folder = os.environ.get("TARGETS_SCREENSHOTS")
    if not folder:
        return
    size = page.viewport_size
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(height + 80, 16000)})
    page.mouse.move(0, 0)  # no hover toolbar over a chart
    page.wait_for_timeout(1500)  # charts redraw after a resize
    page.screenshot(path=str(Path(folder) / name), full_page=True)
    page.set_viewport_size(size)


def _open_quote(main, quote_text: str):
    """Open the 原文与条款 expander that holds the quote (its text is in the page while closed)."""
    expander = main.locator('[data-testid="stExpander"]').filter(has_text=quote_text).first
    expander.locator("summary").click()
    expander.get_by_text(quote_text).wait_for()
    return expander


@pytest.mark.browser
def test_targets_page_in_a_real_browser_at_desktop_and_phone_width(served_app, browser_page):
    page = browser_page
    page.goto(f"{served_app.url}/targets?city={quote('天津')}")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("秸秆综合利用率").first.wait_for()
    wait_for_app(page)

    # The city's value, its exact sentence on demand, and a link to its clause.
    expander = _open_quote(main, TIANJIN_STRAW)
    href = expander.get_by_role("link", name="查看条款原文 三、（五）").first.get_attribute("href")
    clause_url = urlparse(urljoin(page.url, href))  # tests/e2e/test_ask_journey.py checks the browse page opens such links
    assert clause_url.path.endswith("/browse")
    assert parse_qs(clause_url.query) == {"notice": ["tianjin"], "clause": ["三、（五）"]}

    # Compare that theme across the five cities: a row per city, 未提及 where a notice has no figure.
    expander.locator("xpath=following::a[contains(., '和其他城市比一比')][1]").click()
    card = main.locator('[class*="st-key-tg_group_"]').filter(has_text="秸秆综合利用率")
    card.first.wait_for()
    wait_for_app(page)
    page.wait_for_url(re.compile(r"view=theme"))  # the address bar follows, a shareable link
    cells = card.first.locator(".civic-compare tbody tr")
    rows = {r.locator("th").inner_text(): r.locator("td").inner_text() for r in cells.all()}
    assert list(rows) == ["定州", "葫芦岛", "石嘴山", "运城", "天津"]
    assert rows["定州"] == "未提及" and rows["天津"].startswith("98%")
    card.first.locator('[data-testid="stVegaLiteChart"]').wait_for()
    _screenshot(page, "targets_1280.png")

    page.set_viewport_size(PHONE)
    card.first.locator('[data-testid="stVegaLiteChart"]').wait_for()
    page.wait_for_timeout(500)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    city_cell = cells.first.locator("th").bounding_box()
    assert city_cell["height"] < 40, "a city name must not break over two lines"
    _screenshot(page, "targets_390.png")
