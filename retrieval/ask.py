"""Ask the notices from the command line.

    python -m retrieval.ask "问题" [--city 石嘴山] [--history "前一个问题" ...] [--json]
    python -m retrieval.ask --batch questions.jsonl > answers.jsonl

A batch line holds ``question`` and optionally ``id``, ``city`` and ``history`` (the
conversation's earlier questions, oldest first; ``city`` is the first turn's city). A line
with ``turns`` (as in hard_followups.jsonl) is asked as its last turn after the others.
Each output line carries the status, the question as answered (``question``; a follow-up
written out, with ``rewritten`` true), the answer, its citations and the retrieved chunks.
"""

from __future__ import annotations

import argparse
import json
import sys

from retrieval.answer import get_asker
from retrieval.answer import messages as msg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.ask", description="Ask the notices a question.")
    parser.add_argument("question", nargs="?")
    parser.add_argument("--city", help="the resident's city (定州/葫芦岛/石嘴山/运城/天津)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--history", nargs="*", default=[], help="earlier questions of the conversation, oldest first")
    parser.add_argument("--batch", help="JSON lines with id, question, city, history; writes one answer a line")
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
                if item.get("turns"):
                    turns = item["turns"]
                    answer = asker.ask(turns[-1].get("question", ""), turns[0].get("city"),
                                       history=[t.get("question", "") for t in turns[:-1]])
                else:
                    answer = asker.ask(item.get("question", ""), item.get("city"), history=item.get("history") or [])
                print(json.dumps({"id": item.get("id"), **answer.to_dict()}, ensure_ascii=False), flush=True)
        return 0

    answer = asker.ask(args.question, args.city, history=args.history)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        if answer.rewritten:
            print(msg.UNDERSTOOD_AS.format(question=answer.question))
        print(answer.text)
        for n, c in enumerate(answer.citations, start=1):
            print(f"[{n}] {c.label}（{c.chunk.city}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
