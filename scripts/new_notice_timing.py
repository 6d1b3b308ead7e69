"""Measure adding a 30,000-character notice: ``--add`` end to end, and publish-to-answerable.

    .venv/bin/python scripts/new_notice_timing.py [--chars 30000] [--model usem3]

Everything happens in a temporary folder (a copy of corpus/, its own data directory and
SQLite database); the real corpus and data directory are not touched. Prints:

1. ``python -m retrieval.ingest --add`` as a command (a fresh process: parse, checks,
   copy, embed the new chunks), with the index of the five notices already built;
2. publishing through the staff path (``publishing.publish``) while a second app process,
   started before and polling as the app does (``publishing/tunables.toml``), waits for the
   notice: the time from the start of publishing until that process has answered a
   question from it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "我住在柳营区农村，冬天还能烧散煤吗？"


def run(cmd: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=30_000)
    parser.add_argument("--model", default="usem3")
    args = parser.parse_args()
    from tests.fixtures import newcity

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copytree(ROOT / "corpus", root / "corpus")
        text = newcity.make_notice(args.chars)
        source = root / "望川方案.txt"
        source.write_text(text, encoding="utf-8")
        env = dict(os.environ, CIVIC_CORPUS_DIR=str(root / "corpus"), CIVIC_DATA_DIR=str(root / "cli-data"),
                   CIVIC_EMBEDDING_MODEL=args.model)
        env.pop("DATABASE_URL", None)
        env.pop("CHROMA_URL", None)
        build, _ = run([sys.executable, "-m", "retrieval.ingest"], env)
        add, out = run([sys.executable, "-m", "retrieval.ingest", *newcity.cli_args(str(source))], env)
        print(f"notice: {len(text)} characters; model {args.model}")
        print(f"index of the five notices built first: {build:.1f} s")
        print(f"python -m retrieval.ingest --add (new process, parse + checks + embed): {add:.1f} s")
        print("\n".join("  " + line for line in out.strip().splitlines()))

        # The staff path, with a second app process waiting.
        staff_env = dict(env, CIVIC_CORPUS_DIR=str(ROOT / "corpus"), CIVIC_DATA_DIR=str(root / "app-data"))
        os.environ.update({k: staff_env[k] for k in ("CIVIC_CORPUS_DIR", "CIVIC_DATA_DIR", "CIVIC_EMBEDDING_MODEL")})
        from civic.db import default_engine, session_scope
        from publishing import notices, provider
        from publishing.publish import publish
        from retrieval.corpus import NoticeMeta, load_corpus
        from retrieval.index import sync

        sync()
        poll = provider.tunables()["poll_seconds"]
        other = subprocess.Popen([sys.executable, "-m", "tests.publishing.watcher", "wangchuan", QUESTION, str(poll)],
                                 cwd=ROOT, env=staff_env, stdout=subprocess.PIPE, text=True)
        assert json.loads(other.stdout.readline()) == {"ready": True}
        provider.install()
        meta = NoticeMeta(**dict(newcity.META, file="", districts=newcity.DISTRICTS,
                                 district_aliases=newcity.DISTRICT_ALIASES))
        engine = default_engine()
        started = time.perf_counter()
        with session_scope(engine) as session:
            notices.upload(session=session, data=text.encode(), file_name=source.name, meta=meta,
                           corpus=load_corpus(), user="timing")
        uploaded = time.perf_counter()
        chunks = publish(engine=engine, notice_id="wangchuan", user="timing")
        published = time.perf_counter()
        seen = json.loads(other.stdout.readline())
        answerable = time.perf_counter()
        other.wait(timeout=60)
        print(f"staff upload (checks, parse preview, stored as draft): {uploaded - started:.1f} s")
        print(f"publish (embed {chunks} chunks into the shared index, mark published): {published - uploaded:.1f} s")
        print(f"publish start -> answered in the second app process (polls every {poll:g} s): "
              f"{answerable - uploaded:.1f} s, of which after publish returned: {answerable - published:.1f} s "
              f"({seen['status']}, cites {seen['cited'][0] if seen['cited'] else '-'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
