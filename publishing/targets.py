"""Target rows of published notices: extracted as pending, reviewed by staff, recorded.

The rows and review states are those of ``corpus/targets.csv``
(:mod:`retrieval.targets.table`): ``pending`` (never shown), ``confirmed`` (exactly as
extracted), ``corrected`` (a field changed; the note says which), ``added`` (missed by
the rules) and ``rejected``. Every save runs the checks of ``python -m retrieval.targets
check`` on the row (quote an exact substring of its clause and of the file, value in the
quote, a number); a row that fails is not saved. Each review is kept as an event: who,
what, when, and which fields changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from publishing.models import Notice, ReviewEvent, TargetRow
from publishing.notices import utcnow
from publishing.versions import bump
from retrieval.corpus import Corpus
from retrieval.corpus import Notice as ParsedNotice
from retrieval.targets import Target
from retrieval.targets.extract import extract_notice
from retrieval.targets.table import problems_for_staff

EDITABLE = ("theme", "indicator", "value", "unit", "year", "baseline", "qualifier", "quote")
FIELD_LABELS = {"theme": "主题", "indicator": "指标", "value": "目标值", "unit": "单位", "year": "目标年份",
                "baseline": "基准", "qualifier": "限定词", "quote": "原文", "clause": "条款"}
REVIEW_LABELS = {"pending": "待审核", "confirmed": "已确认", "corrected": "已更正", "added": "已添加",
                 "rejected": "已拒绝"}
_TARGET_FIELDS = [f.name for f in fields(Target)]


def to_target(row: TargetRow, city: str) -> Target:
    return Target(**{name: getattr(row, name) for name in _TARGET_FIELDS if name != "city"}, city=city)


def add_extracted(*, session: Session, notice: ParsedNotice) -> int:
    """The rules' rows for a notice being published, as pending; rows already reviewed stay as they are."""
    have = {r.key for r in session.scalars(select(TargetRow).where(TargetRow.notice_id == notice.meta.id))}
    start = session.scalar(select(func.count()).where(TargetRow.notice_id == notice.meta.id)) or 0
    added = 0
    for n, target in enumerate(extract_notice(notice)):
        if target.key in have:
            continue
        values = {k: v for k, v in asdict(target).items() if k not in ("city", "review", "note")}
        session.add(TargetRow(**values, position=start + n, review="pending", note=""))
        added += 1
    session.flush()
    return added


def rows_for(*, session: Session, notice_id: str) -> list[TargetRow]:
    return list(session.scalars(select(TargetRow).where(TargetRow.notice_id == notice_id)
                                .order_by(TargetRow.position, TargetRow.id)))


def shown_rows(*, session: Session) -> tuple[Target, ...]:
    """Reviewed rows (confirmed, corrected, added) of the published notices, for the app."""
    query = (select(TargetRow, Notice.city).join(Notice, Notice.id == TargetRow.notice_id)
             .where(Notice.status == "published", TargetRow.review.in_(("confirmed", "corrected", "added")))
             .order_by(Notice.published_at, TargetRow.position, TargetRow.id))
    return tuple(to_target(row, city) for row, city in session.execute(query).all())


def review(*, session: Session, row_id: int, action: str, user: str, corpus: Corpus,
           changes: dict[str, str] | None = None, note: str = "") -> TargetRow:
    """Confirm, correct (with changed fields) or reject one row; returns it.

    ``confirmed`` keeps the row exactly as extracted (no changes allowed); ``corrected``
    needs at least one changed field; every saved row must pass the table's checks.
    """
    row = session.get(TargetRow, row_id)
    if row is None:
        raise ValueError("找不到这一行目标")
    notice = session.get(Notice, row.notice_id)
    changes = {k: v.strip() for k, v in (changes or {}).items() if k in EDITABLE}
    changed = {k: (getattr(row, k), v) for k, v in changes.items() if v != getattr(row, k)}
    if action == "confirmed" and changed:
        raise ValueError("改动了字段的行请选“保存更正”，“确认”表示与提取结果完全一致")
    if action == "corrected" and not changed:
        raise ValueError("没有改动任何字段；如果提取结果无误，请选“确认”")
    if action not in ("confirmed", "corrected", "rejected"):
        raise ValueError("未知的审核操作")
    candidate = replace(to_target(row, notice.city), **{k: after for k, (_, after) in changed.items()}, review=action)
    if action != "rejected":
        _check(candidate, corpus)
    for key, (_, after) in changed.items():
        setattr(row, key, after)
    auto_note = "改了" + "、".join(FIELD_LABELS[k] for k in changed) if changed else ""
    row.review, row.note = action, (note.strip() or auto_note)
    row.reviewed_by, row.reviewed_at = user, utcnow()
    _record(session, row, action, changed, user)
    return row


def add_row(*, session: Session, notice_id: str, values: dict[str, str], user: str, corpus: Corpus,
            note: str = "") -> TargetRow:
    """A target the rules missed, added by hand (``added``), checked like every other row."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.status != "published":
        raise ValueError("只能为已发布的通知添加目标")
    values = {k: (values.get(k) or "").strip() for k in (*EDITABLE, "clause")}
    count = session.scalar(select(func.count()).where(TargetRow.notice_id == notice_id)) or 0
    key = f"manual|{notice_id}|{values['clause']}|{values['value']}{values['unit']}|{count + 1}"
    candidate = Target(key=key, city=notice.city, notice_id=notice_id, review="added", note=note.strip(), **values)
    _check(candidate, corpus)
    row = TargetRow(notice_id=notice_id, key=key, position=count, review="added", note=note.strip() or "人工添加",
                    reviewed_by=user, reviewed_at=utcnow(), **values)
    session.add(row)
    session.flush()
    _record(session, row, "added", {k: ("", v) for k, v in values.items() if v}, user)
    return row


def events_for(*, session: Session, notice_id: str) -> list[ReviewEvent]:
    return list(session.scalars(select(ReviewEvent).where(ReviewEvent.notice_id == notice_id)
                                .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())))


def _check(target: Target, corpus: Corpus) -> None:
    if not target.indicator:
        raise ValueError("请填写指标")
    problems = problems_for_staff(target, corpus)
    if problems:
        raise ValueError("；".join(problems) + "。未保存。")


def _record(session: Session, row: TargetRow, action: str, changed: dict, user: str) -> None:
    session.add(ReviewEvent(notice_id=row.notice_id, row_key=row.key, action=action, user=user, at=utcnow(),
                            changes=json.dumps({k: list(v) for k, v in changed.items()}, ensure_ascii=False)))
    bump(session=session, name="targets")
