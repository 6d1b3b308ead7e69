"""The targets table: every row verified against its notice, extraction rules, new notices."""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest

from civic.settings import REPO_ROOT, reset_settings
from retrieval.corpus import Notice, NoticeMeta, load_corpus
from retrieval.parse import parse_notice
from retrieval.targets import load_targets, to_csv
from retrieval.targets.__main__ import main as targets_cli
from retrieval.targets.extract import extract, extract_notice, theme_names
from retrieval.targets.table import REVIEWS, Target, diff, read_rows, table_path, verify

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sample_notice.md"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(REPO_ROOT / "corpus")


@pytest.fixture(scope="module")
def table():
    return read_rows(REPO_ROOT / "corpus" / "targets.csv")


def test_every_row_quotes_its_notice_exactly_and_holds_its_value(corpus, table):
    problems = [p for row in table for p in verify(row, corpus)]
    assert problems == []
    assert {row.review for row in table} <= set(REVIEWS) - {"pending"}


def test_rerunning_the_rules_finds_exactly_the_reviewed_rows(corpus, table):
    changes = diff(extract(corpus), table)
    appeared = [f"{r.key} «{r.quote}»" for r in changes.appeared]
    vanished = [f"{r.key} «{r.quote}»" for r in changes.vanished]
    assert (appeared, vanished) == ([], [])


def test_the_table_covers_all_five_notices(corpus, table):
    shown = Counter(r.city for r in table if r.shown)
    assert set(shown) == set(corpus.cities)
    assert all(n >= 15 for n in shown.values()), shown
    assert {r.theme for r in table} <= set(theme_names())
    keys = [r.key for r in table]
    assert len(keys) == len(set(keys))


def test_known_targets_are_in_the_table(table):
    shown = {(r.city, r.indicator, r.display_value) for r in table if r.shown}
    assert ("天津", "秸秆综合利用率", "98%") in shown
    assert ("葫芦岛", "单位地区生产总值能耗", "比2020年下降14.5%") in shown
    assert ("石嘴山", "农村地区清洁取暖率", "60%以上") in shown
    assert ("运城", "城市生活垃圾焚烧处理能力占无害化处理能力比重", "75%左右") in shown


def _notice(text: str, script: str = "simplified") -> Notice:
    meta = NoticeMeta(id="demo", file="demo.md", city="示例", province="示例省", title="示例方案",
                      issuer="示例市人民政府", date=None, doc_number=None, script=script)
    parsed = parse_notice(text)
    return Notice(meta=meta, raw=text, clauses=parsed.clauses, chunks=[], dropped_lead="")


def test_rules_read_indicator_year_baseline_and_qualifiers():
    rows = extract_notice(_notice(
        "一、主要目标\n\n到2025年，全市单位地区生产总值能耗比2020年下降14.5%，农村地区清洁取暖率力争达到60%以上。"
        "化学需氧量、氨氮重点工程减排量分别达到4961吨和47吨。依据国发〔2021〕33号文件，PM2.5浓度持续下降。\n"
    ))
    got = {(r.indicator, r.value, r.unit, r.year, r.baseline, r.qualifier) for r in rows}
    assert got == {
        ("单位地区生产总值能耗", "14.5", "%", "2025", "比2020年下降", ""),
        ("农村地区清洁取暖率", "60", "%", "2025", "", "力争、以上"),
        ("化学需氧量重点工程减排量", "4961", "吨", "2025", "", ""),
        ("氨氮重点工程减排量", "47", "吨", "2025", "", ""),
    }
    assert all(r.theme in theme_names() for r in rows)


def test_a_traditional_notice_is_quoted_in_its_own_script():
    rows = extract_notice(_notice("一、目標\n\n到2025年，秸稈綜合利用率達到98%。\n", script="traditional"))
    assert [(r.indicator, r.quote, r.theme) for r in rows] == [("秸秆综合利用率", "秸稈綜合利用率達到98%", "垃圾与固废")]


def test_csv_download_is_formula_safe_and_readable():
    row = Target(key="k", city="天津", notice_id="tianjin", clause="三、", theme="其他", indicator="=HYPERLINK(1)",
                 value="5", unit="%", year="2025", baseline="", qualifier="", quote="+cmd|' /C calc'!A0")
    text = to_csv([row])
    assert text.startswith("\ufeff")
    header, cells = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header[0] == "城市" and cells[2] == "'=HYPERLINK(1)" and cells[8].startswith("'+")


def test_a_new_notice_is_added_the_same_way(tmp_path, monkeypatch, capsys):
    from retrieval.ingest import add_notice

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus_dir)
    monkeypatch.setenv("CIVIC_CORPUS_DIR", str(corpus_dir))
    reset_settings()
    before = len(load_targets())
    meta = NoticeMeta(id="sample", file="sample_notice.md", city="示例", province="示例省", title="示例市节能工作方案",
                      issuer="示例市人民政府", date="2024-03-01", doc_number=None, script="simplified")
    add_notice(FIXTURE, meta, corpus_dir)

    assert targets_cli(["check"]) == 1  # the rules now find rows the table lacks
    assert "APPEARED sample|" in capsys.readouterr().out
    assert targets_cli(["extract", "--write"]) == 0
    new = [r for r in read_rows(table_path()) if r.notice_id == "sample"]
    assert {(r.value, r.unit, r.review) for r in new} == {("95", "%", "pending"), ("70", "%", "pending")}
    assert len(load_targets()) == before  # pending rows are not shown until reviewed
    assert targets_cli(["check"]) == 1 and "PENDING sample|" in capsys.readouterr().out


def test_review_column_says_what_a_person_changed(corpus, table):
    """A confirmed row is exactly what the rules extract; a corrected one differs and says why."""
    fields = ["theme", "indicator", "value", "unit", "year", "baseline", "qualifier", "quote"]
    extracted = {r.key: r for r in extract(corpus)}
    for row in table:
        if row.review in ("confirmed", "corrected"):
            same = all(getattr(row, f) == getattr(extracted[row.key], f) for f in fields)
            assert same == (row.review == "confirmed"), row.key
        if row.review in ("corrected", "rejected", "added"):
            assert row.note, row.key
