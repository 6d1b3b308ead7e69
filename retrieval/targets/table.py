"""The reviewed table of quantitative targets: rows, the CSV file, checks and diffs.

``corpus/targets.csv`` holds one row per target the rules extracted, with a
``review`` column saying what a person did with it:

- ``pending``: extracted, not yet reviewed (not shown in the app);
- ``confirmed``: checked against the clause, kept as extracted;
- ``corrected``: checked and some field fixed by hand (the ``note`` says what);
- ``added``: missed by the rules and added by hand (``key`` starts with ``manual|``);
- ``rejected``: extracted but not a target (a threshold, a past figure…); kept so
  that re-running the rules does not bring it back as new.

``key`` is the extraction's identity of a row (notice, clause, value and unit,
occurrence), so a correction never changes it and :func:`diff` can tell which
rows a new run of the rules found or lost.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from civic.settings import get_settings
from retrieval.corpus import Corpus, find_clause
from retrieval.textnorm import match_key

log = logging.getLogger(__name__)
FILE_NAME = "targets.csv"
REVIEWS = ("pending", "confirmed", "corrected", "added", "rejected")
SHOWN = ("confirmed", "corrected", "added")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHANGE_VERBS = ("下降", "降低", "减少", "提高", "提升", "增长", "增加", "上升")


@dataclass
class Target:
    key: str
    city: str
    notice_id: str
    clause: str
    theme: str
    indicator: str  # Simplified, for comparing across cities
    value: str  # the number as written in the quote
    unit: str
    year: str
    baseline: str
    qualifier: str
    quote: str  # exact text of the clause, the notice's own script
    review: str = "pending"
    note: str = ""

    @property
    def shown(self) -> bool:
        return self.review in SHOWN

    @property
    def number(self) -> float:
        return float(self.value)

    @property
    def display_value(self) -> str:
        """The value as a resident reads it: 90%以上, 200MW, 比2020年下降14.5%."""
        after = "".join(q for q in ("以上", "左右", "以内", "以下") if q in self.qualifier.split("、"))
        change = self.baseline if self.baseline.endswith(_CHANGE_VERBS) else ""
        return f"{change}{self.value}{self.unit}{after}"


COLUMNS = [f.name for f in fields(Target)]


def table_path(corpus_dir: Path | None = None) -> Path:
    return (corpus_dir or get_settings().corpus_dir) / FILE_NAME


def read_rows(path: Path) -> list[Target]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [Target(**{k: (row.get(k) or "") for k in COLUMNS}) for row in csv.DictReader(fh)]


def write_rows(path: Path, rows: list[Target]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(r) for r in rows)


def load_targets(corpus_dir: Path | None = None) -> list[Target]:
    """The reviewed targets shown in the app (pending and rejected rows left out): the table's,
    then those reviewed by staff for notices they published (handed in by the app's provider)."""
    bundled = [r for r in read_rows(table_path(corpus_dir)) if r.shown]
    have = {r.notice_id for r in bundled}
    _, provided = provided_targets()
    return bundled + [r for r in provided if r.shown and r.notice_id not in have]


TargetsProvider = Callable[[], tuple[str, tuple[Target, ...]]]
_provider: TargetsProvider | None = None


def set_targets_provider(provider: TargetsProvider | None) -> None:
    """Register (or with None, remove) the app's source of staff-reviewed target rows."""
    global _provider
    _provider = provider


def provided_targets() -> tuple[str, tuple[Target, ...]]:
    """The provider's version and rows; ("", ()) without one, and when it fails (logged)."""
    provider = _provider
    if provider is None:
        return "", ()
    try:
        return provider()
    except Exception:  # noqa: BLE001 - any storage error: the bundled table still answers
        log.exception("reviewed targets of published notices could not be read")
        return "unavailable", ()


def targets_version(corpus_dir: Path | None = None) -> str:
    """Changes whenever the rows :func:`load_targets` returns may have changed (for caches)."""
    path = table_path(corpus_dir)
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return f"{mtime}:{provided_targets()[0]}"


def _safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: list[Target]) -> str:
    """The shown columns as CSV for download (UTF-8 with BOM so spreadsheets read Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # a bare \r in a cell is then quoted, not a new row
    header = ["城市", "主题", "指标", "目标值", "单位", "目标年份", "基准", "限定词", "原文", "条款"]
    writer.writerow(header)
    for r in rows:
        cells = [r.city, r.theme, r.indicator, r.value, r.unit, r.year, r.baseline, r.qualifier, r.quote, r.clause]
        writer.writerow([_safe_cell(c) for c in cells])
    return "\ufeff" + out.getvalue()


# -- checks --------------------------------------------------------------


def verify(row: Target, corpus: Corpus) -> list[str]:
    """Problems with one row: its quote must stand in its clause and its value in its quote."""
    return [f"{row.key}: {english}" for _, english, _ in _problems(row, corpus)]


def problems_for_staff(row: Target, corpus: Corpus) -> list[str]:
    """The same checks as :func:`verify`, said in Chinese for the staff review page."""
    return [chinese for _, _, chinese in _problems(row, corpus)]


def _problems(row: Target, corpus: Corpus) -> list[tuple[str, str, str]]:
    problems = []
    notice = corpus.notices.get(row.notice_id)
    clause = find_clause(row.notice_id, row.clause, corpus)
    if notice is None or clause is None:
        return [("clause", f"clause {row.notice_id} {row.clause} not found", f"找不到条款 {row.clause}")]
    if notice.meta.city != row.city:
        problems.append(("city", f"city {row.city} is not the notice's city {notice.meta.city}",
                         f"城市“{row.city}”不是这份通知的城市（{notice.meta.city}）"))
    if row.quote not in clause.text:
        problems.append(("quote", f"quote is not an exact substring of clause {row.clause}",
                         f"原文引用必须是条款 {row.clause} 里一字不差的一段"))
    if match_key(row.quote) not in match_key(notice.raw):
        problems.append(("file", "quote is not in the notice file", "原文引用不在通知文件里"))
    if row.value not in match_key(row.quote):
        problems.append(("value", f"value {row.value} is not in the quote", f"目标值 {row.value} 不在原文引用里"))
    try:
        row.number  # noqa: B018 - a value must be a number
    except ValueError:
        problems.append(("number", f"value {row.value!r} is not a number", f"目标值“{row.value}”不是数字"))
    if row.review not in REVIEWS:
        problems.append(("review", f"unknown review {row.review!r}", f"未知的审核状态“{row.review}”"))
    return problems


@dataclass
class Diff:
    appeared: list[Target]  # extracted now, not in the table
    vanished: list[Target]  # in the table from extraction, not extracted now


def diff(extracted: list[Target], table: list[Target]) -> Diff:
    have = {r.key for r in table}
    found = {r.key for r in extracted}
    return Diff(
        appeared=[r for r in extracted if r.key not in have],
        vanished=[r for r in table if r.review != "added" and r.key not in found],
    )


def merge(extracted: list[Target], table: list[Target]) -> list[Target]:
    """The table with newly extracted rows added as pending, reviewed rows kept as they are.

    Rows that vanished from extraction are kept (a person decides); the order
    follows the extraction, with hand-added and vanished rows after their notice.
    """
    by_key = {r.key: r for r in table}
    out: list[Target] = []
    extracted_keys = {r.key for r in extracted}
    for notice_id in dict.fromkeys([r.notice_id for r in extracted] + [r.notice_id for r in table]):
        out += [by_key.get(r.key, r) for r in extracted if r.notice_id == notice_id]
        out += [r for r in table if r.notice_id == notice_id and r.key not in extracted_keys]
    return out
