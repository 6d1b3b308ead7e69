"""Build or update the search index; add a notice to the corpus.

    python -m retrieval.ingest [--rebuild]
    python -m retrieval.ingest --add FILE --id ID --city 城市 --province 省 --title 标题 \
        --issuer 发文机关 [--date 2024-01-01] [--doc-number 文号] [--script simplified|traditional]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from civic.settings import get_settings
from retrieval.corpus import NoticeMeta, build_notice, load_corpus, read_manifest
from retrieval.index import sync

SUPPORTED = (".txt", ".md", ".docx", ".pdf")


def add_notice(source: Path, meta: NoticeMeta, corpus_dir: Path) -> NoticeMeta:
    """Copy a notice file into the corpus and record it in the manifest."""
    if source.suffix.lower() not in SUPPORTED:
        raise ValueError(f"只支持 {', '.join(SUPPORTED)} 格式的通知文件")
    existing = read_manifest(corpus_dir)
    if any(m.id == meta.id for m in existing):
        raise ValueError(f"编号 {meta.id} 已存在")
    if not meta.id.isascii() or not meta.id.replace("-", "").replace("_", "").isalnum():
        raise ValueError("编号只能使用英文字母、数字、- 和 _")
    target = corpus_dir / f"{meta.id}{source.suffix.lower()}"
    shutil.copyfile(source, target)
    meta = NoticeMeta(**{**meta.__dict__, "file": target.name})
    notice = build_notice(meta, corpus_dir)
    if not notice.chunks:
        target.unlink()
        raise ValueError("没有从文件中读出任何条款文字")
    manifest_path = corpus_dir / "manifest.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    data["notices"].append(meta.__dict__)
    manifest_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
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
