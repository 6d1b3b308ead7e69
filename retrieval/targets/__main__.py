"""Command line for the targets table.

    python -m retrieval.targets check            # verify every row; list new and lost rows
    python -m retrieval.targets extract          # print what the rules find now (TSV)
    python -m retrieval.targets extract --write  # add new rows to corpus/targets.csv as pending

``check`` exits non-zero when a row fails verification, when the rules find
rows the table lacks, or when reviewed rows are no longer found; each is listed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from retrieval.corpus import load_corpus
from retrieval.targets.extract import extract
from retrieval.targets.table import diff, merge, read_rows, table_path, verify, write_rows


def _line(row) -> str:
    return "\t".join([row.key, row.review, row.theme, row.indicator, row.display_value, row.year, row.quote])


def check() -> int:
    corpus = load_corpus()
    path = table_path()
    table = read_rows(path)
    problems = [p for row in table for p in verify(row, corpus)]
    changes = diff(extract(corpus), table)
    shown = [r for r in table if r.shown]
    print(f"{path}: {len(table)} rows, {len(shown)} shown")
    print("| city | shown | confirmed | corrected | added | rejected | pending |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for city in corpus.cities:
        counts = Counter(r.review for r in table if r.city == city)
        shown_n = sum(counts[k] for k in ("confirmed", "corrected", "added"))
        print(f"| {city} | {shown_n} | {counts['confirmed']} | {counts['corrected']} | {counts['added']} "
              f"| {counts['rejected']} | {counts['pending']} |")
    for p in problems:
        print("PROBLEM", p)
    for row in changes.appeared:
        print("APPEARED", _line(row))
    for row in changes.vanished:
        print("VANISHED", _line(row))
    pending = [r for r in table if r.review == "pending"]
    for row in pending:
        print("PENDING", _line(row))
    return 1 if problems or changes.appeared or changes.vanished or pending else 0


def extract_cmd(write: bool) -> int:
    corpus = load_corpus()
    rows = extract(corpus)
    if write:
        path = table_path()
        table = read_rows(path)
        merged = merge(rows, table)
        write_rows(path, merged)
        print(f"{path}: {len(merged) - len(table)} new rows added as pending")
        return 0
    for row in rows:
        print(_line(row))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.targets", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="verify the table against the notices and the rules")
    ext = sub.add_parser("extract", help="run the extraction rules")
    ext.add_argument("--write", action="store_true", help="add new rows to the table as pending")
    args = parser.parse_args(argv)
    return check() if args.cmd == "check" else extract_cmd(args.write)


if __name__ == "__main__":
    sys.exit(main())
