"""Warm answer latency without an LLM: a process warmed on dev.jsonl answers hard.jsonl and the
follow-ups (questions it has not seen), one at a time.

    .venv/bin/python scripts/answer_latency.py [--eval ../shared/eval]
"""

import argparse
import json
import time
from pathlib import Path

from retrieval.answer import get_asker

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--eval", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "eval"))
args = parser.parse_args()
a = get_asker()
def load(f):
    out = []
    lines = (Path(args.eval) / f"{f}.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        it = json.loads(line)
        if "turns" in it:
            out.append((it["turns"][-1]["question"], it["turns"][0].get("city"), [t["question"] for t in it["turns"][:-1]]))
        else:
            out.append((it["question"], it.get("city"), []))
    return out
for q, c, h in load("dev"):  # warm the process on other questions
    a.ask(q, c, history=h)
times = []
for q, c, h in load("hard") + load("hard_followups"):  # each asked once, never seen before by this process
    s = time.perf_counter()
    a.ask(q, c, history=h)
    times.append(time.perf_counter() - s)
times.sort()


def p(x: float) -> float:
    return times[min(len(times) - 1, int(x * len(times)))]


print(f"warm process, {len(times)} questions it had not seen: p50 {p(0.5)*1000:.1f} ms, p95 {p(0.95)*1000:.1f} ms, max {times[-1]*1000:.1f} ms")
