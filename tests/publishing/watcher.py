"""A second app process for the tests: it waits for a notice to be published elsewhere, then asks.

    python -m tests.publishing.watcher NOTICE_ID QUESTION [POLL_SECONDS]

Prints one JSON line "ready" once it answers from the bundled notices, then, when the
notice appears (without restarting), one JSON line with the answer and the seconds it waited.
"""

from __future__ import annotations

import json
import sys
import time

from publishing.provider import Published, install
from retrieval.answer import get_asker
from retrieval.corpus import load_corpus


def main(notice_id: str, question: str, poll_seconds: float = 0.2, limit_s: float = 240.0) -> int:
    install(Published(poll_seconds=poll_seconds))
    get_asker().ask("天津电炉钢产能比例到2025年要达到多少？")
    print(json.dumps({"ready": True}), flush=True)
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if notice_id in load_corpus().notices:
            answer = get_asker().ask(question)
            print(json.dumps({
                "status": answer.status.value, "text": answer.text,
                "cited": [[c.chunk.notice_id, c.chunk.clause_path] for c in answer.citations],
                "waited_s": round(time.monotonic() - started, 2),
            }, ensure_ascii=False), flush=True)
            return 0
        time.sleep(0.1)
    print(json.dumps({"timeout": True}), flush=True)
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], *(float(a) for a in sys.argv[3:4])))
