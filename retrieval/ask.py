"""Ask the notices from the command line.

    python -m retrieval.ask "问题" [--city 石嘴山] [--json]
    python -m retrieval.ask --batch questions.jsonl > answers.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys

from retrieval.answer import get_asker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.ask", description="Ask the notices a question.")
    parser.add_argument("question", nargs="?")
    parser.add_argument("--city", help="the resident's city (定州/葫芦岛/石嘴山/运城/天津)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch", help="JSON lines with id, question, city; writes one answer a line")
    args = parser.parse_args(argv)
    if not args.question and not args.batch:
        parser.error("give a question or --batch FILE")
    asker = get_asker(build=True)

    if args.batch:
        with open(args.batch, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                item = json.loads(line)
                out = asker.ask(item.get("question", ""), item.get("city")).to_dict()
                print(json.dumps({"id": item.get("id"), **out}, ensure_ascii=False), flush=True)
        return 0

    answer = asker.ask(args.question, args.city)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(answer.text)
        for n, c in enumerate(answer.citations, start=1):
            print(f"[{n}] {c.label}（{c.chunk.city}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
