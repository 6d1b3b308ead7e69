"""Where an app process's memory goes: each import and load the app does, in its order, measured.

    .venv/bin/python scripts/memprofile.py [--data-dir DIR] [--chroma-url http://127.0.0.1:8000]
    .venv/bin/python scripts/memprofile.py --tracemalloc      # Python allocations per step instead

Each step runs in this one process after the ones before it (what a step shares with an
earlier one, e.g. numpy, is counted where it was first loaded) and prints what it added:
RSS, and RSS split into *anonymous* memory (heap, numpy arrays, Python objects: every
process pays it again) and *file-backed* pages (shared libraries, memory-mapped files: the
kernel keeps one copy for all processes on a host). With ``--tracemalloc`` it prints the
Python heap each step allocated (tracemalloc slows the steps and adds its own memory, so
the two are separate runs). Needs an index in the data directory (python -m retrieval.ingest)
or ``--chroma-url``. Linux only (/proc/self/smaps_rollup).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTION = "石嘴山农村冬天烧煤取暖有什么要求？"


def memory() -> dict[str, float]:
    """This process's RSS and its anonymous part, in MB."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "anon": fields["Anonymous"]}


def _retrieval_imports() -> None:
    import bm25s  # noqa: F401
    import chromadb  # noqa: F401
    import jieba  # noqa: F401
    import opencc  # noqa: F401


def _jieba_tagger_tables() -> None:
    import jieba.posseg  # noqa: F401 - retrieval.lexicon imports it: the HMM tables are module constants

    import retrieval.lexicon  # noqa: F401


def _jieba_tokenizer() -> None:
    from retrieval.lexicon import words

    words(QUESTION)


def _jieba_tagger() -> None:
    from retrieval.lexicon import tagged_words

    tagged_words(QUESTION)


def _chroma() -> None:
    from civic.settings import get_settings
    from retrieval.index import _collection

    _collection(get_settings()).count()


def _embedder() -> None:
    from civic.settings import get_settings
    from retrieval.index import _embedder as embedder

    embedder(get_settings().embedding_model).embed_query([QUESTION])


def _index() -> None:
    from retrieval.index import open_index

    open_index()


def _asker() -> None:
    from retrieval.answer import get_asker

    get_asker().ask(QUESTION)


def _desk_and_publishing() -> None:
    import desk.feedback  # noqa: F401 - the Ask page's votes
    import desk.logger  # noqa: F401 - the question log's writer
    import desk.provider  # noqa: F401 - taught links and word pairs
    import publishing.provider  # noqa: F401 - notices staff published


def _corpus() -> None:
    from retrieval.corpus import load_corpus

    load_corpus()


def _pledge_stack() -> None:
    from civic.db import get_engine
    from pledges import campaigns, signing  # noqa: F401
    from pledges.catalogue import load_catalogue

    load_catalogue()
    get_engine(f"sqlite:///{os.environ['CIVIC_DATA_DIR']}/memprofile.sqlite3").dispose()


def _pledge_images() -> None:
    from pledges.images import cover, poster, qr_png

    cover(title="测试活动", colour="#2e7d32", subtitle="定州居民绿色生活承诺")
    poster(title="测试活动", city="定州", url="http://127.0.0.1/campaign?c=t", colour="#2e7d32", intro_line="从今天做起。")
    qr_png("http://127.0.0.1/campaign?c=t")


def _charts() -> None:
    import altair  # noqa: F401
    import pandas  # noqa: F401


def _engagement() -> None:
    import engagement.scoring  # noqa: F401


STEPS: list[tuple[str, Callable[[], None]]] = [
    ("import streamlit and its server", lambda: __import__("streamlit.web.server.server")),
    ("import chromadb, jieba, bm25s, opencc", _retrieval_imports),
    ("corpus: parse the five notices", _corpus),
    ("import jieba.posseg (its HMM tables)", _jieba_tagger_tables),
    ("jieba dictionary + user words (search cut)", _jieba_tokenizer),
    ("jieba part-of-speech tagger (word tag table)", _jieba_tagger),
    ("Chroma client and collection", _chroma),
    ("embedding model + one query", _embedder),
    ("index: BM25, chunk and unit vectors (numpy)", _index),
    ("asker + one answer (targets table, rules)", _asker),
    ("Q&A desk and publishing: log, votes, providers", _desk_and_publishing),
    ("pandas + altair (pages with charts)", _charts),
    ("pledges: SQLAlchemy, psycopg, catalogue, engine", _pledge_stack),
    ("pledge images: cover, A4 poster (PNG+PDF), QR", _pledge_images),
    ("self-check scoring", _engagement),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="CIVIC_DATA_DIR with a built index (default: the app's)")
    parser.add_argument("--chroma-url", help="query a Chroma server instead of the embedded store")
    parser.add_argument("--tracemalloc", action="store_true", help="Python allocations per step instead of RSS")
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ["CIVIC_DATA_DIR"] = str(args.data_dir.resolve())
    if args.chroma_url:
        os.environ["CHROMA_URL"] = args.chroma_url
    os.environ.setdefault("CIVIC_DATA_DIR", str(Path(__file__).resolve().parent.parent / ".data"))
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import civic.settings  # noqa: F401

    if args.tracemalloc:
        tracemalloc.start()
        print(f"{'step':<52}{'Python heap MB':>15}{'s':>7}")
    else:
        print(f"{'step':<52}{'RSS MB':>8}{'anon':>8}{'files':>8}{'total RSS':>10}{'s':>7}")
        start = memory()
        print(f"{'python, settings':<52}{'':>8}{'':>8}{'':>8}{start['rss']:>10.0f}")
    for name, step in STEPS:
        gc.collect()
        before = memory() if not args.tracemalloc else tracemalloc.get_traced_memory()[0]
        began = time.perf_counter()
        step()
        took = time.perf_counter() - began
        gc.collect()
        if args.tracemalloc:
            print(f"{name:<52}{(tracemalloc.get_traced_memory()[0] - before) / 2**20:>15.1f}{took:>7.2f}")
        else:
            now = memory()
            d_rss, d_anon = now["rss"] - before["rss"], now["anon"] - before["anon"]
            print(f"{name:<52}{d_rss:>8.0f}{d_anon:>8.0f}{d_rss - d_anon:>8.0f}{now['rss']:>10.0f}{took:>7.2f}")
    if not args.tracemalloc:
        end = memory()
        print(f"\nin all: RSS {end['rss']:.0f} MB, of which anonymous {end['anon']:.0f} MB "
              f"and file-backed {end['rss'] - end['anon']:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
