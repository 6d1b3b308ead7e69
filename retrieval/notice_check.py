"""Checking a new notice before it joins the corpus, and saying what was found in it.

One path for the command line (``python -m retrieval.ingest --add``) and the staff
upload page: :func:`prepare` takes the file's bytes and the metadata, refuses
what must not be added (with a Chinese message, as ``ValueError``) and returns
the parsed notice with a :class:`ParseReport` — clauses by level, chunks,
departments, the reprint lead that was dropped, and warnings such as a file far
shorter than a notice, no headings, or text shared with a notice already there.
"""

from __future__ import annotations

import io
import re
import tempfile
import tomllib
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from retrieval.corpus import (
    Corpus,
    Notice,
    NoticeMeta,
    build_notice_from_text,
    read_notice_text,
    split_sentences,
    tunables,
)
from retrieval.places import city_names
from retrieval.textnorm import match_key, to_simplified

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
_ID = re.compile(r"[a-z0-9][a-z0-9_\-]*")
_UNSAFE_META = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069<>]")
# What each metadata field is called on the form, with its command-line flag.
LABELS = {
    "city": "城市（--city）", "province": "省份（--province）", "title": "标题（--title）",
    "issuer": "发文机关（--issuer）", "date": "印发日期（--date）", "doc_number": "发文字号（--doc-number）",
    "aliases": "城市别称（--aliases）", "districts": "区县（--districts）",
    "district_aliases": "区县简称（--district-aliases）",
}
LEVEL_NAMES = {0: "通知/前言", 1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}
_PLACE_SEPARATORS = re.compile(r"[，,、；;\s]+")


@lru_cache(maxsize=1)
def limits() -> dict:
    with open(Path(__file__).parent / "data" / "notice_checks.toml", "rb") as fh:
        return tomllib.load(fh)


def split_places(text: str | None) -> tuple[str, ...]:
    """"金水区、中原区 二七区" → ("金水区", "中原区", "二七区")."""
    return tuple(dict.fromkeys(p for p in _PLACE_SEPARATORS.split(text or "") if p))


def normalise_meta(meta: NoticeMeta) -> NoticeMeta:
    """Trim every field; a city given as 郑州市 is stored as 郑州 (questions name it either way)."""
    def clean(value: str | None) -> str | None:
        return value.strip() if isinstance(value, str) else value

    city = clean(meta.city) or ""
    if len(city) > 2 and city.endswith("市"):
        city = city[:-1]
    return replace(
        meta, city=city, province=clean(meta.province), title=clean(meta.title), issuer=clean(meta.issuer),
        date=clean(meta.date) or None, doc_number=clean(meta.doc_number) or None,
        aliases=tuple(a for a in meta.aliases if a != city),
    )


def check_meta(meta: NoticeMeta) -> None:
    """The id becomes a file name and every field is shown to residents: refuse what could do harm."""
    ingest_limits = tunables()["ingest"]
    if not _ID.fullmatch(meta.id or "") or len(meta.id) > ingest_limits["max_id_chars"]:
        raise ValueError(f"编号只能使用小写英文字母、数字、- 和 _，以字母或数字开头，最长 {ingest_limits['max_id_chars']} 个字符")
    max_chars = ingest_limits["max_meta_chars"]
    for name in ("city", "province", "title", "issuer", "date", "doc_number"):
        value = getattr(meta, name)
        if value is None and name in ("date", "doc_number"):
            continue
        if not (value or "").strip() or len(value) > max_chars or _UNSAFE_META.search(value):
            raise ValueError(f"{LABELS[name]} 须为不超过 {max_chars} 个字的普通文字（不能含控制字符或 < >）")
    for name in ("aliases", "districts", "district_aliases"):
        values = getattr(meta, name)
        if len(values) > limits()["max_places"]:
            raise ValueError(f"{LABELS[name]} 最多 {limits()['max_places']} 个")
        for value in values:
            if len(value) > 40 or _UNSAFE_META.search(value) or _PLACE_SEPARATORS.search(value):
                raise ValueError(f"{LABELS[name]} 里的“{value[:20]}”不是一个地名（多个地名用顿号或逗号隔开）")
    if meta.script not in ("simplified", "traditional"):
        raise ValueError("文字须为简体（simplified）或繁体（traditional）")
    if meta.date is not None:
        try:
            date.fromisoformat(meta.date)
        except ValueError:
            raise ValueError(f"{LABELS['date']} 须为 2024-01-01 这样的日期") from None


