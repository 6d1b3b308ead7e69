"""Build or update the search index; add a notice to the corpus.

    python -m retrieval.ingest [--rebuild]
    python -m retrieval.ingest --add FILE --id ID --city 城市 --province 省 --title 标题 \
        --issuer 发文机关 [--date 2024-01-01] [--doc-number 文号] [--script simplified|traditional] \
        [--districts 金水区、中原区] [--aliases 别称] [--district-aliases 金水、中原]

``--add`` prints what it found in the file (clauses by level, chunks, departments,
the reprint lead it dropped, warnings) before anything is embedded.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import time
from pathlib import Path

from civic.settings import get_settings
from retrieval.corpus import NoticeMeta, load_corpus, tunables
from retrieval.index import sync
from retrieval.notice_check import SUPPORTED, Prepared, prepare, split_places

__all__ = ["SUPPORTED", "add_notice", "main", "read_source"]


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


def add_notice(source: Path, meta: NoticeMeta, corpus_dir: Path) -> Prepared:
    """Copy a notice file into the corpus and record it (with its places) in the manifest.

    Every check runs, and the notice is parsed from a private copy, before
    anything is written to the corpus; a refusal raises ValueError with a Chinese message.
    """
    suffix = source.suffix.lower()
    if suffix not in SUPPORTED:
        raise ValueError(f"只支持 {', '.join(SUPPORTED)} 格式的通知文件")
    data = read_source(source)
    prepared = prepare(data, suffix, meta, load_corpus(corpus_dir))
    target = corpus_dir / prepared.meta.file
    if target.exists() or target.is_symlink():
        raise ValueError(f"语料目录里已有文件 {target.name}")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    try:
        manifest_path = corpus_dir / "manifest.json"
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["notices"].append(prepared.meta.to_dict())
        staged = manifest_path.with_name(".manifest.json.tmp")
        staged.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(staged, manifest_path)  # readers see the old or the new manifest, never half of one
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return prepared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="drop the dense index and embed everything again")
    parser.add_argument("--add", type=Path, help="a notice file (.txt, .md, .docx, .pdf) to add to the corpus")
    for name in ("id", "city", "province", "title", "issuer", "date", "doc-number"):
        parser.add_argument(f"--{name}")
    for name in ("districts", "aliases", "district-aliases"):
        parser.add_argument(f"--{name}", help="place names separated by 、 or commas")
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
            aliases=split_places(args.aliases), districts=split_places(args.districts),
            district_aliases=split_places(args.district_aliases),
        )
        try:
            prepared = add_notice(args.add, meta, settings.corpus_dir)
        except (ValueError, OSError) as exc:
            print(f"未能添加通知：{exc}", file=sys.stderr)
            return 2
        print(f"已添加通知 {prepared.meta.id}（{prepared.meta.city}）")
        for line in prepared.report.lines():
            print(f"  {line}")

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
