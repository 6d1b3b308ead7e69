"""CSV exports: no cell a spreadsheet would run as a formula, checked by reading the file back."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pledges.export import signatures_csv
from pledges.stats import SignatureRow
from pledges.validation import FORMULA_STARTS
from tests.hostile.strategies import FAST, hostile_text

FORMULA = ("=", "+", "-", "@", "\t", "\r")
INJECTIONS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "=HYPERLINK(\"http://evil\",\"x\")",
              "＝1+1", "＠SUM(A1)"]
cell_text = st.one_of(hostile_text(30), st.sampled_from(INJECTIONS),
                      st.builds(lambda a, b: a + b, st.sampled_from(FORMULA), hostile_text(10)))


def read_back(data: str) -> list[list[str]]:
    assert data.startswith("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
    return list(csv.reader(io.StringIO(data[1:], newline="")))


def neutral(original: str, cell: str, starts: tuple[str, ...] = FORMULA) -> None:
    """The cell reads back as the original text, with a ' in front exactly when it would start a formula."""
    if original.startswith(starts):
        assert cell == "'" + original
    else:
        assert cell == original
    assert not cell.startswith(starts)


@FAST
@given(st.lists(st.tuples(cell_text, cell_text, st.one_of(st.none(), cell_text), st.lists(cell_text, max_size=3)),
                min_size=1, max_size=4))
def test_signature_export_neutralises_every_formula(rows):
    data = [SignatureRow(ref="ABCDEFGH23", created_at=datetime(2026, 3, 1, 4, 0), city=city, district=district,
                         display_name=name, name_hidden=False, items=items, checkins=0)
            for city, district, name, items in rows]
    table = read_back(signatures_csv(data).decode("utf-8"))
    assert len(table) == len(rows) + 1
    for (city, district, name, items), cells in zip(rows, table[1:], strict=True):
        neutral(city, cells[2], FORMULA_STARTS)  # the pledge export also treats ＝＋－＠ as formulas
        neutral(district, cells[3], FORMULA_STARTS)
        neutral(name or "", cells[4], FORMULA_STARTS)
        neutral("；".join(items), cells[6], FORMULA_STARTS)
        assert cells[0] == "ABCDEFGH23" and cells[7] == "0"


def _targets_rows(values: list[str]):
    targets = pytest.importorskip("retrieval.targets")  # the targets table (another issue) may not exist yet
    fields = ["city", "theme", "indicator", "value", "unit", "year", "baseline", "qualifier", "quote", "clause"]
    rows = [targets.Target(key=f"k{n}", notice_id="dingzhou",
                           **{f: values[(n + i) % len(values)] for i, f in enumerate(fields)})
            for n in range(len(values))]
    return targets, fields, rows


def test_targets_export_neutralises_every_formula():
    targets, fields, rows = _targets_rows([s for s in INJECTIONS if s.startswith(("=", "+", "-", "@", "\t"))])
    table = read_back(targets.to_csv(rows))
    for row, cells in zip(rows, table[1:], strict=True):
        for field, cell in zip(fields, cells, strict=True):
            neutral(getattr(row, field), cell)


def test_targets_export_keeps_a_carriage_return_inside_its_cell():
    targets, fields, rows = _targets_rows(["\r=1+1", "说明\r=HYPERLINK(\"http://evil\")"])
    table = read_back(targets.to_csv(rows))
    assert len(table) == len(rows) + 1
    for row, cells in zip(rows, table[1:], strict=True):
        for field, cell in zip(fields, cells, strict=True):
            neutral(getattr(row, field), cell)
