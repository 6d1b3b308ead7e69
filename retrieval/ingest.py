"""Build or update the search index; add a notice to the corpus.

    python -m retrieval.ingest [--rebuild]
    python -m retrieval.ingest --add FILE --id ID --city 城市 --province 省 --title 标题 \
        --issuer 发文机关 [--date 2024-01-01] [--doc-number 文号] [--script simplified|traditional]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import stat
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

from civic.settings import get_settings
from retrieval.corpus import NoticeMeta, build_notice, load_corpus, read_manifest, tunables
from retrieval.index import sync

SUPPORTED = (".txt", ".md", ".docx", ".pdf")
_ID = re.compile(r"[a-z0-9][a-z0-9_\-]*")
_UNSAFE_META = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069<>]")


def check_meta(meta: NoticeMeta) -> None:
    """The id becomes a file name and every field is shown to residents: refuse what could do harm."""
    limits = tunables()["ingest"]
    if not _ID.fullmatch(meta.id or "") or len(meta.id) > limits["max_id_chars"]:
        raise ValueError(f"编号只能使用小写英文字母、数字、- 和 _，以字母或数字开头，最长 {limits['max_id_chars']} 个字符")
    for name in ("city", "province", "title", "issuer", "date", "doc_number"):
        value = getattr(meta, name)
        if value is None and name in ("date", "doc_number"):
            continue
        if not (value or "").strip() or len(value) > limits["max_meta_chars"] or _UNSAFE_META.search(value):
            raise ValueError(f"--{name.replace('_', '-')} 须为不超过 {limits['max_meta_chars']} 个字的普通文字"
                             "（不能含控制字符或 < >）")
    if meta.date is not None:
        try:
            date.fromisoformat(meta.date)
        except ValueError:
            raise ValueError("--date 须为 2024-01-01 这样的日期") from None


def read_source(source: Path) -> bytes:
    """The bytes of a regular file, never through a symlink, refused above the size limit."""
    limit = tunables()["ingest"]["max_file_bytes"]
    try:
        info = os.lstat(source)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        raise ValueError(f"找不到文件：{source}") from None
    if stat.S_ISLNK(info.st_mode):
        raise ValueError("不接受符号链接，请直接指定通知文件本身")
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("指定的不是普通文件（可能是文件夹），请指定通知文件本身")
    fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # no race with a swapped-in link
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ValueError("指定的不是普通文件，请指定通知文件本身")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"文件太大：通知文件不能超过 {limit // 1_000_000} MB")
    if not data.strip():
        raise ValueError("文件是空的")
    return data


def check_content(data: bytes, suffix: str) -> None:
    """The bytes must be what the suffix says; a .docx must not unzip into a bomb."""
    limits = tunables()["ingest"]
    if suffix in (".txt", ".md"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:  # not text at all, or UTF-16
            raise ValueError(f"{suffix} 文件须为 UTF-8 编码的纯文本（GBK 等编码请先另存为 UTF-8）")
        _check_length(text)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise ValueError("这个 .pdf 文件实际上不是 PDF")
        from pypdf import PdfReader

        try:
            pages = len(PdfReader(io.BytesIO(data)).pages)
        except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on a broken file
            raise ValueError("无法读取这个 PDF 文件（文件可能已损坏或加密）") from None
        if pages > limits["max_pdf_pages"]:
            raise ValueError(f"PDF 页数太多（{pages} 页，最多 {limits['max_pdf_pages']} 页）")
    elif suffix == ".docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unzipped = sum(i.file_size for i in archive.infolist())
        except zipfile.BadZipFile:
            raise ValueError("这个 .docx 文件实际上不是 Word 文档") from None
        if "word/document.xml" not in names:
            raise ValueError("这个 .docx 文件实际上不是 Word 文档")
        if unzipped > limits["max_unzipped_bytes"]:
            raise ValueError(f"这个 .docx 文件解压后超过 {limits['max_unzipped_bytes'] // 1_000_000} MB，拒绝读取")


def _check_length(text: str) -> None:
    limit = tunables()["ingest"]["max_text_chars"]
    if len(text) > limit:
        raise ValueError(f"文件里的文字太多（超过 {limit} 字），不像一份通知")


def add_notice(source: Path, meta: NoticeMeta, corpus_dir: Path) -> NoticeMeta:
    """Copy a notice file into the corpus and record it in the manifest.

    Every check runs, and the notice is parsed from a private copy, before
    anything is written to the corpus; a refusal raises ValueError with a Chinese message.
    """
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"只支持 {', '.join(SUPPORTED)} 格式的通知文件")
    check_meta(meta)
    if any(m.id == meta.id for m in read_manifest(corpus_dir)):
        raise ValueError(f"编号 {meta.id} 已存在")
    target = corpus_dir / f"{meta.id}{suffix}"
    if target.exists() or target.is_symlink():
        raise ValueError(f"语料目录里已有文件 {target.name}")
    data = read_source(source)
    check_content(data, suffix)
    meta = NoticeMeta(**{**meta.__dict__, "file": target.name})
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / target.name).write_bytes(data)
        try:
            notice = build_notice(meta, Path(scratch))
        except Exception:  # noqa: BLE001 - the readers raise many kinds of errors on a broken file
            raise ValueError("无法读取这个文件的内容（文件可能已损坏）") from None
    _check_length(notice.raw)
    if not notice.chunks:
        raise ValueError("没有从文件中读出任何条款文字")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    try:
        manifest_path = corpus_dir / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["notices"].append(meta.__dict__)
        staged = manifest_path.with_name(".manifest.json.tmp")
        staged.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(staged, manifest_path)  # readers see the old or the new manifest, never half of one
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop the dense index and embed everything again")
    parser.add_argument("--add", type=Path, help="a notice file (.txt, .md, .docx, .pdf) to add to the corpus")
    for name in ("id", "city", "province", "title", "issuer", "date", "doc-number"):
        parser.add_argument(f"--{name}")
    parser.add_argument("--script", choices=["simplified", "traditional"], default="simplified")
    args = parser.parse_args(argv)
    settings = get_settings()
    settings.ensure_dirs()

    if args.add:
        missing = [n for n in ("id", "city", "province", "title", "issuer") if not getattr(args, n)]
        if missing:
            parser.error("--add needs " + ", ".join("--" + m for m in missing))
        meta = NoticeMeta(
            id=args.id, file=args.add.name, city=args.city, province=args.province, title=args.title,
            issuer=args.issuer, date=args.date, doc_number=args.doc_number, script=args.script,
        )
        try:
            add_notice(args.add, meta, settings.corpus_dir)
        except (ValueError, OSError) as exc:
            print(f"未能添加通知：{exc}", file=sys.stderr)
            return 2
        print(f"已添加通知 {meta.id}（{meta.city}）")

    started = time.perf_counter()
    corpus = load_corpus()

    def progress(done: int, total: int) -> None:
        print(f"\r嵌入向量 {done}/{total}", end="", file=sys.stderr, flush=True)

    report = sync(corpus, rebuild=args.rebuild, progress=progress)
    if report.added:
        print(file=sys.stderr)
    print(
        f"{len(corpus.notices)} notices, {len(corpus.chunks)} chunks: "
        f"{report.added} embedded, {report.removed} removed, {report.unchanged} unchanged "
        f"({time.perf_counter() - started:.1f} s, model {settings.embedding_model})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
