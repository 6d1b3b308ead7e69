"""What leaves the desk: the masked question log as CSV (formula-safe), links and word pairs as JSON.

The JSON moves what staff taught between deployments (``python -m desk export-teachings`` /
``import-teachings``). Importing checks every link's sentence against this deployment's notices
and every pair's notice words, the same as saving one on the page; anything already there is
skipped, so importing twice changes nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from desk.messages import DeskError
from desk.models import Link, WordPair
from desk.review import STATUS_LABELS, Row
from desk.teach import add_link, add_pair, list_links, list_pairs
from desk.text import FORMULA_STARTS
from desk.tunables import to_local
from retrieval.corpus import Corpus

FORMAT = "civic-desk-teachings"
_USER = re.compile(r"[A-Za-z0-9_\-\u4e00-\u9fff]{1,40}")  # a staff account name, as the admin command allows
LOG_HEADER = ["时间", "会话编号", "所选城市", "检索城市", "问题（已遮盖个人信息）", "按此理解", "结果", "问题类型",
              "引用条款", "工作人员关联", "耗时（毫秒）", "评价", "没用原因", "补充说明", "已审阅"]


def safe_cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (OWASP CSV-injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def log_csv(items: list[Row]) -> bytes:
    """The log rows as CSV, UTF-8 with BOM so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(LOG_HEADER)
    for r in items:
        vote = "" if r.useful is None else ("有用" if r.useful else "没用")
        writer.writerow(safe_cell(v) for v in (
            f"{to_local(r.asked_at):%Y-%m-%d %H:%M}", r.conversation[:8], r.city_chosen or "不限城市",
            "、".join(r.cities), r.question, r.rewritten or "", STATUS_LABELS.get(r.status, r.status), r.kind,
            "；".join(f"{n} {c}" for n, c in r.cited), f"L{r.taught_link}" if r.taught_link else "", r.latency_ms,
            vote, "、".join(r.reasons), r.comment, "是" if r.reviewed_at else "否",
        ))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def teachings_json(*, session: Session) -> dict:
    """The active links and word pairs, with who made them and when."""
    return {
        "format": FORMAT,
        "version": 1,
        "links": [
            {"question": r.question, "notice_id": r.notice_id, "clause_path": r.clause_path, "quote": r.quote,
             "created_by": r.created_by, "created_at": r.created_at.isoformat(timespec="seconds")}
            for r in list_links(session=session, include_undone=False)
        ],
        "pairs": [
            {"everyday": r.everyday, "notice_words": r.notice_words.split("、"), "created_by": r.created_by,
             "created_at": r.created_at.isoformat(timespec="seconds")}
            for r in list_pairs(session=session, include_undone=False)
        ],
    }


@dataclass
class ImportReport:
    links: int = 0
    pairs: int = 0
    skipped: int = 0  # already here
    refused: list[str] = field(default_factory=list)  # "link 3: 所选句子不在该条款中…"


def import_teachings(*, session: Session, data: object, imported_by: str, corpus: Corpus) -> ImportReport:
    """Add the file's links and pairs that are not here yet; each is checked like one saved on the page.

    Who made an item and when come with it; ``imported_by`` is recorded where the file names nobody.
    A refused item is reported, not added; the rest still are.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DeskError("import_invalid", detail=f"不是{FORMAT}文件")
    links, pairs = data.get("links", []), data.get("pairs", [])
    if not isinstance(links, list) or not isinstance(pairs, list):
        raise DeskError("import_invalid", detail="links 和 pairs 应为列表")
    report = ImportReport()
    for n, item in enumerate(links, start=1):
        try:
            with session.begin_nested():
                link = add_link(session=session, question=_text(item, "question"), notice_id=_text(item, "notice_id"),
                                clause_path=_text(item, "clause_path"), quote=_text(item, "quote"),
                                created_by=_by(item, imported_by), corpus=corpus)
                _keep_time(link, item)
            report.links += 1
        except DeskError as err:
            _refused(report, f"关联 {n}", err)
    for n, item in enumerate(pairs, start=1):
        try:
            with session.begin_nested():
                words = item.get("notice_words") if isinstance(item, dict) else None
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    raise DeskError("import_invalid", detail="notice_words 应为文字列表")
                pair = add_pair(session=session, everyday=_text(item, "everyday"), notice_words=words,
                                created_by=_by(item, imported_by), corpus=corpus)
                _keep_time(pair, item)
            report.pairs += 1
        except DeskError as err:
            _refused(report, f"词语对应 {n}", err)
    return report


def _refused(report: ImportReport, what: str, err: DeskError) -> None:
    if err.code in ("link_exists", "pair_exists"):
        report.skipped += 1
    else:
        report.refused.append(f"{what}：{err.message}")


def _text(item: object, key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, str):
        raise DeskError("import_invalid", detail=f"缺少 {key}")
    return value


def _by(item: dict, fallback: str) -> str:
    value = item.get("created_by")
    return value if isinstance(value, str) and _USER.fullmatch(value) else fallback


def _keep_time(row: Link | WordPair, item: dict) -> None:
    with contextlib.suppress(KeyError, TypeError, ValueError):
        row.created_at = datetime.fromisoformat(item["created_at"]).replace(tzinfo=None)