def check_size(data: bytes) -> None:
    limit = tunables()["ingest"]["max_file_bytes"]
    if len(data) > limit:
        raise ValueError(f"文件太大：通知文件不能超过 {limit // 1_000_000} MB")
    if not data.strip():
        raise ValueError("文件是空的")


def check_content(data: bytes, suffix: str) -> None:
    """The bytes must be what the suffix says; a .docx must not unzip into a bomb."""
    ingest_limits = tunables()["ingest"]
    if suffix in (".txt", ".md"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:  # not text at all, or UTF-16
            raise ValueError(f"{suffix} 文件须为 UTF-8 编码的纯文本（GBK 等编码请先另存为 UTF-8）")
        check_length(text)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise ValueError("这个 .pdf 文件实际上不是 PDF")
        from pypdf import PdfReader

        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on a broken file
            raise ValueError("无法读取这个 PDF 文件（文件可能已损坏或加密）") from None
        if pages > ingest_limits["max_pdf_pages"]:
            raise ValueError(f"PDF 页数太多（{pages} 页，最多 {ingest_limits['max_pdf_pages']} 页）")
    elif suffix == ".docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unzipped = sum(i.file_size for i in archive.infolist())
        except zipfile.BadZipFile:
            raise ValueError("这个 .docx 文件实际上不是 Word 文档") from None
        if "word/document.xml" not in names:
            raise ValueError("这个 .docx 文件实际上不是 Word 文档")
        if unzipped > ingest_limits["max_unzipped_bytes"]:
            raise ValueError(f"这个 .docx 文件解压后超过 {ingest_limits['max_unzipped_bytes'] // 1_000_000} MB，拒绝读取")


def check_length(text: str) -> None:
    limit = tunables()["ingest"]["max_text_chars"]
    if len(text) > limit:
        raise ValueError(f"文件里的文字太多（超过 {limit} 字），不像一份通知")


def read_text(data: bytes, suffix: str) -> str:
    """The notice's plain text, read from a private copy of the bytes."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"notice{suffix}"
        path.write_bytes(data)
        try:
            return read_notice_text(path)
        except Exception:  # noqa: BLE001 - the readers raise many kinds of errors on a broken file
            raise ValueError("无法读取这个文件的内容（文件可能已损坏）") from None


@dataclass
class ParseReport:
    chars: int
    clauses_by_level: dict[int, int]
    chunks: int
    departments: int  # distinct responsible departments named in brackets
    clauses_with_departments: int
    lead: str  # the reprint lead that was dropped ("" if none)
    title_only: list[str]  # 通知/前言 lines with no sentence, dropped
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as a person reads it (the CLI prints these; the staff page shows them)."""
        levels = "，".join(f"{LEVEL_NAMES[lv]} {n}" for lv, n in sorted(self.clauses_by_level.items()))
        out = [
            f"全文 {self.chars} 字",
            f"条款 {sum(self.clauses_by_level.values())} 条（{levels or '无'}）",
            f"检索片段 {self.chunks} 段",
            f"责任单位：{self.clauses_with_departments} 条注明，共 {self.departments} 个部门",
        ]
        if self.lead:
            preview = self.lead.replace("\n", " ")[: limits()["lead_preview_chars"]]
            out.append(f"已去掉开头的转载导语 {len(self.lead)} 字：“{preview}……”")
        else:
            out.append("没有转载导语")
        if self.title_only:
            out.append("只有标题、没有正文的部分不作为条款：" + "；".join(f"“{t[:40]}”" for t in self.title_only))
        return out + [f"注意：{w}" for w in self.warnings]


@dataclass
class Prepared:
    meta: NoticeMeta
    notice: Notice
    report: ParseReport


def prepare(data: bytes, suffix: str, meta: NoticeMeta, corpus: Corpus) -> Prepared:
    """Every check, then the parse; raises ValueError (Chinese message) for what must not be added.

    ``corpus`` is every notice there now (bundled and published): ids, cities and
    texts are compared with it.
    """
    suffix = suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"只支持 {', '.join(SUPPORTED)} 格式的通知文件")
    meta = normalise_meta(meta)
    check_meta(meta)
    if meta.id in corpus.notices:
        raise ValueError(f"编号 {meta.id} 已存在")
    if (other := corpus.by_city(meta.city)) is not None:
        raise ValueError(f"{meta.city}已有通知（编号 {other.meta.id}），一个城市只能有一份通知")
    check_size(data)
    check_content(data, suffix)
    meta = replace(meta, file=f"{meta.id}{suffix}")
    text = read_text(data, suffix)
    check_length(text)
    notice = build_notice_from_text(meta, text)
    if not notice.chunks:
        raise ValueError("没有从文件中读出任何条款文字")
    if (same := _same_text(notice, corpus)) is not None:
        raise ValueError(f"这份文件与已有通知 {same.meta.id}（{same.meta.city}）的文字完全相同，未添加")
    return Prepared(meta=meta, notice=notice, report=report(notice, corpus))


