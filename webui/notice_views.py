"""Streamlit rendering for the 通知管理 staff page: upload form, parse preview, publishing, targets review.

Every text from a file, a notice or a form goes through ``escape_md`` before Markdown.
Storage calls go through :func:`call`: one transaction each, a refusal (``ValueError``)
or an unreachable database shown as a Chinese message, nothing written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from civic.db import DatabaseUnavailable, default_engine, session_scope
from publishing.models import Notice, TargetRow
from publishing.notices import STATUS_LABELS, Preview
from publishing.targets import EDITABLE, FIELD_LABELS, REVIEW_LABELS
from retrieval.corpus import NoticeMeta
from retrieval.notice_check import split_places
from retrieval.targets import theme_names
from webui.text import escape_md, highlight

T = TypeVar("T")
log = logging.getLogger(__name__)
UNAVAILABLE = "数据库暂时无法连接，本次操作没有保存，请稍后再试。"
PREVIEW_CHUNKS = 4


def call(fn: Callable[[Session], T]) -> T | None:
    """One storage call in its own transaction; a refusal or an outage is shown and None returned."""
    try:
        with session_scope(default_engine()) as session:
            return fn(session)
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
    except DatabaseUnavailable:
        st.error(UNAVAILABLE, icon=":material/error:")
    return None


# -- upload ---------------------------------------------------------------


def upload_form() -> tuple[bytes, str, NoticeMeta] | None:
    """The file and its metadata, once submitted (the checks run in ``publishing.notices.upload``)."""
    with st.form("notice_upload"):
        file = st.file_uploader("通知文件（.txt、.md、.docx 或 .pdf，不超过 20 MB）", type=["txt", "md", "docx", "pdf"])
        c1, c2 = st.columns(2)
        notice_id = c1.text_input("编号（英文小写字母、数字、- 或 _，如 zhengzhou）", max_chars=64)
        script = c2.radio("原文文字", ["simplified", "traditional"], horizontal=True,
                          format_func=lambda s: "简体" if s == "simplified" else "繁体")
        city = c1.text_input("城市（如 郑州）", max_chars=200)
        province = c2.text_input("省份（如 河南省）", max_chars=200)
        districts = st.text_area("区县（用顿号或逗号隔开，如 金水区、中原区、新郑市）", height=80)
        c3, c4 = st.columns(2)
        district_aliases = c3.text_input("区县简称（选填，居民常说的叫法，如 新郑）")
        aliases = c4.text_input("城市别称（选填）")
        title = st.text_input("标题（方案全称）", max_chars=200)
        c5, c6 = st.columns(2)
        issuer = c5.text_input("发文机关", max_chars=200)
        date = c6.text_input("印发日期（选填，如 2022-06-30）", max_chars=10)
        doc_number = st.text_input("发文字号（选填）", max_chars=200)
        submitted = st.form_submit_button("上传并检查", type="primary")
    if not submitted:
        return None
    if file is None:
        st.error("请先选择通知文件。", icon=":material/error:")
        return None
    meta = NoticeMeta(
        id=notice_id, file=file.name, city=city, province=province, title=title, issuer=issuer,
        date=date.strip() or None, doc_number=doc_number.strip() or None, script=script,
        aliases=split_places(aliases), districts=split_places(districts),
        district_aliases=split_places(district_aliases),
    )
    return file.getvalue(), file.name, meta


# -- a stored notice ------------------------------------------------------


def notice_facts(row: Notice) -> None:
    facts = [f"状态：{STATUS_LABELS[row.status]}", row.province, row.issuer, row.date or "印发日期未注明",
             row.doc_number or "无发文字号", f"上传：{row.uploaded_by}（{row.file_name}）"]
    if row.published_at:
        facts.append(f"发布：{row.published_by} {row.published_at:%Y-%m-%d %H:%M}")
    if row.unpublished_at and row.status == "unpublished":
        facts.append(f"撤下：{row.unpublished_by} {row.unpublished_at:%Y-%m-%d %H:%M}")
    st.caption(escape_md(" · ".join(facts)))


def parse_preview(preview: Preview) -> None:
    """The parse summary, the warnings, the clause tree and a few chunks."""
    report = preview.report
    summary = [line for line in report.lines() if not line.startswith("注意：")]
    st.markdown("\n".join(f"- {escape_md(line)}" for line in summary))
    for warning in report.warnings:
        st.warning(escape_md(warning), icon=":material/warning:")
    notice = preview.notice
    with st.expander(f"条款目录（{sum(1 for c in notice.clauses if c.paragraphs or c.level)} 条）", expanded=True):
        lines = []
        for clause in notice.clauses:
            indent = "\u3000" * max(clause.level - 1, 0)
            heading = "" if clause.heading == clause.path else f" {clause.heading}"
            depts = f"（责任单位 {len(clause.departments)} 个）" if clause.departments else ""
            lines.append(escape_md(f"{indent}{clause.path}{heading}{depts}"))
        st.markdown("  \n".join(lines))
    st.markdown(f"**检索片段示例**（共 {len(notice.chunks)} 段，显示前 {min(PREVIEW_CHUNKS, len(notice.chunks))} 段）")
    for chunk in notice.chunks[:PREVIEW_CHUNKS]:
        with st.container(border=True):
            heading = "" if chunk.heading == chunk.clause_path else f" {chunk.heading}"
            st.caption(escape_md(f"{chunk.clause_path}{heading}"))
            st.markdown(escape_md(chunk.text))


# -- targets review -------------------------------------------------------


def rows_table(rows: list[TargetRow]) -> None:
    st.dataframe(pd.DataFrame(
        [(REVIEW_LABELS[r.review], r.theme, r.indicator, f"{r.value}{r.unit}", r.year, r.clause,
          r.reviewed_by or "", f"{r.reviewed_at:%m-%d %H:%M}" if r.reviewed_at else "") for r in rows],
        columns=["状态", "主题", "指标", "目标值", "年份", "条款", "审核人", "审核时间"],
    ), hide_index=True)


def row_label(row: TargetRow) -> str:
    return f"[{REVIEW_LABELS[row.review]}] {row.indicator} {row.value}{row.unit} · {row.clause}"


def review_form(row: TargetRow, clause_text: str) -> tuple[str, dict[str, str], str] | None:
    """Each field of one row, the quote shown in its clause; returns (action, fields, note) when submitted."""
    st.markdown("**原文（高亮处为引用）**")
    st.markdown(highlight(clause_text, [row.quote]) if row.quote in clause_text else escape_md(clause_text))
    if row.quote not in clause_text:
        st.error("这一行的引用已不在条款原文中，请更正。", icon=":material/error:")
    themes = theme_names()
    with st.form(f"review_{row.id}"):
        values = {}
        c1, c2 = st.columns(2)
        values["theme"] = c1.selectbox(FIELD_LABELS["theme"], themes,
                                       index=themes.index(row.theme) if row.theme in themes else len(themes) - 1)
        values["indicator"] = c2.text_input(FIELD_LABELS["indicator"], row.indicator)
        c3, c4, c5 = st.columns(3)
        values["value"] = c3.text_input(FIELD_LABELS["value"], row.value)
        values["unit"] = c4.text_input(FIELD_LABELS["unit"], row.unit)
        values["year"] = c5.text_input(FIELD_LABELS["year"], row.year)
        values["baseline"] = c3.text_input(FIELD_LABELS["baseline"], row.baseline)
        values["qualifier"] = c4.text_input(FIELD_LABELS["qualifier"], row.qualifier)
        values["quote"] = st.text_area(FIELD_LABELS["quote"] + "（须与条款原文一字不差）", row.quote, height=80)
        note = st.text_input("备注（选填；更正时不填则自动记下改了哪些字段）", row.note)
        b1, b2, b3 = st.columns(3)
        action = None
        if b1.form_submit_button("确认无误", type="primary"):
            action = "confirmed"
        if b2.form_submit_button("保存更正"):
            action = "corrected"
        if b3.form_submit_button("拒绝（不是目标）"):
            action = "rejected"
    if action is None:
        return None
    return action, {k: values[k] for k in EDITABLE}, note


def add_row_form(clauses: list[str]) -> tuple[dict[str, str], str] | None:
    themes = theme_names()
    with st.form("target_add"):
        values = {"clause": st.selectbox("条款", clauses)}
        c1, c2 = st.columns(2)
        values["theme"] = c1.selectbox(FIELD_LABELS["theme"], themes)
        values["indicator"] = c2.text_input(FIELD_LABELS["indicator"])
        c3, c4, c5 = st.columns(3)
        values["value"] = c3.text_input(FIELD_LABELS["value"])
        values["unit"] = c4.text_input(FIELD_LABELS["unit"])
        values["year"] = c5.text_input(FIELD_LABELS["year"])
        values["baseline"] = c3.text_input(FIELD_LABELS["baseline"])
        values["qualifier"] = c4.text_input(FIELD_LABELS["qualifier"])
        values["quote"] = st.text_area(FIELD_LABELS["quote"] + "（须与条款原文一字不差）", height=80)
        note = st.text_input("备注（选填）")
        if st.form_submit_button("添加这一行"):
            return values, note
    return None


def events_list(events) -> None:  # noqa: ANN001 - publishing.models.ReviewEvent rows
    """Who reviewed which row, when, and what they changed (newest first)."""
    if not events:
        st.caption("还没有审核记录。")
        return
    lines = []
    for e in events:
        changes = json.loads(e.changes or "{}")
        changed = "；".join(f"{FIELD_LABELS.get(k, k)}：{before or '（空）'} → {after}" for k, (before, after) in changes.items())
        target = e.row_key.split("|")
        lines.append(escape_md(f"{e.at:%Y-%m-%d %H:%M} {e.user} {REVIEW_LABELS.get(e.action, e.action)} "
                               f"{target[1] if len(target) > 2 else ''} {target[2] if len(target) > 2 else e.row_key}"
                               + (f"（{changed}）" if changed and e.action != "added" else "")))
    st.markdown("\n".join(f"- {line}" for line in lines))
