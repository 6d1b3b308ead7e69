"""Does logging slow the answer? Answer latency with the question log off, on, and with the database down.

    python -m desk.bench [--postgres URL] [--rounds 2] [files…]   # default: ../shared/eval/{dev,hard}.jsonl

Each question is asked once per mode, the modes in turn (so load on the machine falls on all alike):
``off`` answers only; ``on`` answers, builds the log entry and hands it to the writer thread, as
the Ask page does (SQLite in a scratch folder, and PostgreSQL with ``--postgres``); ``down`` does the
same against a PostgreSQL port nobody listens on. The time is the resident's: from asking to the
answer being ready to show, logging included. The writer keeps writing (masking, inserting) in the
background meanwhile, so its cost on the answering thread is in these figures too.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import time
from pathlib import Path

from civic.db import get_engine
from desk.logger import QuestionLogger
from desk.questions import entry_for
from retrieval.answer import get_asker

DEFAULT_FILES = [str(Path(__file__).resolve().parents[2] / "shared" / "eval" / f) for f in ("dev.jsonl", "hard.jsonl")]


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"postgresql+psycopg://nobody@127.0.0.1:{port}/civic"


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desk.bench", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=DEFAULT_FILES)
    parser.add_argument("--postgres", help="also log to this PostgreSQL database (SQLAlchemy URL)")
    parser.add_argument("--rounds", type=int, default=2, help="times each question is asked per mode")
    args = parser.parse_args(argv)
    questions = []
    for path in args.files:
        with open(path, encoding="utf-8") as fh:
            questions += [(d["question"], d.get("city")) for d in map(json.loads, filter(str.strip, fh))
                          if "question" in d]
    asker = get_asker(build=True)
    with tempfile.TemporaryDirectory() as scratch:
        urls = {"on (SQLite)": f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"}
        if args.postgres:
            urls["on (PostgreSQL)"] = args.postgres
        urls["on, database down"] = _dead_url()
        loggers = {name: QuestionLogger(lambda url=url: get_engine(url)) for name, url in urls.items()}
        modes = ["off", *loggers]
        times: dict[str, list[float]] = {m: [] for m in modes}
        submit: dict[str, list[float]] = {m: [] for m in loggers}
        for n, (question, city) in enumerate(questions * args.rounds):
            for mode in modes[n % len(modes):] + modes[: n % len(modes)]:
                started = time.perf_counter()
                answer = asker.ask(question, city)
                if mode != "off":
                    handed = time.perf_counter()
                    loggers[mode].submit(entry_for(answer, question=question, city=city, latency_s=handed - started,
                                                   conversation="bench"))
                    submit[mode].append(time.perf_counter() - handed)
                times[mode].append(time.perf_counter() - started)
        for logger in loggers.values():
            logger.flush(120)
        print(f"{len(questions)} questions × {args.rounds} rounds per mode, warm, one at a time\n")
        print("| mode | p50 (ms) | p95 (ms) | mean (ms) | hand-off p95 (µs) | rows written | rows not written |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for mode in modes:
            t = times[mode]
            hand = f"{_p(submit[mode], 0.95) * 1e6:.0f}" if mode in submit else "—"
            logger = loggers.get(mode)
            written = logger.written if logger else "—"
            lost = logger.failed + logger.dropped if logger else "—"
            print(f"| {mode} | {_p(t, 0.5) * 1000:.1f} | {_p(t, 0.95) * 1000:.1f} | "
                  f"{statistics.fmean(t) * 1000:.1f} | {hand} | {written} | {lost} |")
        for logger in loggers.values():
            logger.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