def _text_key(notice: Notice) -> str:
    return match_key("".join(c.text for c in notice.chunks))


def _same_text(notice: Notice, corpus: Corpus) -> Notice | None:
    key, raw = _text_key(notice), match_key(notice.raw)
    return next((n for n in corpus.notices.values() if _text_key(n) == key or match_key(n.raw) == raw), None)


def report(notice: Notice, corpus: Corpus) -> ParseReport:
    levels = Counter(c.level for c in notice.clauses if c.paragraphs or c.level)
    departments = {d for c in notice.clauses for d in c.departments}
    parsed = ParseReport(
        chars=len(notice.raw.strip()),
        clauses_by_level=dict(levels),
        chunks=len(notice.chunks),
        departments=len(departments),
        clauses_with_departments=sum(1 for c in notice.clauses if c.departments),
        lead=notice.dropped_lead,
        title_only=list(notice.title_only),
    )
    parsed.warnings = warnings(notice, corpus)
    return parsed


def warnings(notice: Notice, corpus: Corpus) -> list[str]:
    cfg = limits()
    out = []
    chars = len(notice.raw.strip())
    if chars < cfg["min_chars"]:
        out.append(f"全文只有 {chars} 字，远短于一份完整的方案（通常上万字），请确认文件是否完整")
    if not any(c.level for c in notice.clauses):
        out.append("没有找到“一、”“（一）”“1.”这样的标题，全文只能按段落检索，引用时没有条款编号")
    if (shared := _shared_with(notice, corpus)) is not None:
        other, share = shared
        out.append(f"与已有通知 {other.meta.id}（{other.meta.city}）有 {share:.0%} 的句子相同，可能是同一份通知")
    changed = _traditional_share(notice.raw)
    if notice.meta.script == "simplified" and changed >= cfg["script_mismatch"]:
        out.append("文字看起来是繁体，但“文字”选的是简体")
    elif notice.meta.script == "traditional" and changed < cfg["script_mismatch"] / 3:
        out.append("文字看起来是简体，但“文字”选的是繁体")
    for name in (*notice.meta.districts, *notice.meta.district_aliases):
        owners = [c for c in corpus.cities if c != notice.meta.city and name in city_names(c)]
        if owners:
            out.append(f"“{name}”也是{'、'.join(owners)}的地名：问题里提到它时会同时查找这几个城市")
    return out


def _sentences(notice: Notice) -> set[str]:
    shortest = limits()["min_sentence_chars"]
    return {k for c in notice.chunks for s in split_sentences(c.text) if len(k := match_key(s)) >= shortest}


def _shared_with(notice: Notice, corpus: Corpus) -> tuple[Notice, float] | None:
    mine = _sentences(notice)
    if not mine:
        return None
    best = max(((n, len(mine & _sentences(n)) / len(mine)) for n in corpus.notices.values()),
               key=lambda pair: pair[1], default=None)
    return best if best and best[1] >= limits()["shared_sentences"] else None


def _traditional_share(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    sample = "".join(cjk[:20000])
    return sum(a != b for a, b in zip(sample, to_simplified(sample), strict=False)) / len(sample)
